"""Trend sparklines: service level and queue length over the last 30 minutes,
for the whole floor or the queue under the cursor of the queues board."""

from __future__ import annotations

from statistics import fmean

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Sparkline
from textual.content import Content

from agentdesk.domain.floor import OVERALL, Floor


class SparklinePanel(Vertical):
    """Two labelled sparklines fed from `Floor.trend()`."""

    DEFAULT_CSS = """
    SparklinePanel { height: auto; padding: 0 1; background: $surface; }
    SparklinePanel > .trend-label { height: 1; color: $muted-foreground; }
    SparklinePanel > Sparkline { height: 2; margin-bottom: 0; }
    SparklinePanel > #trend-sl > .sparkline--max-color { color: $sla-ok; }
    SparklinePanel > #trend-sl > .sparkline--min-color { color: $sla-breach; }
    SparklinePanel > #trend-waiting > .sparkline--max-color { color: $sla-warning; }
    SparklinePanel > #trend-waiting > .sparkline--min-color { color: $primary 40%; }
    """

    def __init__(self, floor: Floor, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.floor = floor
        self.queue_id: str = OVERALL

    def compose(self) -> ComposeResult:
        yield Label(id="trend-sl-label", classes="trend-label", markup=False)
        yield Sparkline([], id="trend-sl", summary_function=fmean)
        yield Label(id="trend-waiting-label", classes="trend-label", markup=False)
        yield Sparkline([], id="trend-waiting", summary_function=max)

    def on_mount(self) -> None:
        self.refresh_trends()

    def show_queue(self, queue_id: str) -> None:
        self.queue_id = queue_id
        self.refresh_trends()

    def refresh_trends(self) -> None:
        floor = self.floor
        scope = "floor" if self.queue_id == OVERALL else (
            floor.queues[self.queue_id].name if self.queue_id in floor.queues else self.queue_id)
        sl, waiting = floor.trend(self.queue_id)
        last_sl = f"{sl[-1]:.0f}%" if sl else "–"
        last_wait = f"{waiting[-1]:.0f}" if waiting else "–"
        self.query_one("#trend-sl-label", Label).update(
            Content.from_markup("SL 30 min · $scope · now $v", scope=scope, v=last_sl))
        self.query_one("#trend-waiting-label", Label).update(
            Content.from_markup("Waiting 30 min · $scope · peak $p · now $v", scope=scope,
                                p=f"{max(waiting):.0f}" if waiting else "–", v=last_wait))
        # A flat line needs two points; the sparkline of one value is one bar.
        self.query_one("#trend-sl", Sparkline).data = sl or [0.0]
        self.query_one("#trend-waiting", Sparkline).data = waiting or [0.0]
