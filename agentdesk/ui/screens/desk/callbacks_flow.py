"""The desk's side of callbacks: the list of my callbacks due today (alt+l,
id `callbacks-today`, and the palette), kept current while open by the
callback.* events the controller folds into the session, and a calm toast when
a callback of mine is missed (it is back in its queue for anyone)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from agentdesk.desk.gate import reason
from agentdesk.domain.callback_day import CallbackRow, due_today
from agentdesk.domain.enums import InteractionState

if TYPE_CHECKING:
    from agentdesk.domain import session as S
    from agentdesk.ui.modals.callbacks_today import CallbacksToday
    from agentdesk.ui.screens.desk_screen import DeskScreen


class CallbacksFlow:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.dialog: CallbacksToday | None = None

    def rows(self) -> list[CallbackRow]:
        state = self.screen.state
        return due_today(state.callbacks.values(), state.me.id if state.me else None,
                         self.screen.now(), self.screen.services.tz)

    def open(self) -> None:
        caps = self.screen.controller.capabilities
        if not caps.callbacks:
            self.screen.notify(reason(caps, "callbacks"), title="Not available", markup=False)
            return
        self.screen.run_worker(self._run(), group="dialogs", exclusive=True, exit_on_error=False)

    async def _run(self) -> None:
        from agentdesk.ui.modals.callbacks_today import CallbacksToday

        screen = self.screen
        dialog = CallbacksToday(self.rows, tz=screen.services.tz)
        self.dialog = dialog
        screen.run_worker(screen.controller.refresh_callbacks(), group="callbacks",
                          exclusive=True, exit_on_error=False)  # fresh as it opens
        try:
            row = await screen.app.push_screen_wait(dialog)
        finally:
            if self.dialog is dialog:
                self.dialog = None
        if row is not None:
            self.pick(row)

    def pick(self, row: CallbackRow) -> None:
        """A due callback offered to me is accepted (accepting it dials, the rules
        checked again); any other shows the customer in the side column."""
        screen = self.screen
        offer = screen.state.interactions.get(row.interaction_id or "")
        if offer is not None and offer.state is InteractionState.OFFERED:
            screen.accept(offer.id)
            return
        screen.show_customer_profile(row.customer_id)
        if row.state in ("due", "missed"):
            screen.notify(f"The callback to {row.customer_name} waits in its queue: it is offered "
                          "when an agent is free.", title="Callback", markup=False, timeout=5)

    def changed(self, changes: S.Changes) -> None:
        if changes.callbacks and self.dialog is not None:
            self.dialog.reload()
        for cid in changes.callbacks_missed:
            cb = self.screen.state.callbacks.get(cid)
            if cb is None:
                continue
            when = datetime.fromtimestamp(cb.at, self.screen.services.tz).strftime("%H:%M")
            self.screen.notify(f"Your {when} callback to {cb.customer_name} was missed: it is "
                               "back in the queue for anyone.", title="Callback missed",
                               markup=False, timeout=8)
