"""The dialogs that end in a command: transfer, the warm transfer's consult
decision, presence, the DTMF keypad, and signing in again when the server
refuses the session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import AgentDeskError
from agentdesk.desk import commands as C
from agentdesk.domain.capabilities import TransferTarget
from agentdesk.domain.enums import CallAction, RoutingState

if TYPE_CHECKING:
    from agentdesk.ui.screens.desk_screen import DeskScreen


class DialogFlows:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.relogin_open = False
        self.agent_names: dict[str, str] = {}  # id -> name, learnt with the transfer targets
        self._names_asked = False

    def transfer(self, iid: str) -> None:
        self.screen.run_worker(self._transfer(iid), group="dialogs", exclusive=True,
                               exit_on_error=False)

    async def _transfer(self, iid: str) -> None:
        from agentdesk.ui.modals.transfer_dialog import TransferDialog

        screen = self.screen
        inter = screen.state.interactions[iid]
        try:
            queues, agents = await screen.controller.transfer_targets()
        except AgentDeskError as exc:
            screen.show_error(exc, "Transfer")
            return
        self.learn_agent_names({a.id: a.name for a in agents if a.name})
        caps = screen.controller.capabilities
        kind = "team" if TransferTarget.TEAM in caps.transfer_to else "queue"
        choice = await screen.app.push_screen_wait(TransferDialog(
            inter.customer_name, queues, agents, warm_allowed=caps.warm_transfer, group_kind=kind))
        if choice is None:
            return
        screen.run_command(C.Transfer(iid, queue_id=choice.queue_id, agent_id=choice.agent_id,
                                      team_id=choice.team_id, mode=choice.mode))

    def learn_agent_names(self, names: dict[str, str]) -> None:
        """Call bars name a consulted agent ("consulting Agent 5", not "agent5")."""
        self.agent_names.update(names)
        for view in self.screen.tabs.views.values():
            if view.call_bar is not None:
                view.call_bar.set_agent_names(self.agent_names)

    def name_consulted_agents(self) -> None:
        """A consult shown before any transfer dialog (the desk restarted during
        it, or another device started it) names the agent by id: ask once."""
        if self._names_asked:
            return
        calls = [i.call for i in self.screen.state.interactions.values() if i.call is not None]
        if any(c.consult_agent_id and c.consult_agent_id not in self.agent_names for c in calls):
            self._names_asked = True
            self.screen.run_worker(self._learn_names(), group="agent-names", exit_on_error=False)

    async def _learn_names(self) -> None:
        try:
            _queues, agents = await self.screen.controller.transfer_targets()
        except AgentDeskError:
            self._names_asked = False  # the next consult asks again
            return
        self.learn_agent_names({a.id: a.name for a in agents if a.name})

    def consult(self, iid: str) -> None:
        """F7 during a warm transfer: complete it, conference, or go back to the
        customer (ConsultDialog offers what the consult's state allows)."""
        from agentdesk.ui.modals.consult_dialog import ConsultDialog

        screen = self.screen
        inter = screen.state.interactions[iid]
        call = inter.call
        if call is None or not call.consult_agent_id:
            return
        target = self.agent_names.get(call.consult_agent_id, call.consult_agent_id)

        def chosen(action: str | None) -> None:
            if action:
                screen.run_command(C.CallControl(iid, CallAction(action)))

        screen.app.push_screen(ConsultDialog(inter.customer_name, target, call.consult_state), chosen)

    def reject(self, iid: str) -> None:
        """F3: a short picker of reasons; escape keeps the offer ringing."""
        from agentdesk.ui.glyphs import CHANNEL_LABEL
        from agentdesk.ui.modals.reject_dialog import RejectDialog

        screen = self.screen
        inter = screen.state.interactions[iid]

        def chosen(reason: Any) -> None:
            if reason is not None:
                screen.run_command(C.Reject(iid, reason=reason.code))

        screen.app.push_screen(RejectDialog(inter.customer_name, CHANNEL_LABEL[inter.channel]), chosen)

    def presence(self) -> None:
        from agentdesk.ui.modals.presence_menu import PresenceMenu

        screen = self.screen
        state = screen.state
        agent = state.agent

        def chosen(choice: Any) -> None:
            if choice is not None:
                screen.run_command(C.SetPresence(choice.presence, choice.next))

        rearm = bool(state.missed) or (
            agent is not None and agent.routing_state is RoutingState.NOT_RESPONDING)
        caps = screen.controller.capabilities
        screen.app.push_screen(PresenceMenu(
            agent.presence if agent else None, agent.next_presence if agent else None,
            work_open=bool(state.interactions), rearm=rearm, states=caps.presence_states,
            schedule=caps.presence_next, names=caps.presence_names), chosen)

    def disclosure(self, iid: str) -> None:
        """ctrl+r on a call: the notice given and agreed, declined, or resumed."""
        from agentdesk.ui.modals.disclosure_dialog import DisclosureDialog

        screen = self.screen
        inter = screen.state.interactions[iid]
        call = inter.call
        if call is None:
            return

        def chosen(action: str | None) -> None:
            if action:
                screen.run_command(C.Disclosure(iid, action))

        screen.app.push_screen(DisclosureDialog(inter.customer_name, call.disclosure,
                                                call.recording), chosen)

    def dtmf(self, iid: str) -> None:
        from agentdesk.ui.widgets.call.dtmf_pad import DtmfPad

        def send(digits: str | None) -> None:
            if digits:
                self.screen.run_command(C.CallControl(iid, CallAction.DTMF, digits))

        self.screen.app.push_screen(DtmfPad(), send)

    def ask_relogin(self, message: str) -> None:
        from agentdesk.ui.modals.relogin_dialog import ReloginDialog

        if self.relogin_open:
            return
        self.relogin_open = True
        screen = self.screen

        def done(creds: Any) -> None:
            self.relogin_open = False
            if creds is None:
                screen.app.exit(1)
            else:
                screen.run_worker(self._relogin(creds.username, creds.password), group="login",
                                  exclusive=True, exit_on_error=False)

        screen.app.push_screen(ReloginDialog(message, screen.services.username), done)

    async def _relogin(self, username: str, password: str) -> None:
        if await self.screen.controller.relogin(username, password):
            self.screen.start_following()
