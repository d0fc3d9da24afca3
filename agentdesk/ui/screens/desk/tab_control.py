"""The tabs and the views behind them: which interaction is active, the split
pane, the one the agent works in (`current_id`), their order (arrival or
urgency), opening and closing views as interactions come and go."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.timer import Timer

from agentdesk.desk import commands as C
from agentdesk.domain import session as S
from agentdesk.domain.enums import CallState, InteractionState
from agentdesk.ui.screens.desk_support import tab_infos
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs

if TYPE_CHECKING:
    from agentdesk.domain.models import Interaction
    from agentdesk.ui.screens.desk_screen import DeskScreen
    from agentdesk.ui.widgets.interaction.interaction_view import InteractionView

MOUNT_RETRY_S = 0.02  # poll period while waiting for a new view to mount
# Unread counts and typing marks of tabs in the background are shown at most
# this often: under 200 events/s they changed every frame, and a tab row dirty
# in the same frame as the timeline made Textual re-render everything between
# them (its update region is the union of what changed).
BACKGROUND_TABS_S = 0.25


class TabControl:
    def __init__(self, screen: DeskScreen, *, sort_by_urgency: bool) -> None:
        self.screen = screen
        self.views: dict[str, InteractionView] = {}
        self.active_id: str | None = None
        self.split_id: str | None = None
        # The interaction the agent works in: the active tab, or the split pane once
        # focus moves into it. Actions, the side column and read-marking follow it.
        self.current_id: str | None = None
        self.sort_by_urgency = sort_by_urgency
        self._render_timer: Timer | None = None  # a pending `render_soon`
        self._drawn: tuple[list[str], dict[str, tuple[object, ...]]] | None = None  # see `label_changed`

    # -- order -----------------------------------------------------------------------

    def order(self) -> list[str]:
        state = self.screen.state
        return S.urgency_order(state) if self.sort_by_urgency else S.arrival_order(state)

    def current(self) -> Interaction | None:
        return self.screen.state.interactions.get(self.current_id or "")

    def offer_target(self) -> Interaction | None:
        """The offer F2/F3 act on: the current tab's, else the most urgent one."""
        active = self.current()
        if active is not None and active.state is InteractionState.OFFERED:
            return active
        state = self.screen.state
        offers = [state.interactions[i] for i in S.urgency_order(state)
                  if state.interactions[i].state is InteractionState.OFFERED]
        return offers[0] if offers else None

    # -- views -------------------------------------------------------------------------

    def open_view(self, iid: str) -> None:
        if iid in self.views:
            return
        from agentdesk.ui.screens.desk_support import view_keys
        from agentdesk.ui.widgets.interaction.interaction_view import InteractionView

        screen = self.screen
        inter = screen.state.interactions[iid]
        view = InteractionView(inter, now=screen.now, tz=screen.services.tz, id=f"view-{iid}")
        view.display = False
        self.views[iid] = view
        screen.query_one("#centre").mount(view)
        view.composer.set_canned(screen.suggestions.canned)
        view.set_keys(view_keys(screen.app))  # remapped keys in its state line and call bar
        if view.call_bar is not None and screen.dialogs.agent_names:
            view.call_bar.set_agent_names(screen.dialogs.agent_names)
        screen.show_empty()
        screen.loader.load_interaction(iid)

    def update_view(self, iid: str) -> None:
        view = self.views.get(iid)
        state = self.screen.state
        if view is None or iid not in state.interactions:
            return
        if not view.is_mounted:  # created in this batch: update once it is mounted
            self.retry_soon(self.update_view, iid)
            return
        inter = state.interactions[iid]
        if view.interaction.state is not inter.state:
            # the profile lists this contact with its state: keep it current
            self.screen.loader.load_customer(inter.customer_id)
        view.update_interaction(inter)

    def close_view(self, iid: str, reason: str) -> None:
        screen = self.screen
        screen.wrapup.contact_closed(iid, reason)
        view = self.views.pop(iid, None)
        focused = screen.focused
        had_focus = view is not None and focused is not None and view in focused.ancestors_with_self
        if view is not None:
            if had_focus:
                # Never leave the screen's focus on a widget that is going away: a
                # dialog closing later would restore it, and a detached widget takes
                # every key (F1, F10, ctrl+q...) with it. `DeskScreen.repair_focus`
                # catches what Textual's auto-focus may still pick while it prunes.
                screen.set_focus(None)
            view.remove()
            screen.call_after_refresh(screen.repair_focus)
        if self.split_id == iid:
            self.split_id = None
        was_active = self.active_id == iid
        if was_active:
            self.active_id = None
        if self.current_id == iid:
            self.current_id = self.active_id
            screen.loader.show_customer()
        screen.show_empty()
        if was_active:
            # The next sensible place: the split pane, else the next tab, and its
            # composer if the agent was typing in the closed one.
            rest = [i for i in self.order() if i != iid and i in self.views]
            following = self.split_id if self.split_id in self.views else (rest[0] if rest else None)
            if following is not None:
                self.split_id = None
                self.activate(following, quiet=not had_focus)
        if had_focus and screen.focused is None and self.active_id is None:
            screen.focus_fallback()

    def retry_soon(self, method: Callable[[str], None], iid: str) -> None:
        """Try again once the view has mounted. A timer, not `call_after_refresh`: a
        callback that re-queues itself after every refresh keeps the screen's message
        queue from ever emptying, which starves the very mount it waits for."""
        self.screen.set_timer(MOUNT_RETRY_S, lambda: method(iid))

    def focus_composer(self, iid: str) -> None:
        view = self.views.get(iid)
        if view is None:
            return
        if view.is_mounted and view.composer.is_mounted:
            view.composer.focus_body()
        else:
            self.retry_soon(self.focus_composer, iid)

    # -- activation ----------------------------------------------------------------------

    def activate(self, iid: str | None, *, quiet: bool = False) -> None:
        if iid is not None and iid not in self.views:
            return
        screen = self.screen
        self.active_id = iid
        if self.split_id == iid:
            self.split_id = None
        for vid, view in self.views.items():
            view.display = vid in (iid, self.split_id)
            view.set_class(vid == self.split_id, "-split-right")
        screen.query_one("#centre").set_class(self.split_id is not None, "-split")
        screen.query_one(InteractionTabs).set_active(iid, self.split_id)
        self.current_id = iid
        screen.loader.show_customer()
        if iid is not None:
            self.mark_read(iid)
            if not quiet:
                self.focus_composer(iid)
        screen.show_empty()
        screen.banner.render()
        screen.refresh_bindings_if_changed()
        screen.suggestions.schedule()

    def set_current(self, iid: str | None) -> None:
        """Make `iid` (the active tab or the split pane) the one actions, the side
        column and read-marking follow."""
        if iid not in (self.active_id, self.split_id) or iid not in self.views:
            iid = self.active_id
        changed = iid != self.current_id
        self.current_id = iid
        if not changed:
            return
        self.screen.loader.show_customer()
        if iid is not None:
            self.mark_read(iid)
        self.screen.refresh_bindings_if_changed()
        self.screen.suggestions.schedule()

    def mark_read(self, iid: str) -> None:
        if S.unread_count(self.screen.state, iid):
            self.screen.controller.execute(C.MarkRead(iid))

    def step(self, step: int) -> None:
        order = self.order()
        if not order:
            return
        index = order.index(self.active_id) if self.active_id in order else -1
        self.activate(order[(index + step) % len(order)])

    def numbers(self) -> dict[str, int]:
        """alt+N's number of each tab: its place in arrival order, whatever the
        sort, so a tab keeps its number while urgency reorders the bar."""
        return {iid: n for n, iid in enumerate(S.arrival_order(self.screen.state), start=1)}

    def goto(self, number: int) -> None:
        target = next((iid for iid, n in self.numbers().items() if n == number), None)
        if target is not None:
            self.activate(target)

    def toggle_split(self) -> bool:
        """Split the view with the next tab (or unsplit); False if there is no second tab."""
        if self.split_id is not None:
            self.split_id = None
        else:
            others = [i for i in self.order() if i != self.active_id]
            if not others or self.active_id is None:
                return False
            self.split_id = others[0]
        self.activate(self.active_id, quiet=True)
        return True

    def swap_split(self) -> None:
        if self.split_id is None or self.active_id is None:
            return
        self.active_id, self.split_id = self.split_id, self.active_id
        self.activate(self.active_id)

    def labels_changed(self, iids: set[str]) -> bool:
        """Whether anything but counts changed in those tabs since the last render
        (state, name, channel, hold, countdown) or the order of the bar did. A
        customer message updates its interaction (the time of the last customer
        turn) and nothing the tab shows."""
        if self._drawn is None:
            return True
        order, keys = self._drawn
        state = self.screen.state
        return any(_label_key(state.interactions.get(iid)) != keys.get(iid) for iid in iids) or (
            self.sort_by_urgency and order != self.order())

    def shows_unread(self, iid: str) -> bool:
        """Whether the tab of `iid` shows an unread count on screen now."""
        try:
            return self.screen.query_one(InteractionTabs).shows_unread(iid)
        except NoMatches:
            return False

    def render_soon(self) -> None:
        """`render` within BACKGROUND_TABS_S: for changes only the labels of tabs in
        the background show (their unread counts, typing)."""
        if self._render_timer is None:
            self._render_timer = self.screen.set_timer(BACKGROUND_TABS_S, self._render_later)

    def _render_later(self) -> None:
        # Messages to the chat on screen that arrived since the last flush are read
        # by the next one (a frame away): read them now, or its label would show
        # a count until the bar is drawn again.
        if self.current_id is not None and self.current_id in self.views:
            self.mark_read(self.current_id)
        self.render()

    def render(self) -> None:
        """Tab labels, unread counts and countdowns (no-op before the tabs exist)."""
        if self._render_timer is not None:
            self._render_timer.stop()
            self._render_timer = None
        screen = self.screen
        try:
            tabs = screen.query_one(InteractionTabs)
        except NoMatches:
            return
        now = screen.now()
        order = self.order()
        interactions = screen.state.interactions
        self._drawn = (order, {iid: _label_key(inter) for iid, inter in interactions.items()})
        tabs.set_tabs(order, tab_infos(screen.state, now), now, numbers=self.numbers())
        tabs.set_active(self.active_id, self.split_id)

    def tick(self) -> None:
        if not self.screen.state.interactions:
            return
        self.render()
        for iid in (self.active_id, self.split_id):
            view = self.views.get(iid or "")
            if view is not None:
                view.tick()


def _label_key(inter: Interaction | None) -> tuple[object, ...] | None:
    """What a tab label shows of its interaction, besides counts and typing."""
    if inter is None:
        return None
    held = inter.call is not None and inter.call.state is CallState.HELD
    return (inter.state, inter.channel, inter.customer_name, held, S.deadline(inter))
