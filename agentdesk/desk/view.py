"""What the controller tells whoever shows the desk (the Textual screen, or a
test). The controller never touches a widget: it calls these, and the screen
decides how to show them (at most one render per frame)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from agentdesk.backends.base import LinkStatus
from agentdesk.domain.session import Changes


@dataclass(frozen=True, slots=True)
class Notice:
    """A state of the desk worth a banner line (None-level clears it)."""

    text: str
    level: str  # "info", "warning", "error"


class DeskView(Protocol):
    def changed(self, changes: Changes) -> None:
        """The session state changed (merge, render on the next frame)."""

    def link_changed(self, link: LinkStatus) -> None: ...

    def notice(self, notice: Notice | None) -> None:
        """Show (or, with None, clear) a start-up / loading problem."""

    def sign_in_needed(self, message: str) -> None:
        """The server no longer accepts the session: ask the agent to sign in."""

    def command_failed(self, what: str, message: str) -> None:
        """A queued command (not a message) was refused by the server."""


class NullView:
    """A view that shows nothing (a controller before its screen attaches)."""

    def changed(self, changes: Changes) -> None:
        pass

    def link_changed(self, link: LinkStatus) -> None:
        pass

    def notice(self, notice: Notice | None) -> None:
        pass

    def sign_in_needed(self, message: str) -> None:
        pass

    def command_failed(self, what: str, message: str) -> None:
        pass
