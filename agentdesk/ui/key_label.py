"""How a key reads on screen: function keys in capitals ('f2' -> 'F2').

Its own module because the app's `get_key_display` needs it for the first
footer, long before any call bar exists: importing it from the call widgets
pulled them (and the DTMF pad) onto the start-up path.
"""

from __future__ import annotations

import re

_FUNCTION_KEY = re.compile(r"\bf(\d{1,2})\b")


def key_label(key: str) -> str:
    """A key as the footer shows it: function keys in capitals ('f2' -> 'F2')."""
    return _FUNCTION_KEY.sub(r"F\1", key.strip())
