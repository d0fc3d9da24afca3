"""The desk's key actions and the commands they build: each is a line or two
that reads the current tab and hands a typed command to the controller (or
opens the dialog that will). A mixin of `DeskScreen`: Textual looks actions
up on the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentdesk.desk import commands as C
from agentdesk.domain import session as S
from agentdesk.domain.enums import CallAction, CallState, InteractionState, Presence
from agentdesk.ui.widgets.header.desk_header import capacity_reasons
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs

if TYPE_CHECKING:
    from agentdesk.ui.widgets.interaction.interaction_view import InteractionView

NARROW_WIDTH = 100  # below this the right column is hidden unless toggled on


class DeskKeyActions:
    """Key actions of the desk screen (mixed into `DeskScreen`)."""

    tabs: Any
    suggestions: Any
    wrapup: Any
    dialogs: Any
    loader: Any
    state: Any
    side_forced: bool | None
    type_ahead: Any
    controller: Any
    callbacks: Any

    def activate(self, iid: str | None, *, quiet: bool = False) -> None:
        self.tabs.activate(iid, quiet=quiet)

    def accept(self, iid: str) -> None:
        self.tabs.activate(iid, quiet=True)
        if isinstance(self.run_command(C.Accept(iid)), C.Queued):
            self.type_ahead.start(iid)

    def reject(self, iid: str) -> None:
        """Reject an offer: first ask why, where the backend records a reason."""
        if self.controller.capabilities.reject_reasons:
            self.dialogs.reject(iid)
        else:
            self.run_command(C.Reject(iid))

    def send_and_close(self, iid: str) -> None:
        self.tabs.activate(iid)
        self.action_send_and_close()

    def show_customer_profile(self, customer_id: str) -> None:
        """A customer found from the palette: their profile in the side column."""
        self.side_forced = True
        self._apply_side_visibility()
        self.loader.show_profile_of(customer_id)

    def shown_customer(self) -> Any:
        """The customer in the side column's panel (a `Customer`), or None."""
        from agentdesk.ui.widgets.customer.customer_panel import CustomerPanel

        detail = self.query_one(CustomerPanel).detail
        return detail.customer if detail is not None else None

    def dial_customer(self, customer_id: str, name: str) -> None:
        """Call a customer (the customer panel's `c`): the rules are checked first."""
        from agentdesk.ui.commands.outbound import dial

        dial(self, customer_id, name)

    def open_wrapup(self, iid: str) -> None:
        self.wrapup.open(iid)

    def set_presence(self, presence: Presence | None, next_presence: Presence | None) -> None:
        self.run_command(C.SetPresence(presence, next_presence))

    def reload_timeline(self, iid: str) -> None:
        self.loader.load_interaction(iid)

    def insert_article(self, article_id: str) -> None:
        self.suggestions.insert(article_id)

    def kb_titles(self, query: str) -> list[tuple[str, str]]:
        return self.suggestions.titles(query)

    def action_accept(self) -> None:
        offer = self.tabs.offer_target()
        if offer is None:
            self.notify("No offer to accept", markup=False)
        else:
            self.accept(offer.id)

    def action_reject(self) -> None:
        offer = self.tabs.offer_target()
        if offer is None:
            self.notify("No offer to reject", markup=False)
        else:
            self.reject(offer.id)

    def _call(self, action: CallAction) -> None:
        inter = self.tabs.current()
        self.run_command(C.CallControl(inter.id if inter else "", action))

    def action_hold(self) -> None:
        inter = self.tabs.current()
        held = inter is not None and inter.call is not None and inter.call.state is CallState.HELD
        self._call(CallAction.RESUME if held else CallAction.HOLD)

    def action_mute(self) -> None:
        inter = self.tabs.current()
        muted = inter is not None and inter.call is not None and inter.call.muted
        self._call(CallAction.UNMUTE if muted else CallAction.MUTE)

    def action_hangup(self) -> None:
        self._call(CallAction.HANGUP)

    def action_dtmf(self) -> None:
        inter = self.tabs.current()
        if inter is None or inter.call is None:
            self.notify("No call in this tab", markup=False)
        else:
            self.dialogs.dtmf(inter.id)

    def action_disclosure(self) -> None:
        inter = self.tabs.current()
        call = inter.call if inter is not None else None
        if inter is None or call is None or call.state not in (CallState.CONNECTED, CallState.HELD):
            self.notify("The recording notice is for a connected call", markup=False)
        else:
            self.dialogs.disclosure(inter.id)

    def action_transfer(self) -> None:
        inter = self.tabs.current()
        if inter is None or inter.state is not InteractionState.ACTIVE:
            self.notify("Transfer needs an active interaction", markup=False)
        elif inter.call is not None and inter.call.consult_agent_id:
            self.dialogs.consult(inter.id)  # a warm transfer is running: decide it
        else:
            self.dialogs.transfer(inter.id)

    def action_wrapup(self) -> None:
        inter = self.tabs.current()
        if inter is None or inter.state is InteractionState.OFFERED:
            self.notify("Nothing to wrap up here", markup=False)
        else:
            self.wrapup.open(inter.id)

    def action_presence_menu(self) -> None:
        self.dialogs.presence()

    def action_goto_tab(self, number: int) -> None:
        self.tabs.goto(number)

    def action_most_urgent(self) -> None:
        self.tabs.activate(S.most_urgent(self.state))

    def action_next_tab(self) -> None:
        self.tabs.step(1)

    def action_previous_tab(self) -> None:
        self.tabs.step(-1)

    def action_toggle_sort(self) -> None:
        self.tabs.sort_by_urgency = not self.tabs.sort_by_urgency
        self.query_one(InteractionTabs).set_sort_label(self.tabs.sort_by_urgency)
        self.tabs.render()
        if self.services.on_sort_change is not None:
            self.services.on_sort_change(self.tabs.sort_by_urgency)

    def action_toggle_split(self) -> None:
        if not self.tabs.toggle_split():
            self.notify("Split view needs two open interactions", markup=False)

    def action_swap_split_focus(self) -> None:
        self.tabs.swap_split()

    def action_toggle_side(self) -> None:
        self.side_forced = not self.query_one("#side").display
        self._apply_side_visibility()

    def on_resize(self) -> None:
        self._apply_side_visibility()

    def _apply_side_visibility(self) -> None:
        wide = self.size.width >= NARROW_WIDTH if self.size.width else True
        side = self.query_one("#side")
        side.display = self.side_forced if self.side_forced is not None else wide
        side.set_class(not wide, "-overlay")

    def action_capacity_info(self) -> None:
        lines = capacity_reasons(self.state.agent)
        self.notify("\n".join(lines) or "Every channel is accepting work.",
                    title="Capacity", markup=False, timeout=6)

    def action_send(self) -> None:
        view = self.tabs.views.get(self.tabs.current_id or "")
        if view is not None:
            view.composer.action_send()

    def action_send_and_close(self) -> None:
        """Send the reply and start the wrap-up in one key. A send the composer
        refuses (empty, too long, a bad cc) keeps its text and opens nothing."""
        view = self.tabs.views.get(self.tabs.current_id or "")
        if view is None:
            self.notify("No conversation open", markup=False)
            return
        composer = view.composer
        if not composer.text.strip():
            self.notify("Nothing to send: type the reply first", markup=False)
            return
        composer.action_send()
        if not composer.text:  # sent (a refused send keeps the text to fix)
            self.wrapup.open(view.interaction.id)

    def action_open_link(self) -> None:
        """ctrl+o: the links of the conversation with the keyboard (the split pane
        holding focus, else the active tab), newest first; opening asks first."""
        focused = self.focused
        views: list[InteractionView] = list(self.tabs.views.values())
        view = next((node for node in (focused.ancestors_with_self if focused else ())
                     if node in views), None) or self.tabs.views.get(self.tabs.current_id or "")
        if view is None:
            self.notify("No conversation open", markup=False)
        else:
            view.open_link_picker()

    def action_callbacks_today(self) -> None:
        self.callbacks.open()

    def action_insert_suggestion(self) -> None:
        top = self.suggestions.top()
        if top is None:
            self.notify("No suggestion to insert", markup=False)
        else:
            self.suggestions.insert(top)

    def action_kb_search(self) -> None:
        from agentdesk.ui.modals.kb_search import KbSearchDialog

        def chosen(article_id: str | None) -> None:
            if article_id:
                self.suggestions.insert(article_id)

        self.app.push_screen(KbSearchDialog(self.suggestions.source.search), chosen)
