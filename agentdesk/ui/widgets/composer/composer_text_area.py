"""`ComposerTextArea`: the composer's text area with chat-style keys.

With `enter_sends=True` (chat, SMS, social) Enter posts `SendRequested`
instead of inserting a newline; shift+enter and ctrl+j always insert one. A
"/" typed into an empty area posts `CannedRequested` instead of inserting
itself. The `Composer` handles both messages.

Keys with an alt modifier are never typed. A terminal reports alt+s as
`Key("alt+s", character="s")`, which is printable, so the stock TextArea /
Input would insert "s" and stop the event before the (non-priority) desk
bindings (alt+s, alt+w, alt+r, alt+c, alt+u, alt+1…9) could see it. Here such
a key gets `prevent_default()` only: that skips the base classes' `_on_key`
(Textual calls the handler of every class in the MRO unless the default is
prevented), but the event is not stopped, and `Message._bubble_to` clears the
flag again, so it bubbles up to the App, whose `_on_key` runs the bindings.
`ComposerInput` does the same for subject / cc.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, TextArea


def is_alt_key(key: str) -> bool:
    """True for a key with an alt modifier ("alt+s", "alt+shift+s", "ctrl+alt+x")."""
    return key.startswith("alt+") or "+alt+" in key


class ComposerTextArea(TextArea):
    """The text area of the composer: Enter sends on chat-like channels."""

    class SendRequested(Message):
        pass

    class CannedRequested(Message):
        pass

    def __init__(self, *, enter_sends: bool, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.enter_sends = enter_sends

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.is_attached:
            # Removed, yet drawn: a dialog over the desk draws the desk from its
            # last layout (Textual lays out only the top screen), which still has
            # this view of an interaction that closed under the dialog. Textual
            # clears a removed widget's styles, and TextArea's theme then raises.
            return [Strip.blank(crop.width)] * crop.height
        return super().render_lines(crop)

    async def _on_key(self, event: events.Key) -> None:
        if is_alt_key(event.key):
            # A desk binding, not text: skip the base class's insert, keep bubbling.
            event.prevent_default()
            return
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


class ComposerInput(Input):
    """A one-line field of the composer (subject, cc): alt+letter is never typed."""

    async def _on_key(self, event: events.Key) -> None:
        if is_alt_key(event.key):
            # A desk binding, not text: skip the base class's insert, keep bubbling.
            event.prevent_default()
            return
        await super()._on_key(event)


def email_fields(subject: str) -> tuple[ComposerInput, ComposerInput]:
    """An email's subject and cc inputs. select_on_focus=False: tabbing in keeps
    "Re: …" and puts the cursor at the end, so the next key adds to the subject
    instead of replacing it."""
    return (ComposerInput(value=subject, id="composer-subject", compact=True, select_on_focus=False),
            ComposerInput(placeholder="addresses, comma separated", id="composer-cc", compact=True,
                          select_on_focus=False))
