"""The words around the composer's text: the mode label (reply, private note,
call note), the body's placeholder and the key hints of each channel."""

from __future__ import annotations

from typing import Literal

from textual.content import Content

from agentdesk.domain.models import Channel
from agentdesk.ui.glyphs import CHANNEL_GLYPH, CHANNEL_LABEL, channel_var

Kind = Literal["reply", "note"]


def mode_label(channel: Channel, kind: Kind) -> str:
    if channel is Channel.VOICE:
        return "Call note"
    return "Private note" if kind == "note" else "Reply"


def placeholder(channel: Channel, kind: Kind) -> str:
    if kind == "note":
        return "Private note (agents only)"
    return f"Reply to the customer by {CHANNEL_LABEL[channel]}"


def key_hints(channel: Channel) -> Content:
    if channel is Channel.VOICE:
        keys = "ctrl+s save note · / canned"
    elif channel is Channel.EMAIL:
        keys = "ctrl+s send · ctrl+e $EDITOR · ctrl+t note · / canned"
    else:
        keys = "enter send · shift+enter newline · ctrl+t note · / canned"
    return Content.assemble((CHANNEL_GLYPH[channel], f"${channel_var(channel)}"),
                            f" {CHANNEL_LABEL[channel]} · {keys}")
