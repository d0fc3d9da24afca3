"""The queues board: one row per queue, updated cell by cell from the floor."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding

from agentdesk.domain.floor import Floor
from agentdesk.ui.glyphs import CHANNEL_GLYPH
from agentdesk.ui.monitor.live_table import LiveTable
from agentdesk.ui.monitor.cells import (
    abandon_level, cell, fmt_duration, fmt_pct, num, sl_level, theme_style, wait_level,
)

# (key, label, width)
# The table has no cell padding: widths include one cell of gap.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("queue", "Queue", 19),
    ("waiting", "Wait", 5),
    ("longest", "Longest", 8),
    ("sl", "SL%", 5),
    ("target", "Goal", 8),
    ("asa", "ASA", 6),
    ("aht", "AHT", 6),
    ("abandon", "Aband", 6),
    ("available", "Avail", 6),
    ("busy", "Busy", 5),
    ("acw", "ACW", 5),
    ("away", "Away", 5),
    ("not_responding", "NR", 4),
    ("mix", " Waiting by channel", 20),
    ("channels", "Channels", 9),
)
LEFT = {"queue", "channels", "mix"}


class QueueBoard(LiveTable):
    """Per queue: waiting, longest wait, SL against goal, ASA, AHT, abandonment
    and agents by state; threshold breaches coloured with $sla-* variables."""

    DEFAULT_CSS = """
    QueueBoard { height: auto; max-height: 45%; }
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Trend of queue", show=False, id="queue-board-select"),
    ]

    def __init__(self, floor: Floor, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=0)
        self.floor = floor
        self._shown: dict[tuple[str, str], str] = {}  # (row, column) -> plain text last set
        self.cell_updates = 0

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(Text(label, justify="left" if key in LEFT else "right"),
                            key=key, width=width)

    # -- rows -------------------------------------------------------------------------------

    def row_cells(self, queue_id: str) -> dict[str, Text]:
        floor = self.floor
        v = self.app.theme_variables
        queue = floor.queues.get(queue_id)
        stats = floor.queue_stats.get(queue_id)
        longest = floor.longest_wait(queue_id)
        waiting = stats.waiting if stats is not None else 0
        agents = stats.agents if stats is not None else {}
        mix = floor.waiting_by_channel(queue_id)
        mix_text = Text(" ", no_wrap=True, overflow="ellipsis")
        for channel, count in sorted(mix.items(), key=lambda kv: kv[0].value):
            if len(mix_text) > 1:
                mix_text.append(" ")
            mix_text.append(CHANNEL_GLYPH[channel], style=theme_style(v, f"channel-{channel.value}"))
            mix_text.append(str(count))
        goal = "" if queue is None else \
            f"{queue.sl_target_pct:.0f}/{_short_s(queue.sl_threshold_s)}"
        nr = agents.get("not_responding", 0)
        return {
            "queue": cell(queue.name if queue else queue_id, v, bold=True),
            "channels": Text(" " + " ".join(CHANNEL_GLYPH[c] for c in queue.channels) if queue else "",
                             no_wrap=True, overflow="ellipsis"),
            "waiting": num(waiting, v, "sla-warning" if waiting else None, bold=bool(waiting)),
            "mix": mix_text,
            "longest": num(fmt_duration(longest) if longest > 0 else "–", v,
                           wait_level(queue, longest)),
            "sl": num(fmt_pct(stats.sl_pct if stats else None), v, sl_level(queue, stats),
                      bold=True),
            "target": num(goal),
            "asa": num(fmt_duration(stats.asa_s if stats else None)),
            "aht": num(fmt_duration(stats.aht_s if stats else None)),
            "abandon": num(fmt_pct(stats.abandon_pct if stats else None), v,
                           abandon_level(stats.abandon_pct if stats else None)),
            "available": num(agents.get("available", 0), v, "presence-available"),
            "busy": num(agents.get("busy", 0)),
            "acw": num(agents.get("acw", 0)),
            "away": num(agents.get("away", 0), v, "presence-away"),
            "not_responding": num(nr, v, "sla-breach" if nr else None, bold=bool(nr)),
        }

    def rebuild(self) -> None:
        """All rows from scratch (start-up, resync, theme change)."""
        keep = self.cursor_row
        self.clear()
        self._shown.clear()
        for queue_id in self.floor.queues:
            cells = self.row_cells(queue_id)
            self.add_row(*(cells[key] for key, _, _ in COLUMNS), key=queue_id)
            for key, value in cells.items():
                self._shown[(queue_id, key)] = _signature(value)
        if self.row_count:
            self.move_cursor(row=min(keep, self.row_count - 1))

    def refresh_rows(self, queue_ids: Iterable[str]) -> int:
        """Update the changed cells of these queues; returns how many cells changed."""
        updates: list[tuple[str, str, Text]] = []
        for queue_id in queue_ids:
            if queue_id not in self.floor.queues:
                continue
            if queue_id not in self.rows:
                self.rebuild()
                return self.row_count * len(COLUMNS)
            for key, value in self.row_cells(queue_id).items():
                sig = _signature(value)
                if self._shown.get((queue_id, key)) != sig:
                    self._shown[(queue_id, key)] = sig
                    updates.append((queue_id, key, value))
        changed = self.set_cells(updates)
        self.cell_updates += changed
        return changed

    @property
    def selected_queue(self) -> str | None:
        return self.selected_key


def _signature(text: Text) -> str:
    return f"{text.plain}\x00{text.style}\x00{[str(s.style) for s in text.spans]}"


def _short_s(seconds: float) -> str:
    """20s, 5m, 4h: a threshold in the fewest characters."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:.0f}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:.0f}m"
    return f"{seconds:.0f}s"
