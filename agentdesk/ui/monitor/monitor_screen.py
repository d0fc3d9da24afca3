"""The wallboard: header, queues board, agents board with its filter, trends and the live feed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label

from agentdesk.domain.alerts import AlertChange
from agentdesk.domain.floor import OVERALL, Dirty
from agentdesk.ui.monitor.agent_board import AgentBoard, AgentFilter
from agentdesk.ui.monitor.filter_bar import FilterBar
from agentdesk.ui.monitor.live_feed import LiveFeed
from agentdesk.ui.monitor.monitor_header import LinkBanner, MonitorHeader
from agentdesk.ui.monitor.queue_board import QueueBoard
from agentdesk.ui.monitor.sparkline_panel import SparklinePanel
from agentdesk.ui.textual_compat import FrameTimedScreen, crop_partial_frames
from agentdesk.ui.widgets.repaint import show

if TYPE_CHECKING:
    from agentdesk.ui.monitor.monitor_app import MonitorApp


NARROW_BELOW = 100  # columns: the 80x24 layout below this


class MonitorScreen(FrameTimedScreen, Screen[None]):
    """Read-only wallboard. Keys navigate, sort and filter; nothing mutates."""

    DEFAULT_CSS = """
    MonitorScreen { layout: vertical; }
    MonitorScreen #boards { height: 1fr; }
    MonitorScreen #agents-pane { width: 1fr; }
    MonitorScreen #side { width: 34; border-left: vkey $panel; }
    MonitorScreen .pane-title { height: 1; background: $panel; color: $muted-foreground; padding: 0 1; }
    MonitorScreen.-narrow #side { width: 28; }
    """

    BINDINGS = [
        Binding("f10", "app.quit", "Quit", id="monitor-quit"),
        Binding("q", "app.quit", "Quit", show=False, id="monitor-quit-q"),
        Binding("s", "sort_next", "Sort", id="monitor-sort-next"),
        Binding("r", "sort_reverse", "Reverse", id="monitor-sort-reverse"),
        Binding("slash", "focus_filter", "Filter", id="monitor-filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="monitor-filter-clear"),
        Binding("t", "trend_scope", "Trend scope", id="monitor-trend-scope"),
        Binding("w", "app.toggle_wall", "Wall", id="monitor-wall"),
        Binding("h", "app.open_history", "History", id="monitor-history"),
        Binding("1", "focus('queues')", "Queues", show=False, id="monitor-focus-queues"),
        Binding("2", "focus('agents')", "Agents", show=False, id="monitor-focus-agents"),
        Binding("3", "focus('feed')", "Feed", show=False, id="monitor-focus-feed"),
        Binding("f1", "app.toggle_keys", "Keys", id="monitor-help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        crop_partial_frames(self)  # a flush re-renders only the rows that changed

    def compose(self) -> ComposeResult:
        app = self.monitor_app
        yield MonitorHeader(hidden=app.hidden, id="monitor-header")
        yield LinkBanner(id="monitor-banner")
        yield Label("Queues", classes="pane-title", id="queues-title")
        yield QueueBoard(app.floor, alerts=app.alerts, hidden=app.hidden, id="queues")
        with Horizontal(id="boards"):
            with Vertical(id="agents-pane"):
                yield Label("", classes="pane-title", id="agents-title", markup=False)
                yield FilterBar(id="filter")
                yield AgentBoard(app.floor, alerts=app.alerts, hidden=app.hidden, id="agents")
            with Vertical(id="side"):
                yield Label("Trends · 30 min", classes="pane-title", markup=False)
                yield SparklinePanel(app.floor, service_level="sl" not in app.hidden,
                                     id="trends")
                yield Label("Live feed", classes="pane-title", markup=False)
                yield LiveFeed(tz=app.tz, id="feed")
        yield Footer()

    @property
    def monitor_app(self) -> MonitorApp:
        return self.app  # type: ignore[return-value]

    ready = False  # composed and mounted: the flush may update it

    def on_mount(self) -> None:
        app = self.monitor_app
        self.query_one(QueueBoard).staffing = app.staffing
        self.query_one(AgentBoard).set_view(app.board_view)  # the supervisor's saved view
        if app.board_view.filter:
            self.query_one(FilterBar).value = app.board_view.filter
        self.query_one(AgentBoard).focus()
        self._update_agents_title()
        self._fit_width()
        self.ready = True
        self.query_one(QueueBoard).fit_height(self.size.height)
        self.rebuild()
        self.show_link(self.monitor_app.link_state)

    def on_resize(self) -> None:
        self._fit_width()
        if self.ready:
            self.query_one(QueueBoard).fit_height(self.size.height)

    def _fit_width(self) -> None:
        """Below 100 columns (80x24) the header and both boards show what matters
        in the width there is, instead of scrolling sideways."""
        narrow = self.size.width < NARROW_BELOW
        self.set_class(narrow, "-narrow")
        self.query_one(MonitorHeader).compact = narrow
        self.query_one(QueueBoard).set_narrow(narrow)
        self.query_one(AgentBoard).set_narrow(narrow)

    # -- flushing -------------------------------------------------------------------------

    def rebuild(self) -> None:
        app = self.monitor_app
        self.query_one(QueueBoard).rebuild()
        self.query_one(AgentBoard).rebuild()
        self.query_one(SparklinePanel).refresh_trends()
        self.query_one(LiveFeed).replay(app.floor.feed, app.alert_feed)
        self._update_header()
        self._update_agents_title()

    def apply_dirty(self, dirty: Dirty, *, tick: bool,
                    alerts: Sequence[AlertChange] = ()) -> int:
        """Update what changed; on a clock tick also the live durations; alerts
        raised or cleared go to the feed (their rows are in `dirty`)."""
        floor = self.monitor_app.floor
        if dirty.reloaded:
            self.rebuild()
            return 0
        changed = 0
        queues = set(dirty.queues)
        agents = set(dirty.agents)
        if tick:
            queues.update(floor.queues)  # longest wait grows
            agents.update(self.query_one(AgentBoard).rows_keys())  # time in state
        for ix_id in dirty.interactions:
            ix = floor.interactions.get(ix_id)
            if ix is not None:
                queues.add(ix.queue_id)
        if queues:
            changed += self.query_one(QueueBoard).refresh_rows(sorted(queues))
        if agents:
            changed += self.query_one(AgentBoard).refresh_rows(sorted(agents))
            self._update_agents_title()
        if dirty.trends:
            self.query_one(SparklinePanel).refresh_trends()
        if dirty.feed:
            self.query_one(LiveFeed).add_entries(dirty.feed)
        if alerts:
            self.query_one(LiveFeed).add_alerts(alerts)
        self._update_header()
        return changed

    def show_link(self, state: str) -> None:
        app = self.monitor_app
        self.query_one(MonitorHeader).show(link=state, note=app.link_note)
        self.query_one(LinkBanner).show(state, detail=app.link_detail,
                                        auth_message=app.auth_message)

    def _update_header(self) -> None:
        app = self.monitor_app
        self.query_one(MonitorHeader).show(user=app.user_name, link=app.link_state,
                                           totals=app.floor.totals(), note=app.link_note,
                                           alerts=len(app.alerts))

    def _update_agents_title(self) -> None:
        board = self.query_one(AgentBoard)
        text = f"Agents {board.row_count}/{len(board.floor.agents)} · sort: {board.sort_label}"
        if board.filter:
            text += " · filtered"
        show(self.query_one("#agents-title", Label), text)  # no layout pass per flush

    # -- actions (navigation, sort, filter: nothing here talks to the backend) ---------------

    def action_sort_next(self) -> None:
        self.query_one(AgentBoard).cycle_sort()
        self._update_agents_title()

    def action_sort_reverse(self) -> None:
        self.query_one(AgentBoard).reverse_sort()
        self._update_agents_title()

    def sort_by(self, label: str) -> None:
        self.query_one(AgentBoard).set_sort(label)
        self._update_agents_title()

    def action_focus_filter(self) -> None:
        self.query_one(FilterBar).focus()

    def action_clear_filter(self) -> None:
        self.set_filter_text("")

    def set_filter_text(self, text: str) -> None:
        bar = self.query_one(FilterBar)
        if bar.value != text:
            bar.value = text  # Input.Changed applies it
        else:
            self._apply_filter(text)

    def action_trend_scope(self) -> None:
        panel = self.query_one(SparklinePanel)
        if panel.queue_id == OVERALL:
            panel.show_queue(self.query_one(QueueBoard).selected_queue or OVERALL)
        else:
            panel.show_queue(OVERALL)

    def action_focus(self, which: str) -> None:
        self.query_one(f"#{which}").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FilterBar):
            self._apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if isinstance(event.input, FilterBar):
            self.query_one(AgentBoard).focus()

    def _apply_filter(self, text: str) -> None:
        self.query_one(AgentBoard).set_filter(AgentFilter.parse(text))
        self._update_agents_title()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if isinstance(event.data_table, QueueBoard) and event.row_key.value is not None:
            event.stop()
            # A channel row stands for its queue.
            queue_id = event.data_table.queue_of(str(event.row_key.value))
            self.query_one(SparklinePanel).show_queue(queue_id or OVERALL)

    def on_agent_board_open_agent(self, event: AgentBoard.OpenAgent) -> None:
        event.stop()
        self.monitor_app.open_agent(event.agent_id)
