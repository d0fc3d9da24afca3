"""The tab bar: one `InteractionTab` per open interaction (offered, active,
wrap-up), in arrival or urgency order. Tabs are few (an agent holds at most
a handful of interactions) so one small widget per tab is fine; they are
updated in place and only added/removed when interactions come and go."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from agentdesk.ui.widgets.tabs.interaction_tab import InteractionTab, TabInfo


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
        self.order = list(order)
        self.query_one("#tabs-empty").display = not order
        for n, iid in enumerate(order, start=1):
            tab = self._tabs[iid]
            tab.show(infos[iid], n, now)
            tab.set_class(iid == self.active, "-active")
            tab.set_class(iid == self.split and iid != self.active, "-split")

    def set_active(self, interaction_id: str | None, split: str | None = None) -> None:
        self.active = interaction_id
        self.split = split
        for iid, tab in self._tabs.items():
            tab.set_class(iid == interaction_id, "-active")
            tab.set_class(iid == split and iid != interaction_id, "-split")
        if interaction_id in self._tabs and self._tabs[interaction_id].is_attached:
            self.query_one(HorizontalScroll).scroll_to_widget(self._tabs[interaction_id], animate=False)

    def on_interaction_tab_clicked(self, event: InteractionTab.Clicked) -> None:
        event.stop()
        self.post_message(self.Selected(event.interaction_id))
