"""`ComposerTextArea`: the composer's text area with chat-style keys.

With `enter_sends=True` (chat, SMS, social) Enter posts `SendRequested`
instead of inserting a newline; shift+enter and ctrl+j always insert one. A
"/" typed into an empty area posts `CannedRequested` instead of inserting
itself. The `Composer` handles both messages.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea


class ComposerTextArea(TextArea):
    """The text area of the composer: Enter sends on chat-like channels."""

    class SendRequested(Message):
        pass

    class CannedRequested(Message):
        pass

    def __init__(self, *, enter_sends: bool, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.enter_sends = enter_sends

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            return
        if event.key in ("shift+enter", "ctrl+j"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if event.key == "enter" and self.enter_sends:
            event.stop()
            event.prevent_default()
            self.post_message(self.SendRequested())
            return
        if event.character == "/" and not self.text:
            event.stop()
            event.prevent_default()
            self.post_message(self.CannedRequested())
            return
        await super()._on_key(event)
