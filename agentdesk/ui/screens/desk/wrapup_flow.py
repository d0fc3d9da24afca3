"""Wrap-up: the disposition (or label) picker with the ACW countdown, and what
happens when the contact closes while the picker is open."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import AgentDeskError
from agentdesk.desk import commands as C
from agentdesk.domain.capabilities import WrapupStyle

if TYPE_CHECKING:
    from agentdesk.ui.screens.desk_screen import DeskScreen


NOTE_MARGIN_S = 5.0  # this long before the ACW time runs out, typed notes go to the server


def notes_key(iid: str) -> str:
    """The drafts-store key of an interaction's wrap-up notes (beside its reply draft)."""
    return f"wrapup:{iid}"


class WrapupFlow:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.dialog: tuple[str, Any] | None = None  # (interaction id, open WrapupDialog)
        self._kept: dict[str, str] = {}  # notes last written to the drafts store
        self._sent: dict[str, str] = {}  # notes sent to the server as a note

    def tick(self) -> None:
        """Each second while the dialog is open: keep its notes in the drafts store
        (a crash or a timeout never loses them), and shortly before the ACW time
        runs out send them as a note on the contact, which the server's timeout
        close keeps (its close carries no notes of its own)."""
        if self.dialog is None:
            return
        iid, dialog = self.dialog
        screen = self.screen
        notes = dialog.notes
        if notes != self._kept.get(iid, ""):
            screen.services.drafts.save(notes_key(iid), notes)
            self._kept[iid] = notes
        deadline = dialog.acw_deadline
        if (notes and deadline is not None and deadline - screen.now() <= NOTE_MARGIN_S
                and self._sent.get(iid) != notes):
            outcome = screen.run_command(C.SendMessage(iid, notes, "note"))
            if not isinstance(outcome, C.Refused):
                self._sent[iid] = notes

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
        kept = screen.services.drafts.load(notes_key(iid))  # typed before, then escape
        # First opening: the drafted summary of the contact, to review and edit.
        notes = kept.text if kept is not None else await screen.controller.wrapup_draft(iid)
        if iid not in screen.state.interactions:
            return
        if caps.wrapup is WrapupStyle.LABELS:
            from agentdesk.ui.modals.label_wrapup_dialog import LabelWrapupDialog

            dialog: WrapupDialog = LabelWrapupDialog(inter.customer_name, choices,
                                                     clock=screen.now, notes=notes)
        else:
            # Without an ACW timer on the backend the dialog shows no countdown.
            deadline = inter.acw_deadline if caps.acw_timer else None
            callback = (partial(self._schedule_callback, inter.customer_id, inter.customer_name)
                        if caps.callbacks else None)
            dialog = WrapupDialog(inter.customer_name, choices, acw_deadline=deadline,
                                  clock=screen.now, notes=notes, schedule_callback=callback)
        dialog.interaction_id = iid
        self.dialog = (iid, dialog)
        try:
            choice = await screen.app.push_screen_wait(dialog)
        finally:
            if self.dialog is not None and self.dialog[1] is dialog:
                self.dialog = None
        if choice is None:
            self.tick()  # escape: keep what was typed for the next time it opens
            return
        outcome = screen.run_command(C.Wrapup(iid, choice.disposition, choice.notes))
        if not isinstance(outcome, C.Refused):
            self._forget(iid)

    async def _schedule_callback(self, customer_id: str, name: str) -> str | None:
        """The callback picker over the wrap-up dialog; the callback in words once
        it is sent (the server's refusal, if any, follows as a toast)."""
        from agentdesk.ui.modals.callback_picker import CallbackPicker

        screen = self.screen
        tz = screen.services.tz
        controller = screen.controller
        customer = await controller.fresh_customer(customer_id)
        if customer is not None and customer.dnc:  # no time would do: say so at once
            screen.notify(f"{customer.name} is on the do-not-call list", title="Not scheduled",
                          severity="warning", markup=False)
            return None
        choice = await screen.app.push_screen_wait(CallbackPicker(
            name, screen.now(), tz=tz, rule=partial(controller.time_refusal, customer_id)))
        if choice is None:
            return None
        at, note = choice
        if isinstance(screen.run_command(C.ScheduleCallback(customer_id, at, note)), C.Refused):
            return None
        when = datetime.fromtimestamp(at, tz).strftime("%a %d %b %H:%M")
        return f"{when}, {note}" if note else when

    def _forget(self, iid: str) -> None:
        self._kept.pop(iid, None)
        self._sent.pop(iid, None)
        self.screen.services.drafts.delete(notes_key(iid))

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
        sent = self._sent.get(iid)
        if notes and sent == notes:
            text += "; your notes were saved as a note on the contact"
            self._forget(iid)
        elif notes:
            # Too late for the server (typed in the last seconds): kept locally and
            # quoted, never dropped without a word.
            screen.services.drafts.save(notes_key(iid), notes)
            first = notes.splitlines()[0]
            text += ("; your last notes could not reach the contact and are kept on this "
                     f"computer only: {first}")
        else:
            self._forget(iid)
        # Once the dialog is gone: a toast raised while it is still the active
        # screen lands in its toast rack and can vanish with it.
        screen.call_after_refresh(screen.notify, text, title=f"Wrap-up closed: {dialog.customer}",
                                  severity="warning", markup=False, timeout=12)
