"""The tab bar: one `InteractionTab` per open interaction (offered, active,
wrap-up), in arrival or urgency order. Tabs are few (an agent holds at most
a handful of interactions) so one small widget per tab is fine; they are
updated in place and only added/removed when interactions come and go.

A tab scrolled out of the visible part of the bar holds a label change of the
same width until it scrolls into view (repainting a widget that is not on
screen makes Textual rebuild its whole screen map on the next frame); the
active tab is scrolled into view when it or the order changes, not on every
update."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from agentdesk.ui.widgets.tabs.interaction_tab import InteractionTab, TabInfo

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

    def compose(self) -> ComposeResult:
        yield Static("", id="tabs-sort", markup=False)
        with HorizontalScroll(can_focus=False):
            yield Static("no open interactions", id="tabs-empty", markup=False)

    def set_sort_label(self, by_urgency: bool) -> None:
        self.query_one("#tabs-sort", Static).update(
            Content.from_markup("[$muted-foreground]sorted by urgency[/]") if by_urgency else Content("")
        )

    def set_tabs(self, order: list[str], infos: dict[str, TabInfo], now: float) -> None:
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
            for before, tab in zip(current, current[1:]):
                if tab.is_attached and before.is_attached:
                    scroller.move_child(tab, after=before)
        window = None if new or order != self.order else self._window(scroller)
        self.order = list(order)
        self.query_one("#tabs-empty").display = not order
        x = 0
        for n, iid in enumerate(order, start=1):
            tab = self._tabs[iid]
            width = tab.outer_size.width + tab.styles.margin.width
            if window is not None and not width:
                window = None  # not laid out yet: show everything
            tab.show(infos[iid], n, now, visible=window is None or window[0] < x + width and x < window[1])
            x += width
            _mark(tab, iid == self.active, iid == self.split and iid != self.active)

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
