"""Wrap-up: the disposition (or label) picker with the ACW countdown, and what
happens when the contact closes while the picker is open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import AgentDeskError
from agentdesk.desk import commands as C
from agentdesk.domain.capabilities import WrapupStyle

if TYPE_CHECKING:
    from agentdesk.ui.screens.desk_screen import DeskScreen


class WrapupFlow:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.dialog: tuple[str, Any] | None = None  # (interaction id, open WrapupDialog)

    def open(self, iid: str) -> None:
        self.screen.run_worker(self._open(iid), group="dialogs", exclusive=True, exit_on_error=False)

    async def _open(self, iid: str) -> None:
        from agentdesk.ui.modals.wrapup_dialog import WrapupDialog

        screen = self.screen
        inter = screen.state.interactions.get(iid)
        if inter is None:
            return
        try:
            choices = await screen.controller.wrapup_options()
        except AgentDeskError as exc:
            screen.show_error(exc, "Wrap-up")
            return
        if iid not in screen.state.interactions:  # closed (ACW ran out) while loading
            return
        caps = screen.controller.capabilities
        if caps.wrapup is WrapupStyle.LABELS:
            from agentdesk.ui.modals.label_wrapup_dialog import LabelWrapupDialog

            dialog: WrapupDialog = LabelWrapupDialog(inter.customer_name, choices,
                                                     clock=screen.now)
        else:
            # Without an ACW timer on the backend the dialog shows no countdown.
            deadline = inter.acw_deadline if caps.acw_timer else None
            dialog = WrapupDialog(inter.customer_name, choices, acw_deadline=deadline,
                                  clock=screen.now)
        dialog.interaction_id = iid
        self.dialog = (iid, dialog)
        try:
            choice = await screen.app.push_screen_wait(dialog)
        finally:
            if self.dialog is not None and self.dialog[1] is dialog:
                self.dialog = None
        if choice is None:
            return
        screen.run_command(C.Wrapup(iid, choice.disposition, choice.notes))

    def contact_closed(self, iid: str, reason: str) -> None:
        """The contact closed while its wrap-up dialog is open: the server closed it
        by itself when the ACW time ran out (disposition "timeout", no notes), or it
        was wrapped up elsewhere. Close the dialog (a submit could only fail now) and
        say what became of the notes."""
        screen = self.screen
        if self.dialog is not None and self.dialog[0] == iid:
            dialog = self.dialog[1]
        else:  # the bookkeeping lost it (its worker ended early): look on the screen stack
            dialog = next((s for s in screen.app.screen_stack
                           if getattr(s, "interaction_id", None) == iid), None)
        if dialog is None:
            return
        self.dialog = None
        notes = dialog.notes
        dialog.close_unsaved()
        disposition = reason or "timeout"
        deadline = dialog.acw_deadline
        if reason == "timeout" or (deadline is not None and screen.now() >= deadline):
            text = ("After-contact work time ran out: the server closed the contact with "
                    f"disposition \"{disposition}\"")
        else:
            text = f"The contact was closed elsewhere with disposition \"{disposition}\""
        if notes:
            first = notes.splitlines()[0]
            text += f"; your notes were not saved: {first}"
        # Once the dialog is gone: a toast raised while it is still the active
        # screen lands in its toast rack and can vanish with it.
        screen.call_after_refresh(screen.notify, text, title=f"Wrap-up closed: {dialog.customer}",
                                  severity="warning", markup=False, timeout=12)
