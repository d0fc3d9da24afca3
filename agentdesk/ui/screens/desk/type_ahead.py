"""Type-ahead after an accept: the agent presses F2 and starts typing at once,
but the composer takes text only when the server has confirmed the accept (a
round trip, longer over a slow link). Printable keys pressed meanwhile are kept
here and go into that interaction's composer when it opens for typing, in the
order typed; keys that are bindings still act. An accept that fails (the offer
was taken or expired) drops what was kept, since there is no reply to type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentdesk.domain.enums import InteractionState

if TYPE_CHECKING:
    from agentdesk.ui.screens.desk_screen import DeskScreen


class TypeAhead:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.interaction_id: str | None = None  # the accept on its way
        self._typed: list[str] = []

    def start(self, iid: str) -> None:
        """An accept of `iid` was sent: keep what is typed until it is active."""
        if iid != self.interaction_id:
            self._typed.clear()
        self.interaction_id = iid

    def capture(self, event: Any) -> bool:
        """Keep a printable key that nothing else takes (True: stop it)."""
        if self.interaction_id is None or not event.is_printable:
            return False
        if event.key in self.screen.app.active_bindings:
            return False
        self._typed.append(event.character or "")
        return True

    def settle(self) -> str | None:
        """After a render: the interaction's state decides. Returns the id whose
        composer should now take focus (its accept went through), else None."""
        iid = self.interaction_id
        if iid is None:
            return None
        inter = self.screen.state.interactions.get(iid)
        if inter is not None and inter.state is InteractionState.OFFERED:
            return None  # still on its way
        self.interaction_id = None
        typed, self._typed = "".join(self._typed), []
        if inter is None or inter.state is not InteractionState.ACTIVE:
            return None
        view = self.screen.tabs.views.get(iid)
        if typed and view is not None:
            view.composer.type_text(typed)
        return iid
