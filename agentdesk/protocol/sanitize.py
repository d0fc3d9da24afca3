"""The one text sanitiser at the protocol boundary (DESIGN.md section 7).

Every string that arrives from a server or a customer passes through
`sanitize_text` before anything else sees it. It removes what could drive the
terminal or reorder what the agent reads, and caps the length:

- escape sequences (CSI, OSC, DCS, SOS/PM/APC and 8-bit C1 forms) as a whole,
  so no payload of a sequence is left behind as visible junk;
- every other C0 control except newline and tab, DEL, and C1 controls;
- bidi embedding/override/isolate controls (U+202A-202E, U+2066-2069);
- lone surrogates (invalid UTF-16 halves that cannot be encoded);
- carriage returns are normalised to newlines.

Markup is *not* touched here: it is harmless text as long as the UI renders it
literally, which the UI layer guarantees.
"""

from __future__ import annotations

import re
from typing import Any

# Default cap for any inbound string; callers pass tighter caps per field.
MAX_TEXT = 100_000
TRUNCATION_MARK = " [truncated]"

# ESC-introduced sequences, 7-bit and 8-bit forms:
#   CSI: ESC [ params intermediates final     / \x9b ...
#   OSC, DCS, SOS, PM, APC: ESC ] ... (BEL | ESC \ | \x9c) and 8-bit \x9d \x90 \x98 \x9e \x9f
#   any other two-char ESC sequence: ESC + one char
_SEQUENCES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?      # CSI
  | (?:\x1b[\]P^_X]|[\x9d\x90\x9e\x9f\x98])                  # OSC DCS PM APC SOS
    [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?                    #   ... up to the terminator
  | \x1b[\x20-\x2f]*[\x30-\x7e]?                             # other ESC sequences
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

# Every character either pattern above can start a match on (ESC and CR are C0;
# the 8-bit introducers are C1). A string with none of them is returned as is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def sanitize_text(value: str, max_len: int = MAX_TEXT) -> str:
    """Return `value` safe to show in a terminal, at most about `max_len` chars."""
    if len(value) <= max_len and (
        (value.isascii() and value.isprintable()) or _UNSAFE.search(value) is None
    ):
        return value  # the common case, one scan: nothing to remove or cut
    if len(value) > max_len * 4:
        # Bound the work on pathological input before the regexes run.
        value = value[: max_len * 4]
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _SEQUENCES.sub("", text)
    text = _CONTROLS.sub("", text)
    if len(text) > max_len:
        text = text[: max(0, max_len - len(TRUNCATION_MARK))] + TRUNCATION_MARK
    return text


def sanitize_tree(value: Any, max_len: int = MAX_TEXT) -> Any:
    """Sanitise every string (keys too) in a decoded JSON value, recursively."""
    if isinstance(value, str):
        return sanitize_text(value, max_len)
    if isinstance(value, list):
        return [sanitize_tree(v, max_len) for v in value]
    if isinstance(value, dict):
        return {
            (sanitize_text(k, 200) if isinstance(k, str) else k): sanitize_tree(v, max_len)
            for k, v in value.items()
        }
    return value
