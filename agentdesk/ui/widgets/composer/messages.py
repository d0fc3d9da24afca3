"""The composer's messages (`Composer.Submitted`, `Composer.DraftChanged`).

Kept apart so the composer module stays about the editing; handlers are still
`on_composer_submitted` / `on_composer_draft_changed`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from agentdesk.ui.widgets.composer.composer import Composer

Kind = Literal["reply", "note"]


class Submitted(Message, namespace="composer"):
    """The agent sent a reply or a private note."""

    def __init__(
        self,
        composer: Composer,
        interaction_id: str,
        body: str,
        kind: Kind,
        subject: str | None,
        cc: list[str],
    ) -> None:
        super().__init__()
        self.composer = composer
        self.interaction_id = interaction_id
        self.body = body
        self.kind = kind
        self.subject = subject
        self.cc = cc

    @property
    def control(self) -> Composer:
        return self.composer

class DraftChanged(Message, namespace="composer"):
    """The draft settled after typing; the shell may persist it."""

    def __init__(
        self, composer: Composer, interaction_id: str, text: str, subject: str | None, cc: list[str]
    ) -> None:
        super().__init__()
        self.composer = composer
        self.interaction_id = interaction_id
        self.text = text
        self.subject = subject
        self.cc = cc

    @property
    def control(self) -> Composer:
        return self.composer
