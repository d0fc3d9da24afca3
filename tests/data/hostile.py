"""The shared corpus of hostile strings (tests/data/hostile_strings.txt).

The file keeps escapes written literally (`\\xNN`, `\\uNNNN`, `\\n`, `\\t`,
`\\\\`) so it stays readable and diffable; `HOSTILE` holds the decoded strings
plus one generated 1 MB single line. Lone surrogates stay in on purpose: they
cannot be encoded to UTF-8, which is exactly what must not crash anything.
"""

from __future__ import annotations

import re
from pathlib import Path

_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|n|t|\\)")
LONG_LINE_CHARS = 1_000_000


def decode(line: str) -> str:
    """Decode the literal escapes of one corpus line; other backslashes stay."""

    def sub(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in ("n", "t"):
            return "\n" if code == "n" else "\t"
        if code == "\\":
            return "\\"
        return chr(int(code[1:], 16))

    return _ESCAPE.sub(sub, line)


def load(path: Path | None = None) -> list[str]:
    path = path or Path(__file__).with_name("hostile_strings.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [decode(line) for line in lines if line]


def long_line(chars: int = LONG_LINE_CHARS) -> str:
    unit = "[b]long[/b] "
    return (unit * (chars // len(unit) + 1))[:chars]


HOSTILE: list[str] = [*load(), long_line()]
# Short ones only: for names, subjects and other fields with tight caps.
HOSTILE_SHORT: list[str] = [s for s in HOSTILE if len(s) < 1000]
