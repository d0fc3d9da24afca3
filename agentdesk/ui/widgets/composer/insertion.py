"""Text put into a reply from the outside (a KB answer, a canned response).

- `joined(before, text, after)`: the text with the separators it needs where it
  lands: a space between two words ("written Direct", never "writtenDirect"),
  a newline before a text of several lines that starts mid-line, nothing
  where there is already whitespace or the body is empty.
- `snippet_for(channel, text, room)`: what fits a chat-like reply. An SMS
  takes at most `SNIPPET_CHARS[channel]` characters and never more than the
  `room` left before the channel's limit; whole sentences are kept and a cut
  one ends with "…". Email and voice notes take the text as it is. For an
  SMS, typographic quotes and dashes become their plain forms: one curly
  apostrophe would switch the whole message to UCS-2 (70 characters a
  segment instead of 160).
"""

from __future__ import annotations

import re

from agentdesk.domain.channel_limits import sms_count
from agentdesk.domain.enums import Channel

SNIPPET_CHARS = {Channel.SMS: 306, Channel.CHAT: 600, Channel.SOCIAL: 600}  # 306: two GSM-7 segments
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " "})


def joined(before: str, text: str, after: str = "") -> str:
    if not text:
        return text
    if before and not before[-1].isspace() and not text[0].isspace():
        text = ("\n" if "\n" in text.strip() else " ") + text
    if after and not after[0].isspace() and not text[-1].isspace():
        text += " "
    return text


def snippet_for(channel: Channel | str, text: str, room: int | None = None) -> str:
    channel = Channel(channel)
    cap = SNIPPET_CHARS.get(channel)
    if cap is None:
        return text
    if room is not None:
        cap = min(cap, max(0, room))
    flat = " ".join(text.split())  # one paragraph: chat bubbles and SMS have no layout
    if channel is Channel.SMS:
        flat = flat.translate(_PLAIN)
    if len(flat) <= cap:
        return flat
    picked = ""
    for sentence in _SENTENCE_END.split(flat):
        candidate = f"{picked} {sentence}".strip()
        if len(candidate) > cap:
            break
        picked = candidate
    if picked:
        return picked
    cut = flat.rfind(" ", 0, max(0, cap - 1))
    ellipsis = "..." if channel is Channel.SMS else "…"
    return (flat[: cut if cut > 0 else max(0, cap - 3)].rstrip(",;: ") + ellipsis) if cap > 3 else ""


def fitted_snippet(channel: Channel, body: str, text: str) -> str:
    """`text` as a snippet that fits a chat-like channel; on SMS, in the room the
    body leaves in its segments."""
    room = None
    if channel is Channel.SMS:
        count = sms_count(body)
        room = count.max_units - count.units - 1
    return snippet_for(channel, text, room)
