"""The agents board: one row per agent, sortable and filterable, updated cell by cell."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from agentdesk.domain.alerts import AlertBook
from agentdesk.domain.floor import Floor
from agentdesk.domain.models import AgentInfo, Channel, RoutingState
from agentdesk.domain.teams import NO_QUEUE, NO_TEAM, BoardView
from agentdesk.ui.glyphs import CHANNEL_GLYPH, PRESENCE_LABEL, presence_var
from agentdesk.ui.monitor.agent_order import (  # noqa: F401 - re-exported for the tests
    SORTS,
    STATE_ORDER,
    AgentFilter,
    natural,
    sorted_ids,
    tie_break,
)
from agentdesk.ui.monitor.cells import cell, fit_cells, fmt_hms, fmt_pct, hms_width, num, theme_style
from agentdesk.ui.monitor.live_table import LiveTable

VIEW_MARGIN = 2  # rows above/below the viewport kept up to date
CHANNELS = (Channel.CHAT, Channel.EMAIL, Channel.SMS, Channel.SOCIAL, Channel.VOICE)

# (key, label, width)
# The table has no cell padding: widths include one cell of gap. Durations are
# a fixed h:mm:ss (cells.fmt_hms): time in state up to 99:59:59, AHT 9:59:59.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("name", "Agent", 11),
    ("presence", "Presence", 10),
    ("state", "State", 10),
    ("since", "In state", hms_width(99) + 1),
    *((f"ch-{c.value}", CHANNEL_GLYPH[c], 2) for c in CHANNELS),
    ("capacity", " Capacity", 11),
    ("handled", "Done", 5),
    ("aht", "AHT", hms_width() + 1),
    ("occupancy", " Occ", 5),
    ("missed", "Miss", 5),
)
# Below 100 columns the agents pane is ~50 wide: who, what state (an away
# agent's state is the presence: Break, Lunch ...), for how long, what is in
# hand, and how much was done; the rest gives way rather than scroll sideways.
NARROW_KEYS = ("name", "state", "since", *(f"ch-{c.value}" for c in CHANNELS), "handled")
GIVE_WAY_WHEN_GROUPED = {False: {"presence", "occupancy"},
                         True: {f"ch-{c.value}" for c in CHANNELS}}
NARROW: tuple[tuple[str, str, int], ...] = tuple(
    (key, label, 13 if key == "name" else width)
    for key, label, width in COLUMNS if key in NARROW_KEYS)
STATE_SHORT: dict[RoutingState, str] = {
    RoutingState.IDLE: "idle",
    RoutingState.OFFERED: "offered",
    RoutingState.BUSY: "busy",
    RoutingState.ACW: "ACW",
    RoutingState.NOT_RESPONDING: "NO ANSWER",
    RoutingState.OFF_QUEUE: "off queue",
}


class AgentName(Text):
    """The name cell; carries the agent id so the table can sort by the model."""

    agent_id: str = ""


STATE_VAR: dict[RoutingState, str | None] = {
    RoutingState.IDLE: "presence-available",
    RoutingState.OFFERED: "sla-warning",
    RoutingState.BUSY: None,
    RoutingState.ACW: "muted-foreground",
    RoutingState.NOT_RESPONDING: "sla-breach",
    RoutingState.OFF_QUEUE: "presence-away",
}

class AgentBoard(LiveTable):
    """Presence, routing state, time in state, interactions per channel,
    capacity used and the agent's stats. Enter opens the drill-down."""

    DEFAULT_CSS = """
    AgentBoard { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Open agent", id="agent-board-open"),
    ]

    class OpenAgent(Message):
        def __init__(self, agent_id: str) -> None:
            super().__init__()
            self.agent_id = agent_id

    def __init__(self, floor: Floor, *, alerts: AlertBook | None = None,
                 hidden: frozenset[str] = frozenset(), id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=0)
        self.floor = floor
        self.alerts = alerts
        self.hidden = hidden  # figures the backend cannot give (domain/monitor_figures.py)
        self.sort_index = 0
        self.sort_reverse = False
        self.filter = AgentFilter()
        self._shown: dict[tuple[str, str], str] = {}
        self._stale: set[str] = set()  # rows off screen whose cells are out of date
        self.cell_updates = 0
        self.view = BoardView()
        self.columns_spec = self.spec_for(False)
        self._narrow = False

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for key, label, width in self.columns_spec:
            self.add_column(header(key, label), key=key, width=width)

    # -- cells ------------------------------------------------------------------------------

    def row_cells(self, agent: AgentInfo) -> dict[str, Text]:
        floor = self.floor
        v = self.app.theme_variables
        stats = floor.agent_stats.get(agent.id)
        name = AgentName(agent.name, style=theme_style(v, None, bold=True), no_wrap=True,
                         overflow="ellipsis")
        name.agent_id = agent.id
        cells: dict[str, Text] = {
            "group": cell(self.view.group_of(agent, self._queue_names()), v, "accent"),
            "name": name,
            "presence": cell(PRESENCE_LABEL[agent.presence], v, presence_var(agent.presence)),
            "state": self._state_cell(agent),
            "since": num(fmt_hms(floor.time_in_state(agent.id), 99)),
        }
        for channel in CHANNELS:
            load = agent.capacity.channels.get(channel)
            active = load.active if load is not None else 0
            cells[f"ch-{channel.value}"] = num(active or "·", v,
                                               f"channel-{channel.value}" if active else
                                               "muted-foreground")
        cap = agent.capacity
        pct = cap.used / cap.total * 100 if cap.total else 0.0
        filled = min(4, round(pct / 25))
        capacity = Text(" ", no_wrap=True)
        capacity.append("█" * filled, style=theme_style(v, "sla-warning" if pct >= 100 else "primary"))
        capacity.append("·" * (4 - filled), style=theme_style(v, "muted-foreground"))
        capacity.append(f"{pct:4.0f}%")
        cells["capacity"] = capacity
        cells["handled"] = num(stats.handled if stats else 0)
        cells["aht"] = num(fmt_hms(stats.aht_s if stats else None))
        cells["occupancy"] = num(fmt_pct(stats.occupancy_pct if stats else None))
        missed = stats.missed if stats else 0
        cells["missed"] = num(missed, v, "sla-breach" if missed else None)
        alerts = self.alerts.agent_alerts(agent.id) if self.alerts is not None else []
        if alerts:  # a breached threshold: its cell and the name $sla-breach, bold
            breach = theme_style(v, "sla-breach", bold=True)
            for key in {"name", *(a.column for a in alerts)}:
                cells[key].style = breach
        return fit_cells(cells, self.columns_spec)

    def _queue_names(self) -> dict[str, str]:
        return {qid: q.name for qid, q in self.floor.queues.items()}

    def _state_cell(self, agent: AgentInfo) -> Text:
        v = self.app.theme_variables
        if self._narrow and agent.routing_state is RoutingState.OFF_QUEUE:
            # No presence column here: an away agent's state says which away.
            return cell(PRESENCE_LABEL[agent.presence], v, presence_var(agent.presence))
        state = cell(STATE_SHORT[agent.routing_state], v, STATE_VAR[agent.routing_state],
                     bold=agent.routing_state is RoutingState.NOT_RESPONDING)
        if self.floor.overdue_disclosures(agent.id):  # a call's recording notice not confirmed
            state.append(" ⚠", style=theme_style(v, "sla-warning", bold=True))
        return state

    def spec_for(self, narrow: bool) -> tuple[tuple[str, str, int], ...]:
        """The columns: the view's (or all), within the narrow set below 100
        columns, with the group column first when the board is grouped."""
        base = NARROW if narrow else COLUMNS
        wanted = set(self.view.columns) | {"name"} if self.view.columns else None
        if wanted is None and self.view.group:
            # Room for the group column without scrolling sideways: presence and
            # occupancy give way (the work in hand too, under 100 columns).
            wanted = {k for k, _, _ in base} - GIVE_WAY_WHEN_GROUPED[narrow]
        spec = tuple(c for c in base if (wanted is None or c[0] in wanted)
                     and c[0] not in self.hidden)
        if self.view.group:
            spec = (("group", self.view.group.capitalize(), 10 if narrow else 14), *spec)
        return spec

    def set_view(self, view: BoardView) -> None:
        """A supervisor's saved grouping and columns (domain/teams.py)."""
        self.view = view
        self._narrow_spec(self._narrow, force=True)

    def set_narrow(self, narrow: bool) -> None:
        """The column set for the screen's width (NARROW below 100 columns)."""
        self._narrow_spec(narrow)

    def _narrow_spec(self, narrow: bool, *, force: bool = False) -> None:
        self._narrow = narrow
        spec = self.spec_for(narrow)
        if force or spec != self.columns_spec:
            self.columns_spec = spec
            if self.is_mounted:
                selected = self.selected_key  # clear() forgets the cursor
                self.clear(columns=True)
                self._add_columns()
                self.rebuild(selected)

    # -- rows -------------------------------------------------------------------------------

    def visible_ids(self) -> list[str]:
        f = self.floor
        ids = [a.id for a in f.agents.values() if self.filter.matches(f, a)]
        out = sorted_ids(f, ids, self.sort_index, self.sort_reverse)
        if self.view.group:  # grouped: the groups in name order (none last), sorted within
            names = self._queue_names()

            def group(aid: str) -> tuple:
                name = self.view.group_of(f.agents[aid], names)
                return name in (NO_TEAM, NO_QUEUE), natural(name)

            out.sort(key=group)
        return out

    def rebuild(self, selected: str | None = None) -> None:
        """All rows from scratch: start-up, resync, filter or theme change."""
        current = self.selected_agent if selected is None else selected
        self.clear()
        self._shown.clear()
        self._stale.clear()
        for agent_id in self.visible_ids():
            self._add(agent_id)
        self._restore_cursor(current)

    def rows_keys(self) -> list[str]:
        """Agent ids in display order."""
        return [str(row.key.value) for row in self.ordered_rows]

    def _add(self, agent_id: str) -> None:
        cells = self.row_cells(self.floor.agents[agent_id])
        self.add_row(*(cells[key] for key, _, _ in self.columns_spec), key=agent_id)
        for key, value in cells.items():
            self._shown[(agent_id, key)] = _signature(value)

    def refresh_rows(self, agent_ids: Iterable[str], *, resort: bool = True) -> int:
        """Update only the changed cells of these agents (adding or removing rows
        that enter or leave the filter); re-sort if the order changed.

        Rows outside the viewport are not touched: they are remembered as stale
        and updated when they scroll into view."""
        changed = 0
        structural = False
        updates: list[tuple[str, str, Text]] = []
        first, last = self._visible_rows()
        for agent_id in agent_ids:
            agent = self.floor.agents.get(agent_id)
            present = agent_id in self.rows
            if agent is None or not self.filter.matches(self.floor, agent):
                if present:
                    self.remove_row(agent_id)
                    self._stale.discard(agent_id)
                    for key, _, _ in self.columns_spec:
                        self._shown.pop((agent_id, key), None)
                    structural = True
                continue
            if not present:
                self._add(agent_id)
                structural = True
                changed += len(self.columns_spec)
                continue
            index = self.get_row_index(agent_id)
            if not first <= index <= last:
                self._stale.add(agent_id)
                continue
            self._row_updates(agent_id, agent, updates)
        changed += self.set_cells(updates)
        if resort and (structural or self._order_changed()):
            self.apply_sort()
        self.cell_updates += changed
        return changed

    def _row_updates(self, agent_id: str, agent: AgentInfo,
                     updates: list[tuple[str, str, Text]]) -> None:
        self._stale.discard(agent_id)
        shown = {key for key, _, _ in self.columns_spec}
        for key, value in self.row_cells(agent).items():
            if key not in shown:
                continue
            sig = _signature(value)
            if self._shown.get((agent_id, key)) != sig:
                self._shown[(agent_id, key)] = sig
                updates.append((agent_id, key, value))

    def refresh_stale(self) -> int:
        """Bring the stale rows now in view up to date."""
        if not self._stale:
            return 0
        first, last = self._visible_rows()
        updates: list[tuple[str, str, Text]] = []
        for agent_id in list(self._stale):
            agent = self.floor.agents.get(agent_id)
            if agent is None or agent_id not in self.rows:
                self._stale.discard(agent_id)
                continue
            if first <= self.get_row_index(agent_id) <= last:
                self._row_updates(agent_id, agent, updates)
        return self.set_cells(updates)

    def _visible_rows(self) -> tuple[int, int]:
        """Indexes of the rows in (or within a few rows of) the viewport."""
        top = int(self.scroll_y)
        height = max(1, self.size.height)
        return max(0, top - VIEW_MARGIN), top + height + VIEW_MARGIN

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self._stale:
            self.call_later(self.refresh_stale)

    def _order_changed(self) -> bool:
        return self.rows_keys() != self.visible_ids()

    def apply_sort(self) -> None:
        current = self.selected_agent
        # The rows take the order of visible_ids() (one definition of the order, and
        # the one _order_changed compares with); rows it no longer lists go last.
        order = {aid: i for i, aid in enumerate(self.visible_ids())}
        last = len(order)

        def row_key(name: Text) -> int:
            return order.get(getattr(name, "agent_id", ""), last)

        self.sort("name", key=row_key)
        self._restore_cursor(current)
        self.refresh_stale()

    def _restore_cursor(self, agent_id: str | None) -> None:
        if agent_id is not None and agent_id in self.rows:
            index = self.get_row_index(agent_id)
            if index != self.cursor_row:
                self.move_cursor(row=index, animate=False, scroll=False)

    # -- sort and filter ----------------------------------------------------------------------

    @property
    def sort_label(self) -> str:
        return SORTS[self.sort_index][0] + (" ↓" if self.sort_reverse else " ↑")

    def cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.apply_sort()

    def set_sort(self, label: str) -> None:
        self.sort_index = next(i for i, (name, _) in enumerate(SORTS) if name == label)
        self.apply_sort()

    def reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.apply_sort()

    def set_filter(self, flt: AgentFilter) -> None:
        if flt != self.filter:
            self.filter = flt
            self.rebuild()

    @property
    def selected_agent(self) -> str | None:
        return self.selected_key

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.OpenAgent(str(event.row_key.value)))


LEFT = {"group", "name", "presence", "state", "capacity"}


def header(key: str, label: str) -> Text:
    return Text(label if key in LEFT else label.strip(), justify="left" if key in LEFT else "right")


def _signature(text: Text) -> str:
    return f"{text.plain}\x00{text.style}\x00{[str(s.style) for s in text.spans]}"
