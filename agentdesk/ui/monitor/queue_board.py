"""The queues board: one row per queue (and per channel of a multi-channel queue),
updated cell by cell from the floor."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from agentdesk.domain.alerts import AlertBook
from agentdesk.domain.floor import Floor
from agentdesk.domain.models import Channel, ChannelStats
from agentdesk.domain.staffing import QueueStaffing
from agentdesk.ui.glyphs import CHANNEL_GLYPH, CHANNEL_LABEL
from agentdesk.ui.monitor.cells import (
    abandon_level,
    cell,
    fit_cells,
    fmt_hms,
    fmt_pct,
    hms_width,
    num,
    sl_level,
    theme_style,
    wait_level,
)
from agentdesk.ui.monitor.live_table import LiveTable

LONG_H = 99  # the longest wait column holds up to 99:59:59 (email can wait for hours)

# (key, label, width)
# The table has no cell padding: widths include one cell of gap. Duration
# columns hold their fixed h:mm:ss (cells.fmt_hms): ASA and AHT up to 9:59:59,
# the longest wait up to 99:59:59.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("queue", "Queue", 17),
    ("waiting", "Wait", 5),
    ("longest", "Longest", hms_width(LONG_H) + 1),
    ("sl", "SL%", 5),
    ("target", "Goal", 8),
    ("asa", "ASA", hms_width() + 1),
    ("aht", "AHT", hms_width() + 1),
    ("abandon", "Aband", 6),
    ("available", "Avail", 6),
    ("busy", "Busy", 5),
    ("acw", "ACW", 5),
    ("away", "Away", 5),
    ("not_responding", "NR", 4),
    ("mix", " By channel", 15),
    ("need", "Need", 7),
)
# "Need": agents needed now to meet the goal / agents staffed (Erlang C,
# domain/staffing.py), red when short.
# Below 100 columns (80x24): what a supervisor acts on, without sideways
# scrolling; the goal, the channel mix and ASA give way.
NARROW: tuple[tuple[str, str, int], ...] = tuple(
    (key, label, {"queue": 14, "acw": 4, "not_responding": 3}.get(key, width))
    for key, label, width in COLUMNS if key not in ("target", "mix", "asa"))
LEFT = {"queue", "mix"}


MAX_HEIGHT_PCT = 45  # of the screen: the agents board keeps the rest
SUB = "\x1f"  # joins a queue id and a channel in a sub-row key (ids are sanitised: no C0)


def sub_key(queue_id: str, channel: Channel) -> str:
    return f"{queue_id}{SUB}{channel.value}"


class QueueBoard(LiveTable):
    """Per queue: waiting, longest wait, SL against goal, ASA, AHT, abandonment
    and agents by state; threshold breaches coloured with $sla-* variables.

    A queue serving several channels gets indented sub-rows, one per channel,
    with the same figures for that channel's contacts (the queue row stays the
    total). When every sub-row fits in the board's height they are all shown;
    on a smaller screen only the queue under the cursor is expanded, so every
    queue total stays in sight."""

    DEFAULT_CSS = f"""
    QueueBoard {{ height: auto; max-height: {MAX_HEIGHT_PCT}%; }}
    """

    BINDINGS = [
        Binding("enter", "select_cursor", "Trend of queue", show=False, id="queue-board-select"),
    ]

    def __init__(self, floor: Floor, *, alerts: AlertBook | None = None,
                 hidden: frozenset[str] = frozenset(), id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=0)
        self.floor = floor
        self.alerts = alerts
        self.hidden = hidden  # figures the backend cannot give (domain/monitor_figures.py)
        # queue id -> agents needed now (set by the screen; None: not shown)
        self.staffing: Callable[[str], QueueStaffing | None] | None = None
        self._shown: dict[tuple[str, str], str] = {}  # (row, column) -> plain text last set
        self._layout: list[str] = []  # row keys in display order
        self._screen_height = 0  # 0: unknown, expand everything
        self._open_queue: str | None = None  # compact mode: the one expanded queue
        self.cell_updates = 0
        self.rebuilds = 0
        self.columns_spec = self._without_hidden(COLUMNS)

    def _without_hidden(self, spec: tuple[tuple[str, str, int], ...]
                        ) -> tuple[tuple[str, str, int], ...]:
        return tuple(c for c in spec if c[0] not in self.hidden) if self.hidden else spec

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for key, label, width in self.columns_spec:
            self.add_column(Text(label, justify="left" if key in LEFT else "right"),
                            key=key, width=width)

    def set_narrow(self, narrow: bool) -> None:
        """The column set for the screen's width (NARROW below 100 columns)."""
        spec = self._without_hidden(NARROW if narrow else COLUMNS)
        if spec != self.columns_spec:
            self.columns_spec = spec
            if self.is_mounted:
                selected = self.selected_key  # clear() forgets the cursor
                self.clear(columns=True)
                self._add_columns()
                self.rebuild(selected)

    # -- layout -----------------------------------------------------------------------------

    def channels_of(self, queue_id: str) -> list[ChannelStats]:
        """The channel breakdown of a multi-channel queue (none for a single channel);
        a channel listed twice by a confused server is shown once (row keys are unique)."""
        stats = self.floor.queue_stats.get(queue_id)
        if stats is None or len(stats.channels) < 2:
            return []
        unique: dict[Channel, ChannelStats] = {}
        for cs in stats.channels:
            unique.setdefault(cs.channel, cs)
        return list(unique.values()) if len(unique) > 1 else []

    @property
    def compact(self) -> bool:
        """True when the fully expanded board would not fit its height."""
        if not self._screen_height:
            return False
        rows = sum(1 + len(self.channels_of(q)) for q in self.floor.queues)
        limit = self._screen_height * MAX_HEIGHT_PCT // 100
        return rows + 2 > limit  # + header + a horizontal scrollbar

    def layout(self) -> list[str]:
        """Row keys in display order: each queue, then its channel sub-rows if expanded."""
        compact = self.compact
        if compact and self._open_queue not in self.floor.queues:
            self._open_queue = next(iter(self.floor.queues), None)
        out: list[str] = []
        for queue_id in self.floor.queues:
            out.append(queue_id)
            if not compact or queue_id == self._open_queue:
                out.extend(sub_key(queue_id, cs.channel) for cs in self.channels_of(queue_id))
        return out

    def fit_height(self, screen_height: int) -> None:
        """The screen's height decides between all sub-rows and the cursor's queue only."""
        if screen_height != self._screen_height:
            self._screen_height = screen_height
            if self.layout() != self._layout:
                self.rebuild()

    def queue_of(self, row_key: str | None) -> str | None:
        """The queue a row belongs to (a sub-row's parent)."""
        return row_key.split(SUB, 1)[0] if row_key else None

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
            "need": self._need_cell(queue_id),
            "waiting": num(waiting, v, "sla-warning" if waiting else None, bold=bool(waiting)),
            "mix": mix_text,
            "longest": num(fmt_hms(longest, LONG_H) if longest > 0 else "–", v,
                           wait_level(queue, longest)),
            "sl": num(fmt_pct(stats.sl_pct if stats else None), v, sl_level(queue, stats),
                      bold=True),
            "target": num(goal),
            "asa": num(fmt_hms(stats.asa_s if stats else None)),
            "aht": num(fmt_hms(stats.aht_s if stats else None)),
            "abandon": num(fmt_pct(stats.abandon_pct if stats else None), v,
                           abandon_level(stats.abandon_pct if stats else None)),
            "available": num(agents.get("available", 0), v, "presence-available"),
            "busy": num(agents.get("busy", 0)),
            "acw": num(agents.get("acw", 0)),
            "away": num(agents.get("away", 0), v, "presence-away"),
            "not_responding": num(nr, v, "sla-breach" if nr else None, bold=bool(nr)),
        }

    def sub_row_cells(self, queue_id: str, cs: ChannelStats) -> dict[str, Text]:
        """One channel of a queue: the same columns and colours; agent states that are
        not per channel (ACW, away, not responding), the goal and the channel mix blank."""
        v = self.app.theme_variables
        queue = self.floor.queues.get(queue_id)
        longest = self.floor.longest_wait(queue_id, cs.channel)
        label = Text("  ", no_wrap=True, overflow="ellipsis")
        label.append(CHANNEL_GLYPH[cs.channel], style=theme_style(v, f"channel-{cs.channel.value}"))
        label.append(" " + CHANNEL_LABEL[cs.channel], style=theme_style(v, "muted-foreground"))
        blank = Text("")
        return {
            "queue": label,
            "need": self._channel_need_cell(queue_id, cs.channel),
            "waiting": num(cs.waiting, v, "sla-warning" if cs.waiting else None),
            "mix": blank,
            "longest": num(fmt_hms(longest, LONG_H) if longest > 0 else "–", v,
                           wait_level(queue, longest)),
            "sl": num(fmt_pct(cs.sl_pct), v, sl_level(queue, cs)),
            "target": blank,
            "asa": num(fmt_hms(cs.asa_s)),
            "aht": num(fmt_hms(cs.aht_s)),
            "abandon": num(fmt_pct(cs.abandon_pct), v, abandon_level(cs.abandon_pct)),
            "available": num(cs.agents.get("available", 0), v, "presence-available"),
            "busy": num(cs.agents.get("busy", 0)),
            "acw": blank,
            "away": blank,
            "not_responding": blank,
        }

    def _cells_of(self, row_key: str) -> dict[str, Text] | None:
        queue_id, _, channel = row_key.partition(SUB)
        if not channel:
            return fit_cells(self._alerted(queue_id, self.row_cells(queue_id), "queue"),
                             self.columns_spec)
        cs = next((c for c in self.channels_of(queue_id) if c.channel.value == channel), None)
        return fit_cells(self.sub_row_cells(queue_id, cs), self.columns_spec) \
            if cs is not None else None

    def _need_cell(self, queue_id: str) -> Text:
        staffing = self.staffing(queue_id) if self.staffing is not None else None
        if staffing is None or staffing.needed is None:
            return num("–")
        short = staffing.needed > staffing.staffed
        return num(f"{staffing.needed}/{staffing.staffed}", self.app.theme_variables,
                   "sla-breach" if short else None, bold=short)

    def _channel_need_cell(self, queue_id: str, channel: Channel) -> Text:
        staffing = self.staffing(queue_id) if self.staffing is not None else None
        need = staffing.channels.get(channel) if staffing is not None else None
        return num(need.agents if need is not None else "–")

    def _alerted(self, subject_id: str, cells: dict[str, Text], name_key: str) -> dict[str, Text]:
        """A breached threshold turns its cell and the row's name $sla-breach, bold."""
        alerts = self.alerts.queue_alerts(subject_id) if self.alerts is not None else []
        if alerts:
            breach = theme_style(self.app.theme_variables, "sla-breach", bold=True)
            for key in {name_key, *(a.column for a in alerts)}:
                if key in cells:
                    cells[key].style = breach
        return cells

    def rebuild(self, selected: str | None = None) -> None:
        """All rows from scratch (start-up, resync, theme change, and when the rows
        themselves change: a queue gains its channel breakdown, the screen is resized,
        or the cursor moves to another queue on a small screen)."""
        keep = self.selected_key if selected is None else selected
        self.clear()
        self._shown.clear()
        self._layout = self.layout()
        self.rebuilds += 1
        for row_key in self._layout:
            cells = self._cells_of(row_key) or {}
            self.add_row(*(cells.get(key, Text("")) for key, _, _ in self.columns_spec),
                         key=row_key)
            for key, value in cells.items():
                self._shown[(row_key, key)] = _signature(value)
        if self.row_count:
            target = keep if keep in self._layout else self.queue_of(keep)
            index = self._layout.index(target) if target in self._layout else 0
            self.move_cursor(row=index)

    def refresh_rows(self, queue_ids: Iterable[str]) -> int:
        """Update the changed cells of these queues and their channel rows; returns
        how many cells changed. Only a change of the rows themselves rebuilds."""
        if self.layout() != self._layout:
            self.rebuild()
            return self.row_count * len(self.columns_spec)
        wanted = set(queue_ids)
        shown = {key for key, _, _ in self.columns_spec}
        updates: list[tuple[str, str, Text]] = []
        for row_key in self._layout:
            if self.queue_of(row_key) not in wanted:
                continue
            for key, value in (self._cells_of(row_key) or {}).items():
                if key not in shown:
                    continue
                sig = _signature(value)
                if self._shown.get((row_key, key)) != sig:
                    self._shown[(row_key, key)] = sig
                    updates.append((row_key, key, value))
        changed = self.set_cells(updates)
        self.cell_updates += changed
        return changed

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """On a small screen the cursor's queue is the expanded one. The cursor is read
        now, not from the event: a rebuild moves it after posting older events."""
        if event.data_table is not self or not self.compact:
            return
        queue_id = self.queue_of(self.selected_key)
        if queue_id is not None and queue_id != self._open_queue:
            self._open_queue = queue_id
            self.rebuild()

    @property
    def selected_queue(self) -> str | None:
        return self.queue_of(self.selected_key)


def _signature(text: Text) -> str:
    return f"{text.plain}\x00{text.style}\x00{[str(s.style) for s in text.spans]}"


def _short_s(seconds: float) -> str:
    """20s, 5m, 4h: a threshold in the fewest characters."""
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:.0f}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:.0f}m"
    return f"{seconds:.0f}s"
