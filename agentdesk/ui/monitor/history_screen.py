"""Today's interval report in the monitor (`h` on the wallboard): per interval
and queue, offered, answered, abandoned, SL %, ASA, AHT and transfers; the
day so far against the same time yesterday; away reasons per agent. From
GET /v1/reports/intervals (a read like the others), refreshed every minute;
`i` cycles 15/30/60-minute intervals. Export: `agentdesk report`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from agentdesk.backends.base import AgentDeskError
from agentdesk.ui.monitor.cells import cell, fmt_hms, fmt_pct, num

if TYPE_CHECKING:
    from agentdesk.ui.monitor.monitor_app import MonitorApp

INTERVALS = (15, 30, 60)
REFRESH_S = 60.0
FIGURE_COLUMNS = (("offered", "Offer", 6), ("answered", "Ans", 5), ("abandoned", "Aban", 5),
                  ("sl_pct", "SL%", 5), ("asa_s", "ASA", 8), ("aht_s", "AHT", 8),
                  ("transfers", "Xfer", 5))


async def fetch_report(backend: Any, minutes: int) -> dict[str, Any]:
    """The report from the backend: its own method if it has one, else the
    agentdesk/1 route through its JSON client (a GET)."""
    method = getattr(backend, "get_interval_report", None)
    if callable(method):
        return await method(minutes)
    api = getattr(backend, "_api", None)
    if api is None:
        raise AgentDeskError("this backend has no interval reports")
    reply = await api.call("GET", "/v1/reports/intervals", params={"interval": minutes})
    if not isinstance(reply, dict) or not isinstance(reply.get("report"), dict):
        raise AgentDeskError("the server sent something that is not a report")
    return reply["report"]


def figure_cells(row: dict[str, Any]) -> list[Text]:
    out = []
    for key, _label, _width in FIGURE_COLUMNS:
        value = row.get(key)
        if key == "sl_pct":
            out.append(num(fmt_pct(value)))
        elif key in ("asa_s", "aht_s"):
            out.append(num(fmt_hms(value)))
        else:
            out.append(num(value if value is not None else "–"))
    return out


class HistoryScreen(Screen[None]):
    DEFAULT_CSS = """
    HistoryScreen { layout: vertical; }
    HistoryScreen .pane-title { height: 1; background: $panel; color: $muted-foreground;
                                padding: 0 1; }
    HistoryScreen #hist-intervals { height: 1fr; }
    HistoryScreen #hist-bottom { height: 12; }
    HistoryScreen #hist-compare { width: 2fr; }
    HistoryScreen #hist-away { width: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="history-back"),
        Binding("h", "app.pop_screen", "Back", show=False, id="history-back-h"),
        Binding("i", "cycle_interval", "Interval", id="history-interval"),
        Binding("f10", "app.quit", "Quit", id="history-quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.minutes = INTERVALS[0]
        self.report: dict[str, Any] | None = None
        self.ready = False

    @property
    def monitor_app(self) -> MonitorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Label("", id="hist-title", classes="pane-title", markup=False)
        yield DataTable(id="hist-intervals", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="hist-bottom"):
            with Vertical(id="hist-compare"):
                yield Label("Today so far vs the same time yesterday", classes="pane-title")
                yield DataTable(id="hist-compare-table", cursor_type="row")
            with Vertical(id="hist-away"):
                yield Label("Away today, per agent", classes="pane-title")
                yield DataTable(id="hist-away-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        intervals = self.query_one("#hist-intervals", DataTable)
        intervals.add_column("Interval", key="start", width=11)
        intervals.add_column("Queue", key="queue", width=18)
        compare = self.query_one("#hist-compare-table", DataTable)
        compare.add_column("Queue", key="queue", width=18)
        compare.add_column("Day", key="day", width=9)
        for table in (intervals, compare):
            for key, label, width in FIGURE_COLUMNS:
                table.add_column(Text(label, justify="right"), key=key, width=width)
        away = self.query_one("#hist-away-table", DataTable)
        away.add_column("Agent", key="agent", width=14)
        away.add_column("Reason", key="reason", width=9)
        away.add_column(Text("Time", justify="right"), key="time", width=8)
        self.set_interval(REFRESH_S, self.load)
        self.load()
        self.ready = True

    def action_cycle_interval(self) -> None:
        self.minutes = INTERVALS[(INTERVALS.index(self.minutes) + 1) % len(INTERVALS)]
        self.load()

    def load(self) -> None:
        self._fetch(self.minutes)

    @work(exclusive=True, group="history-report", exit_on_error=False)
    async def _fetch(self, minutes: int) -> None:
        title = self.query_one("#hist-title", Label)
        try:
            report = await fetch_report(self.monitor_app.backend, minutes)
        except AgentDeskError as exc:
            title.update(f"Interval report: not available ({exc.message})")
            return
        if minutes != self.minutes:
            return
        self.report = report
        self._show(report)

    def _when(self, at: float) -> str:
        return datetime.fromtimestamp(at, self.monitor_app.tz or UTC).strftime("%H:%M")

    def _show(self, report: dict[str, Any]) -> None:
        floor = self.monitor_app.floor

        def name(queue_id: str) -> str:
            queue = floor.queues.get(queue_id)
            return queue.name if queue is not None else queue_id

        self.query_one("#hist-title", Label).update(
            f"Interval report · today · {self.minutes} min intervals (i: change) · "
            f"as of {self._when(report['now'])}")
        intervals = self.query_one("#hist-intervals", DataTable)
        intervals.clear()
        step = float(report["interval_s"])
        for row in report["rows"]:
            if row["channel"] is not None:
                continue
            when = f"{self._when(row['start'])}–{self._when(row['start'] + step)}"
            intervals.add_row(cell(when), cell(name(row["queue_id"])), *figure_cells(row))
        compare = self.query_one("#hist-compare-table", DataTable)
        compare.clear()
        yesterday = {r["queue_id"]: r for r in report["yesterday"] if r["channel"] is None}
        for row in report["totals"]:
            if row["channel"] is not None:
                continue
            compare.add_row(cell(name(row["queue_id"])), cell("today"), *figure_cells(row))
            before = yesterday.get(row["queue_id"], {"queue_id": row["queue_id"]})
            compare.add_row(cell(""), cell("yesterday"), *figure_cells(before))
        away = self.query_one("#hist-away-table", DataTable)
        away.clear()
        for entry in report["away"]:
            agent = floor.agents.get(entry["agent_id"])
            away.add_row(cell(agent.name if agent else entry["agent_id"]), cell(entry["reason"]),
                         num(fmt_hms(entry["seconds"], 99)))
