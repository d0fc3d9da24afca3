"""How long a message may be on each channel, checked before it is sent.

The composer counts as the agent types and refuses to send what the server
(or the carrier) would refuse, with a plain sentence, keeping the text.

- Every channel: the protocol's body limit (`MAX_BODY` characters, the same
  number as `agentdesk.protocol.requests.MAX_BODY`; a test keeps them equal)
  and no more than `MAX_BODY_BYTES` once JSON-encoded as the desk sends it
  (UTF-8, quotes and control characters escaped; the server answers 413 to
  request bodies over 256 KiB).
- SMS: counted in segments as a phone counts them. A message that fits GSM-7
  (the SMS alphabet; `^{}[]~|€\\` take two septets) uses 160 septets in one
  segment or 153 per segment once split; anything else (emoji, most
  non-Latin scripts) goes as UCS-2: 70 UTF-16 units, or 67 per segment. At
  most `SMS_MAX_SEGMENTS` segments (carriers concatenate about ten).
- Social: `SOCIAL_MAX_CHARS` (Facebook Messenger's limit, the tightest of the
  networks the desk replies on).
- Email subject: `MAX_SUBJECT` characters; cc: at most `MAX_CC` addresses.

No Textual, no pydantic: the desk imports this before its first frame.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from agentdesk.domain.enums import Channel

MAX_BODY = 50_000  # characters: agentdesk.protocol.requests.MAX_BODY
MAX_BODY_BYTES = 250_000  # the body as JSON, below the server's 256 KiB request limit
MAX_SUBJECT = 300
MAX_CC = 20
SMS_MAX_SEGMENTS = 10
SOCIAL_MAX_CHARS = 2_000
WARN_AT = 0.9  # share of the limit at which the counter turns to a warning

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")  # two septets each (escape + char)


@dataclass(frozen=True, slots=True)
class SmsCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    max_units: int  # what SMS_MAX_SEGMENTS segments hold in this encoding

    @property
    def left(self) -> int:
        return self.max_units - self.units


def sms_count(text: str) -> SmsCount:
    """Segments of `text` as an SMS (0 for an empty text)."""
    septets = 0
    gsm = True
    for char in text:
        if char in GSM7_BASIC:
            septets += 1
        elif char in GSM7_EXTENDED:
            septets += 2
        else:
            gsm = False
            break
    if gsm:
        single, multi, units, encoding = 160, 153, septets, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2  # astral characters take two units
        single, multi, encoding = 70, 67, "UCS-2"
    if units == 0:
        segments = 0
    elif units <= single:
        segments = 1
    else:
        segments = -(-units // multi)
    return SmsCount(encoding, units, segments, multi * SMS_MAX_SEGMENTS)


@dataclass(frozen=True, slots=True)
class LengthCheck:
    """What the composer shows under the text and whether it may be sent."""

    counter: str  # "" while far from any limit
    level: str  # "ok", "warning" (near the limit) or "error" (over it)
    refusal: str | None  # a plain sentence when sending must be refused

    @property
    def ok(self) -> bool:
        return self.refusal is None


def check_body(channel: Channel | str, text: str) -> LengthCheck:
    """The counter and verdict for a reply body on `channel`."""
    channel = Channel(channel)
    chars = len(text)
    if chars > MAX_BODY or _json_bytes(text) > MAX_BODY_BYTES:
        return LengthCheck(f"{chars:,}/{MAX_BODY:,} characters", "error",
                           f"Too long to send: {chars:,} characters, the limit is {MAX_BODY:,}. "
                           "Shorten it (your text is kept).")
    if channel is Channel.SMS and text:
        count = sms_count(text)
        room = f"{count.left:,} left" if count.left >= 0 else f"{-count.left:,} over"
        counter = (f"{count.segments}/{SMS_MAX_SEGMENTS} segments · {room}"
                   + (" · UCS-2" if count.encoding == "UCS-2" else ""))
        if count.left < 0:
            return LengthCheck(counter, "error",
                               f"Too long for one SMS message: {count.segments} segments, at most "
                               f"{SMS_MAX_SEGMENTS}. Shorten it or send it in parts (your text is kept).")
        return LengthCheck(counter, "warning" if count.units >= WARN_AT * count.max_units else "ok", None)
    limit = SOCIAL_MAX_CHARS if channel is Channel.SOCIAL else MAX_BODY
    if chars > limit:
        return LengthCheck(f"{chars:,}/{limit:,} characters", "error",
                           f"Too long for a {channel.value} message: {chars:,} characters, the limit "
                           f"is {limit:,}. Shorten it (your text is kept).")
    if chars >= WARN_AT * limit:
        return LengthCheck(f"{limit - chars:,} characters left", "warning", None)
    return LengthCheck("", "ok", None)


def check_subject(subject: str) -> str | None:
    """A plain refusal for an email subject over the limit, else None."""
    if len(subject) > MAX_SUBJECT:
        return f"The subject is too long: {len(subject)} characters, at most {MAX_SUBJECT}."
    return None


def _json_bytes(text: str) -> int:
    if len(text) * 4 <= MAX_BODY_BYTES // 2:  # cannot come near the limit: skip the encoding
        return len(text) * 4
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8", "surrogatepass"))
