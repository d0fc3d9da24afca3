"""Trend sparklines: service level and queue length over the last 30 minutes,
for the whole floor or one queue (t toggles; Enter on a queue picks it).

The service level is the rolling one (the last 15 minutes at each point, "SL
15m"), from a server that sends it; otherwise the cumulative one ("SL").

Drawn as one line of block characters per series (our own, not Textual's
`Sparkline`): service level is scaled to an absolute 0-100 % and each bar is
coloured by its level against the goal, so a flat 100 % reads as healthy.
A bucket with no data yet (nobody has left the queue in the window) is a
muted dot and the label says "–": no data is never drawn as 100 %.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from agentdesk.domain.floor import OVERALL, Floor
from agentdesk.ui.monitor.cells import theme_style

BLOCKS = "▁▂▃▄▅▆▇█"
DEFAULT_GOAL = 80.0


NO_DATA = "·"  # a bucket without data (no contact left the queue yet): not a level


def bars(values: list[float | None], width: int, top: float) -> list[tuple[str, float | None]]:
    """The last `width` values as (block, value), scaled to 0..top; None as NO_DATA."""
    out: list[tuple[str, float | None]] = []
    for value in values[-width:] if width > 0 else []:
        if value is None:
            out.append((NO_DATA, None))
            continue
        level = 0 if top <= 0 else min(len(BLOCKS) - 1, max(0, round(value / top * (len(BLOCKS) - 1))))
        out.append((BLOCKS[level], value))
    return out


class SparklinePanel(Vertical):
    """Two labelled one-line trend charts fed from `Floor.trend()`."""

    DEFAULT_CSS = """
    SparklinePanel { height: auto; padding: 0 1; background: $surface; }
    SparklinePanel > Static { height: 1; }
    SparklinePanel > .trend-label { color: $muted-foreground; }
    """

    def __init__(self, floor: Floor, *, service_level: bool = True,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.floor = floor
        self.queue_id: str = OVERALL
        self.service_level = service_level  # False: the backend has none, no SL chart

    def on_mount(self) -> None:
        if not self.service_level:
            self.query_one("#trend-sl-label").display = False
            self.query_one("#trend-sl").display = False
        self.refresh_trends()

    def compose(self) -> ComposeResult:
        yield Static(id="trend-sl-label", classes="trend-label", markup=False)
        yield Static(id="trend-sl", markup=False)
        yield Static(id="trend-waiting-label", classes="trend-label", markup=False)
        yield Static(id="trend-waiting", markup=False)

    def on_resize(self) -> None:
        self.refresh_trends()

    def show_queue(self, queue_id: str) -> None:
        self.queue_id = queue_id if queue_id in self.floor.queues else OVERALL
        self.refresh_trends()

    def refresh_trends(self) -> None:
        """Redraw the four lines. Each is one row high (CSS) and as wide as the
        panel whatever it says, so an update is a repaint, never a layout pass:
        with `Static.update`'s default every refresh (each second on a live
        floor) laid the whole monitor out again and repainted most of it."""
        floor = self.floor
        queue = floor.queues.get(self.queue_id)
        scope = queue.name if queue is not None else "all queues"
        goal = queue.sl_target_pct if queue is not None else DEFAULT_GOAL
        sl, waiting = floor.trend(self.queue_id)
        v = self.app.theme_variables
        width = max(1, self.size.width - 2)
        last_sl = f"{sl[-1]:.0f}%" if sl and sl[-1] is not None else "–"
        peak = max(waiting) if waiting else 0.0
        window = floor.sl_window_s
        sl_title = f"SL {window / 60:.0f}m · " if window else "SL · "
        self.query_one("#trend-sl-label", Static).update(Text.assemble(
            sl_title, scope, f" · {last_sl}", no_wrap=True, overflow="ellipsis"), layout=False)
        self.query_one("#trend-waiting-label", Static).update(Text.assemble(
            "Waiting · ", scope,
            f" · {waiting[-1]:.0f} (max {peak:.0f})" if waiting else " · –",
            no_wrap=True, overflow="ellipsis"), layout=False)
        sl_line = Text(no_wrap=True)
        for block, value in bars(sl, width, 100.0):
            var = "muted-foreground" if value is None else "sla-ok" if value >= goal + 5 \
                else "sla-warning" if value >= goal else "sla-breach"
            sl_line.append(block, style=theme_style(v, var))
        wait_line = Text(no_wrap=True)
        for block, value in bars(list(waiting), width, max(peak, 1.0)):
            wait_line.append(block, style=theme_style(v, "sla-warning" if value else "primary"))
        self.query_one("#trend-sl", Static).update(sl_line, layout=False)
        self.query_one("#trend-waiting", Static).update(wait_line, layout=False)
