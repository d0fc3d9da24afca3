"""Drill-down into one agent: their open interactions and, for the one opened,
the customer's unified timeline with the live call transcript. Read-only: no
composer, no command key; watching never marks anything read (server side)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from agentdesk.backends.base import AgentDeskError, BackendAuthError
from agentdesk.domain.floor import Dirty
from agentdesk.domain.models import Interaction, TimelineItem
from agentdesk.ui.glyphs import CHANNEL_GLYPH, PRESENCE_LABEL, ROUTING_LABEL, presence_var
from agentdesk.ui.monitor.cells import cell, fmt_duration, fmt_hms, hms_width, line, num
from agentdesk.ui.monitor.monitor_header import LinkBanner
from agentdesk.ui.widgets.timeline.timeline import Timeline

if TYPE_CHECKING:
    from agentdesk.ui.monitor.monitor_app import MonitorApp

TIMELINE_PAGE = 100
# (key, label, width) of the interactions list. The table has no cell padding,
# so every text is cut one cell short of its width (`gap`): a long name never
# runs into the state ("Oliver MacDonal… active"). Fits the narrow pane (34).
LIST_COLUMNS = (("ch", "", 2), ("customer", "Customer", 14), ("state", "State", 8),
                ("age", "Age", hms_width(99) + 1))
WIDTHS = {key: width for key, _, width in LIST_COLUMNS}


def gap(text: Text, width: int) -> Text:
    """`text` cut (with an ellipsis) to leave its column's last cell blank."""
    text.truncate(max(1, width - 1), overflow="ellipsis")
    return text


