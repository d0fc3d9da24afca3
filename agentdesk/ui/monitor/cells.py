"""Cell and line builders of the monitor: untrusted text as `rich.text.Text`
(never markup), coloured only through theme variables resolved at run time."""

from __future__ import annotations

import math
from collections.abc import Mapping

from rich.style import Style
from rich.text import Text
from textual.color import Color

from agentdesk.domain.models import ChannelStats, Queue, QueueStats

_STYLES: dict[tuple[str | None, str | None, bool, bool], Style] = {}


def theme_style(variables: Mapping[str, str], var: str | None, *, bold: bool = False,
                dim: bool = False) -> Style:
    """A Rich style whose colour is the theme variable `var` (without `$`)."""
    key = (variables.get(var) if var else None, var, bold, dim)
    style = _STYLES.get(key)
    if style is None:
        style = _STYLES[key] = _make_style(variables, var, bold=bold, dim=dim)
    return style


def _make_style(variables: Mapping[str, str], var: str | None, *, bold: bool,
                dim: bool) -> Style:
    color = None
    if var:
        value = variables.get(var)
        if value:
            try:
                color = Color.parse(value).rich_color
            except Exception:
                color = None
    return Style(color=color, bold=bold or None, dim=dim or None)


def cell(value: object, variables: Mapping[str, str] | None = None, var: str | None = None,
         *, bold: bool = False, justify: str = "left") -> Text:
    """One DataTable cell: `Text(value)` (literal), optionally coloured."""
    style = theme_style(variables, var, bold=bold) if variables is not None and (var or bold) \
        else ""
    return Text(str(value), style=style, justify=justify, no_wrap=True, overflow="ellipsis")


def num(value: object, variables: Mapping[str, str] | None = None, var: str | None = None,
        *, bold: bool = False) -> Text:
    return cell(value, variables, var, bold=bold, justify="right")


def fmt_duration(seconds: float | None) -> str:
    """0:07, 4:05, 1:02:03; None (no data), and NaN or infinity from a hostile
    server, as an en dash."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    s = int(max(0.0, seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def fit_cells(cells: dict[str, Text],
              spec: tuple[tuple[str, str, int], ...]) -> dict[str, Text]:
    """Cut every cell one cell short of its column's width (tables here have no
    cell padding), so text never runs into the next column."""
    widths = {key: width for key, _, width in spec}
    for key, text in cells.items():
        width = widths.get(key)
        if width is not None and text.cell_len > width - 1:
            text.truncate(max(1, width - 1), overflow="ellipsis")
    return cells


def fmt_hms(seconds: float | None, max_hours: int = 9) -> str:
    """A duration column's fixed h:mm:ss ("0:00:07", "1:02:03"), so values of a
    column line up and never run into the next one; the column is as wide as
    `max_hours` allows ("9:59:59": 7 characters, "99:59:59": 8), and anything
    longer reads "≥10h" / "≥100h" instead of overflowing. None (no data), NaN
    and infinity as an en dash."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    s = int(max(0.0, seconds))
    h, rem = divmod(s, 3600)
    if h > max_hours:
        return f"≥{max_hours + 1}h"
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}"


def hms_width(max_hours: int = 9) -> int:
    """Characters of `fmt_hms(.., max_hours)` at its widest."""
    return len(str(max_hours)) + 6


def fmt_pct(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.0f}%"


def sl_level(queue: Queue | None, stats: QueueStats | ChannelStats | None) -> str | None:
    """Theme variable of a queue's (or one of its channels') service level: breach
    below the queue's target, warning within 5 points of it, ok above."""
    if queue is None or stats is None or stats.sl_pct is None:
        return None
    if stats.sl_pct < queue.sl_target_pct:
        return "sla-breach"
    if stats.sl_pct < queue.sl_target_pct + 5:
        return "sla-warning"
    return "sla-ok"


def wait_level(queue: Queue | None, wait_s: float) -> str | None:
    """Longest wait against the queue's SL threshold."""
    if queue is None or wait_s <= 0:
        return None
    if wait_s > queue.sl_threshold_s:
        return "sla-breach"
    if wait_s > queue.sl_threshold_s * 0.75:
        return "sla-warning"
    return None


def abandon_level(pct: float | None) -> str | None:
    if pct is None:
        return None
    if pct >= 10:
        return "sla-breach"
    if pct >= 5:
        return "sla-warning"
    return None


Part = str | tuple[str, str | None] | tuple[str, str | None, bool]


def line(variables: Mapping[str, str], *parts: Part) -> Text:
    """A one-line Text from literal parts: `"text"`, `(text, var)` or
    `(text, var, bold)`; every text is literal (never markup)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            text, var, *rest = part
            out.append(text, style=theme_style(variables, var, bold=bool(rest and rest[0])))
    return out
