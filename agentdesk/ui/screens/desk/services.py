"""What the desk's screen and widgets use from the app, typed, in one object
(instead of reaching through `self.app` for the sender, drafts, notifier, tz)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentdesk.desk.controller import DeskController
    from agentdesk.store.drafts import Drafts
    from agentdesk.ui.notify import Notifier


@dataclass(frozen=True, slots=True)
class DeskServices:
    controller: DeskController  # state, stream, outbox and commands
    drafts: Drafts
    notifier: Notifier
    tz: tzinfo | None  # None: local time
    username: str = ""  # prefilled in the sign-in dialog
    sign_in: tuple[str, str] | None = None  # the demo signs in once its server answers
    knowledge_base: Any = None  # a local KB index, else one is built from the server's
    sort_by_urgency: bool = False
    keymap: dict[str, str] | None = None  # the user's [keymap] overrides
    on_sort_change: Callable[[bool], None] | None = None  # keeps the sort choice (config)
