"""The tab bar: one `InteractionTab` per open interaction (offered, active,
wrap-up), in arrival or urgency order. Tabs are few (an agent holds at most
a handful of interactions) so one small widget per tab is fine; they are
updated in place and only added/removed when interactions come and go.

A tab scrolled out of the visible part of the bar holds a label change of the
same width until it scrolls into view (repainting a widget that is not on
screen makes Textual rebuild its whole screen map on the next frame); the
active tab is scrolled into view when it or the order changes, not on every
update.

Names are shortened so every tab fits the bar (down to `NAME_MIN` letters;
only then does the bar scroll): with five tabs at 120 columns tab 1 stays in
view. The number, glyph and countdown are never cut.

Numbers: `set_tabs(order, infos, now, numbers=None)` shows `numbers[iid]`
when given (the shell passes arrival numbers, so sorting by urgency moves
tabs without renumbering them and alt+N keeps its target), else the position
in `order`. `interaction_for(number)` is the interaction shown with that
number (what alt+N should go to); `number_of(iid)` the reverse.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from agentdesk.ui.widgets.tabs.interaction_tab import (
    NAME_MAX,
    NAME_MIN,
    TAB_CHROME,
    InteractionTab,
    TabInfo,
    fit_name,
    tab_content,
)

WINDOW_MARGIN = 4  # cells either side of the visible part of the tab row still updated at once


class InteractionTabs(Widget):
    """Tab bar of the desk. `set_tabs(order, infos, now)` syncs it."""

    DEFAULT_CSS = """
    InteractionTabs { height: 1; background: $panel; }
    InteractionTabs HorizontalScroll { height: 1; scrollbar-size: 0 0; }
    InteractionTabs #tabs-empty { color: $text-muted; padding: 0 1; width: auto; }
    InteractionTabs #tabs-sort { dock: right; width: auto; color: $text-muted; padding: 0 1; }
    """

    class Selected(Message):
        def __init__(self, interaction_id: str) -> None:
            super().__init__()
            self.interaction_id = interaction_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tabs: dict[str, InteractionTab] = {}
        self.order: list[str] = []
        self.active: str | None = None
        self.split: str | None = None
        self._scrolled_to: tuple[str | None, tuple[str, ...]] | None = None
        self.numbers: dict[str, int] = {}
        self._sort_cells = 0
        self._last: tuple[list[str], dict[str, TabInfo], float] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="tabs-sort", markup=False)
        with HorizontalScroll(can_focus=False):
            yield Static("no open interactions", id="tabs-empty", markup=False)

    def set_sort_label(self, by_urgency: bool) -> None:
        label = Content.from_markup("[$muted-foreground]│ by urgency[/]") if by_urgency else Content("")
        self._sort_cells = label.cell_length + 2 if by_urgency else 0  # + padding
        self.query_one("#tabs-sort", Static).update(label)
        if self._last is not None:
            self.set_tabs(*self._last, numbers=self.numbers)

    def shows_unread(self, interaction_id: str) -> bool:
        """Whether that tab's label, as drawn now, shows an unread count."""
        tab = self._tabs.get(interaction_id)
        return tab is not None and tab.info.unread > 0

    def number_of(self, interaction_id: str) -> int | None:
        return self.numbers.get(interaction_id)

    def interaction_for(self, number: int) -> str | None:
        return next((iid for iid, n in self.numbers.items() if n == number), None)

    def set_tabs(self, order: list[str], infos: dict[str, TabInfo], now: float,
                 numbers: dict[str, int] | None = None) -> None:
        self._last = (list(order), infos, now)
        self.numbers = ({iid: numbers[iid] for iid in order if iid in numbers} if numbers is not None
                        else {iid: n for n, iid in enumerate(order, start=1)})
        name_max = self._name_max(order, infos, now)
        scroller = self.query_one(HorizontalScroll)
        for iid in [i for i in self._tabs if i not in infos]:
            self._tabs.pop(iid).remove()
        new = [InteractionTab(infos[iid]) for iid in order if iid not in self._tabs]
        for tab in new:
            self._tabs[tab.info.interaction_id] = tab
        if new:
            scroller.mount_all(new)
        if order != self.order and len(order) > 1:
            # Re-order existing children without remounting them.
            current = [self._tabs[i] for i in order]
            for before, tab in zip(current, current[1:], strict=False):
                if tab.is_attached and before.is_attached:
                    scroller.move_child(tab, after=before)
        window = None if new or order != self.order else self._window(scroller)
        self.order = list(order)
        self.query_one("#tabs-empty").display = not order
        x = 0
        for iid in order:
            tab = self._tabs[iid]
            width = tab.outer_size.width + tab.styles.margin.width
            if window is not None and not width:
                window = None  # not laid out yet: show everything
            tab.show(infos[iid], self.numbers.get(iid), now, name_max=name_max,
                     visible=window is None or window[0] < x + width and x < window[1])
            x += width
            _mark(tab, iid == self.active, iid == self.split and iid != self.active)

    def _name_max(self, order: list[str], infos: dict[str, TabInfo], now: float) -> int:
        """The longest name that lets every tab fit the bar's width."""
        if not order:
            return NAME_MAX
        width = (self.size.width or self.app.size.width) - self._sort_cells - 1
        fixed = 0
        names = 0
        for iid in order:
            info = infos[iid]
            shown = fit_name(info.name, NAME_MAX)
            fixed += tab_content(info, self.numbers.get(iid), now).cell_length - len(shown) + TAB_CHROME
            names += len(shown)
        if fixed + names <= width:
            return NAME_MAX
        return max(NAME_MIN, min(NAME_MAX, (width - fixed) // len(order)))

    def _window(self, scroller: HorizontalScroll) -> tuple[int, int] | None:
        """The cells of the tab row in view (with a margin), from the last layout;
        None when the bar has not been laid out yet."""
        width = scroller.size.width
        if not width:
            return None
        left = round(scroller.scroll_x)
        return left - WINDOW_MARGIN, left + width + WINDOW_MARGIN

    def on_mount(self) -> None:
        self.watch(self.query_one(HorizontalScroll), "scroll_x", self._show_deferred, init=False)

    def on_resize(self) -> None:
        self._scrolled_to = None  # bring the active tab into view again on the next update
        if self._last is not None:
            self.set_tabs(*self._last, numbers=self.numbers)  # names fitted to the new width
        self._show_deferred()

    def _show_deferred(self) -> None:
        """Tabs scrolled into view show the labels they held back."""
        for tab in self._tabs.values():
            tab.show_deferred()

    def set_active(self, interaction_id: str | None, split: str | None = None) -> None:
        self.active = interaction_id
        self.split = split
        for iid, tab in self._tabs.items():
            _mark(tab, iid == interaction_id, iid == split and iid != interaction_id)
        # Bring the active tab into view when it (or the order) changes, not on
        # every update: the agent may have scrolled the bar to look at others.
        scrolled = (interaction_id, tuple(self.order))
        if scrolled == self._scrolled_to:
            return
        tab = self._tabs.get(interaction_id or "")
        if tab is not None and tab.is_attached:
            if tab.outer_size.width:  # laid out: the scroll below lands where it should
                self._scrolled_to = scrolled
            self.query_one(HorizontalScroll).scroll_to_widget(tab, animate=False)

    def on_interaction_tab_clicked(self, event: InteractionTab.Clicked) -> None:
        event.stop()
        self.post_message(self.Selected(event.interaction_id))


def _mark(tab: InteractionTab, active: bool, split: bool) -> None:
    """Set the -active / -split classes of a tab only when they change
    (`set_class` checks the class name with a regex on every call)."""
    if tab.has_class("-active") != active:
        tab.set_class(active, "-active")
    if tab.has_class("-split") != split:
        tab.set_class(split, "-split")
