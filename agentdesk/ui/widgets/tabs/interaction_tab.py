"""One tab of the tab bar: channel glyph in channel colour, customer name
(literal text), unread count, typing indicator and the countdown that matters
(offer, reply SLA or ACW) coloured sla-ok / sla-warning / sla-breach."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from agentdesk.domain.enums import Channel, InteractionState
from agentdesk.ui.glyphs import CHANNEL_GLYPH, RING, TYPING, channel_var
from agentdesk.ui.timefmt import countdown_level, duration

NAME_MAX = 18
NAME_MIN = 4  # below this a name says nothing: the bar scrolls instead
TAB_CHROME = 3  # padding either side + the margin between tabs
UNREAD_MAX = 99  # a larger unread count reads "99+"


@dataclass(frozen=True, slots=True)
class TabInfo:
    interaction_id: str
    channel: Channel
    name: str
    state: InteractionState
    unread: int = 0
    typing: bool = False
    deadline_kind: str | None = None  # offer / reply / acw
    deadline: float | None = None
    held: bool = False


@lru_cache(maxsize=2048)
def _part(template: str, **variables: str) -> Content:
    """A styled piece of a label. Parsing markup is most of the cost of a label and
    the pieces repeat (numbers, glyphs, counts, countdowns): parse each once.
    `Content` is immutable, so the cached pieces are shared safely."""
    return Content.from_markup(template, **variables)


def fit_name(name: str, limit: int = NAME_MAX) -> str:
    limit = max(1, limit)
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def tab_content(info: TabInfo, number: int | None, now: float, name_max: int = NAME_MAX) -> Content:
    """The label: number, glyph, ring, name (cut to `name_max`), unread, typing,
    held, countdown. Only the name is ever shortened."""
    countdown = None
    if info.deadline is not None and info.deadline_kind:
        left = info.deadline - now
        countdown = (
            countdown_level(info.deadline_kind, left),
            {"offer": "", "reply": "", "acw": "ACW "}.get(info.deadline_kind, ""),
            duration(max(left, 0) if info.deadline_kind == "offer" else left),
        )
    return _label(info, number, name_max, countdown)


@lru_cache(maxsize=1024)
def _label(info: TabInfo, number: int | None, name_max: int,
           countdown: tuple[str, str, str] | None) -> Content:
    """The label of a tab whose countdown reads `countdown` (level, label, time):
    the bar asks for every tab's label on each update (to fit the names), and
    between two ticks of a countdown nothing in it changes."""
    name = fit_name(info.name, name_max)
    parts = []
    if number is not None and number <= 9:
        parts.append(_part("[$muted-foreground]$n[/] ", n=str(number)))
    parts.append(_part(f"[${channel_var(info.channel)}]$g[/] ", g=CHANNEL_GLYPH[info.channel]))
    if info.state is InteractionState.OFFERED:
        parts.append(_part("[$accent]$ring[/] ", ring=RING))
    parts.append(Content(name))
    if info.unread:
        # Capped, as badges are: past 99 the exact figure tells the agent nothing
        # more, and a label that keeps its width costs a repaint, not a layout
        # pass of the whole screen (a busy chat gains a digit every few seconds).
        shown = str(info.unread) if info.unread <= UNREAD_MAX else f"{UNREAD_MAX}+"
        parts.append(_part(" [b $accent]($n)[/]", n=shown))
    if info.typing:
        parts.append(_part(" [$muted-foreground]$t[/]", t=TYPING))
    if info.held:
        parts.append(_part(" [$sla-warning]held[/]"))
    if countdown is not None:
        level, label, time_left = countdown
        parts.append(_part(f" [${level}]$label$t[/]", label=label, t=time_left))
    elif info.state is InteractionState.WRAPUP:
        parts.append(_part(" [$sla-warning]ACW[/]"))
    return Content("").join(parts)


class InteractionTab(Static):
    """A clickable tab; posts `InteractionTab.Clicked` with its interaction id."""

    DEFAULT_CSS = """
    InteractionTab {
        width: auto;
        height: 1;
        padding: 0 1;
        background: $surface;
        color: $text-muted;
        margin-right: 1;
    }
    InteractionTab:hover { background: $boost; }
    InteractionTab.-active { background: $primary 30%; color: $foreground; text-style: bold; }
    InteractionTab.-split { background: $secondary 30%; color: $foreground; }
    InteractionTab.-offered { text-style: bold; }
    """

    class Clicked(Message):
        def __init__(self, interaction_id: str) -> None:
            super().__init__()
            self.interaction_id = interaction_id

    def __init__(self, info: TabInfo) -> None:
        super().__init__(markup=False)
        self.info = info
        self.number: int | None = None
        self._shown: tuple[object, ...] | None = None
        self._cells = -1  # width of the label shown, in cells
        self._deferred: tuple[tuple[object, ...], Content] | None = None

    def show(self, info: TabInfo, number: int | None, now: float, *, visible: bool = True,
             name_max: int = NAME_MAX) -> None:
        """Update the label; a no-op when nothing visible changed. A label of a
        new width costs a layout pass of the whole screen (the tab is auto-width);
        one of the same width (a countdown ticking, 3 unread -> 4) only a repaint.

        `visible=False` (the tab is scrolled out of the tab bar): a change that
        keeps the width waits for `show_deferred`, because repainting a widget
        that is not on screen makes Textual rebuild its map of the whole screen
        on the next frame."""
        left = int(info.deadline - now) if info.deadline is not None else None
        key = (info, number, left, name_max)
        if key == self._shown:
            self._deferred = None
            return
        if self._deferred is not None and key == self._deferred[0] and not visible:
            return
        self.info = info
        self.number = number
        content = tab_content(info, number, now, name_max)
        offered = info.state is InteractionState.OFFERED
        if not visible and content.cell_length == self._cells and offered == self.has_class("-offered"):
            self._deferred = (key, content)
            return
        self._apply(key, content)

    def show_deferred(self) -> None:
        """Apply a label held back while the tab was out of view."""
        if self._deferred is not None:
            self._apply(*self._deferred)

    def _apply(self, key: tuple[object, ...], content: Content) -> None:
        self._deferred = None
        self._shown = key
        self.set_class(self.info.state is InteractionState.OFFERED, "-offered")
        cells = content.cell_length
        self.update(content, layout=cells != self._cells)
        self._cells = cells

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.info.interaction_id))