class DrilldownScreen(Screen[None]):
    """One agent's interactions; Enter opens an interaction's live timeline."""

    DEFAULT_CSS = """
    DrilldownScreen { layout: vertical; }
    DrilldownScreen #dd-agent { height: 1; background: $panel; padding: 0 1; }
    DrilldownScreen #dd-body { height: 1fr; }
    DrilldownScreen #dd-left { width: 46; border-right: vkey $panel; }
    DrilldownScreen.-narrow #dd-left { width: 34; }
    DrilldownScreen #dd-interactions { height: 1fr; }
    DrilldownScreen #dd-right { width: 1fr; }
    DrilldownScreen .pane-title { height: 1; background: $panel; color: $muted-foreground; padding: 0 1; }
    DrilldownScreen #dd-call { height: auto; padding: 0 1; background: $surface; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="drilldown-back"),
        Binding("backspace", "back", "Back", show=False, id="drilldown-back-backspace"),
        Binding("f10", "app.quit", "Quit", id="drilldown-quit"),
        Binding("l", "focus('dd-interactions')", "List", show=False, id="drilldown-focus-list"),
        Binding("v", "focus('dd-timeline')", "Timeline", show=False, id="drilldown-focus-timeline"),
        Binding("f1", "app.toggle_keys", "Keys", id="drilldown-help"),
    ]

    def __init__(self, agent_id: str) -> None:
        super().__init__()
        self.agent_id = agent_id
        self.interaction_id: str | None = None
        self.customer_id: str | None = None
        self._loading = False
        self._buffer: list[TimelineItem] = []
        self._shown_rows: dict[str, tuple[str, ...]] = {}
        self.ready = False  # composed and mounted: the flush may update it

    @property
    def monitor_app(self) -> MonitorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="dd-agent", markup=False)
        yield LinkBanner(id="dd-link")  # the wallboard's header is not in sight here
        with Horizontal(id="dd-body"):
            with Vertical(id="dd-left"):
                yield Label("Interactions (Enter: open)", classes="pane-title", markup=False)
                table: DataTable[Text] = DataTable(id="dd-interactions", cursor_type="row",
                                                   cell_padding=0)
                yield table
            with Vertical(id="dd-right"):
                yield Label("", id="dd-title", classes="pane-title", markup=False)
                yield Static("", id="dd-call", markup=False)
                yield Timeline(tz=self.monitor_app.tz, id="dd-timeline")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#dd-interactions", DataTable)
        for key, label, width in LIST_COLUMNS:
            table.add_column(Text(label, justify="right" if key == "age" else "left"),
                             key=key, width=width)
        self.refresh_all()
        rows = self.monitor_app.floor.agent_interactions(self.agent_id)
        if rows:
            self.open_interaction(rows[0].id)
        else:
            self.query_one("#dd-title", Label).update("No open interaction")
        table.focus()
        self.show_link(self.monitor_app.link_state)
        self.ready = True

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    # -- live --------------------------------------------------------------------------------

    def show_link(self, state: str) -> None:
        app = self.monitor_app
        self.query_one(LinkBanner).show(state, detail=app.link_detail,
                                        auth_message=app.auth_message)

    def apply_dirty(self, dirty: Dirty, *, tick: bool) -> None:
        floor = self.monitor_app.floor
        if dirty.reloaded or tick or self.agent_id in dirty.agents or any(
                (ix := floor.interactions.get(i)) is None or ix.agent_id == self.agent_id
                for i in dirty.interactions):
            self.refresh_all()
        if self.customer_id is not None:
            mine = [it for it in dirty.items if it.customer_id == self.customer_id]
            if mine:
                if self._loading:
                    self._buffer.extend(mine)
                else:
                    self.query_one(Timeline).append_items(mine)
        if dirty.reloaded and self.customer_id is not None:
            self._load_timeline(self.customer_id)

    def refresh_all(self) -> None:
        self._update_agent_line()
        self._update_rows()
        self._update_call()

    def _update_agent_line(self) -> None:
        floor = self.monitor_app.floor
        agent = floor.agents.get(self.agent_id)
        if agent is None:
            self.query_one("#dd-agent", Static).update(line(
                self.app.theme_variables, (self.agent_id, None, True), " (unknown agent)"))
            return
        cap = agent.capacity
        v = self.app.theme_variables
        hidden = self.monitor_app.hidden  # what the backend cannot tell is left out
        state = f" · {ROUTING_LABEL[agent.routing_state]}"
        if "since" not in hidden:
            state += f" for {fmt_duration(floor.time_in_state(agent.id))}"
        if "capacity" not in hidden:
            state += f" · capacity {cap.used}/{cap.total}"
        self.query_one("#dd-agent", Static).update(line(
            v, ("AGENT ", "accent", True), (agent.name, None, True), (f" ({agent.id})", "muted-foreground"),
            " · ", (PRESENCE_LABEL[agent.presence], presence_var(agent.presence)), state,
            ("  read-only view", "muted-foreground")))

    def _row(self, ix: Interaction) -> dict[str, Text]:
        v = self.app.theme_variables
        now = self.monitor_app.floor.now
        cells = {
            "ch": cell(CHANNEL_GLYPH[ix.channel], v, f"channel-{ix.channel.value}"),
            "customer": cell(ix.customer_name, v, bold=ix.id == self.interaction_id),
            "state": cell(ix.state.value + (" ⚠" if ix.id in self.monitor_app.floor.disclosure_overdue
                                            else ""),
                          v, "sla-warning" if ix.state.value == "offered"
                          or ix.id in self.monitor_app.floor.disclosure_overdue else None),
            "age": num(fmt_hms(now - (ix.accepted_at or ix.created_at), 99)),
        }
        return {key: gap(text, WIDTHS[key]) for key, text in cells.items()}

    def _update_rows(self) -> None:
        table = self.query_one("#dd-interactions", DataTable)
        wanted = self.monitor_app.floor.agent_interactions(self.agent_id)
        wanted_ids = [ix.id for ix in wanted]
        current = [str(k.value) for k in table.rows]
        if current != wanted_ids:
            keep = self._cursor_key(table)
            table.clear()
            self._shown_rows.clear()
            for ix in wanted:
                cells = self._row(ix)
                table.add_row(*cells.values(), key=ix.id)
                self._shown_rows[ix.id] = tuple(c.plain + str(c.style) for c in cells.values())
            if keep in wanted_ids:
                table.move_cursor(row=wanted_ids.index(keep), animate=False)
            return
        for ix in wanted:
            cells = self._row(ix)
            sig = tuple(c.plain + str(c.style) for c in cells.values())
            old = self._shown_rows.get(ix.id, ())
            for n, (key, value) in enumerate(cells.items()):
                if n >= len(old) or old[n] != sig[n]:
                    table.update_cell(ix.id, key, value)
            self._shown_rows[ix.id] = sig

    @staticmethod
    def _cursor_key(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    def _update_call(self) -> None:
        floor = self.monitor_app.floor
        ix = floor.interactions.get(self.interaction_id) if self.interaction_id else None
        call = self.query_one("#dd-call", Static)
        if ix is None:
            call.update(line(self.app.theme_variables, (
                "interaction closed" if self.interaction_id else "", "muted-foreground")))
            return
        queue = floor.queues.get(ix.queue_id)
        v = self.app.theme_variables
        parts: list = [(CHANNEL_GLYPH[ix.channel] + " ", f"channel-{ix.channel.value}"),
                       queue.name if queue else ix.queue_id, f" · {ix.state.value}"]
        if ix.subject:
            parts += [" · ", (ix.subject, None, True)]
        if ix.call is not None:
            c = ix.call
            talk = fmt_duration(floor.now - c.connected_at) if c.connected_at else "–"
            flags = [c.state.value, f"talk {talk}"]
            if c.muted:
                flags.append("muted")
            if c.held_since is not None:
                flags.append(f"on hold {fmt_duration(floor.now - c.held_since)}")
            parts += ["  ", ("call " + " · ".join(flags), "channel-voice", True)]
            if ix.id in floor.disclosure_overdue:
                parts += ["  ", ("⚠ recording notice not confirmed", "sla-warning", True)]
        call.update(line(v, *parts))

    # -- opening an interaction ----------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_interaction(str(event.row_key.value))
            self.query_one(Timeline).focus()

    def open_interaction(self, interaction_id: str) -> None:
        ix = self.monitor_app.floor.interactions.get(interaction_id)
        if ix is None:
            return
        self.interaction_id = ix.id
        title = self.query_one("#dd-title", Label)
        title.update(line(self.app.theme_variables, ix.customer_name,
                          f" · {ix.id} · customer timeline, live"))
        self._update_rows()
        self._update_call()
        if ix.customer_id != self.customer_id:
            self.customer_id = ix.customer_id
            self._load_timeline(ix.customer_id)

    def _load_timeline(self, customer_id: str) -> None:
        self._loading = True
        self._buffer = []
        self._fetch_timeline(customer_id)

    @work(exclusive=True, group="drilldown-timeline", exit_on_error=False)
    async def _fetch_timeline(self, customer_id: str) -> None:
        timeline = self.query_one(Timeline)
        try:
            page = await self.monitor_app.backend.get_timeline(customer_id, limit=TIMELINE_PAGE)
        except BackendAuthError:
            self._loading = False
            self.monitor_app.token_refused()
            return
        except AgentDeskError as exc:
            self._loading = False
            self.notify(exc.message, title="Timeline", severity="error", markup=False)
            return
        if customer_id != self.customer_id:
            return
        timeline.set_items(page.items, page.has_more)
        self._loading = False
        if self._buffer:
            timeline.append_items(self._buffer)
            self._buffer = []

    def on_timeline_load_older(self, event: Timeline.LoadOlder) -> None:
        event.stop()
        if self.customer_id is not None:
            self._fetch_older(self.customer_id, event.before_id)

    @work(group="drilldown-older", exit_on_error=False)
    async def _fetch_older(self, customer_id: str, before_id: str) -> None:
        try:
            page = await self.monitor_app.backend.get_timeline(
                customer_id, before=before_id, limit=TIMELINE_PAGE)
        except BackendAuthError:
            self.monitor_app.token_refused()
            return
        except AgentDeskError as exc:
            self.notify(exc.message, title="Timeline", severity="error", markup=False)
            return
        if customer_id == self.customer_id:
            self.query_one(Timeline).prepend_items(page.items, page.has_more)

    def on_timeline_retry_requested(self, event: Timeline.RetryRequested) -> None:
        event.stop()  # the monitor never sends anything

    # -- actions --------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_focus(self, which: str) -> None:
        self.query_one(f"#{which}").focus()
