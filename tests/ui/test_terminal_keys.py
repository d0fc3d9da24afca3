"""Alt+digit through Textual's real terminal parser: stock Textual 8.2 reads
ESC 1 as "¡" (so alt+1..9 never reach the desk's tab bindings); after
`parse_alt_digits()` it reads alt+1, while ESC+letter and a typed "¡" are as
before. Each case runs in a fresh interpreter: the fix changes a module-level
table for the whole process."""

from __future__ import annotations

import json
import subprocess
import sys

PARSE = """
import json, sys
from textual._xterm_parser import XTermParser
if sys.argv[1] == "fixed":
    from agentdesk.ui.terminal_keys import parse_alt_digits
    assert parse_alt_digits()

def keys(data):
    parser = XTermParser()
    return [event.key for event in [*parser.feed(data), *parser.feed("")]]

print(json.dumps({name: keys(data) for name, data in
                  {"esc1": "\\x1b1", "esc9": "\\x1b9", "escs": "\\x1bs", "inverted": "\\u00a1",
                   "digit": "1"}.items()}))
"""


def _parsed(mode: str) -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", PARSE, mode], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_stock_textual_reads_esc_digit_as_a_character():
    """If this fails, Textual changed its table: check whether
    agentdesk/ui/terminal_keys.py is still needed."""
    keys = _parsed("stock")
    assert keys["esc1"] == ["inverted_exclamation_mark"]
    assert keys["escs"] == ["alt+s"]


def test_after_the_fix_esc_digit_is_alt_digit_and_nothing_else_changes():
    keys = _parsed("fixed")
    assert keys["esc1"] == ["alt+1"] and keys["esc9"] == ["alt+9"]
    assert keys["escs"] == ["alt+s"]
    assert keys["inverted"] == ["inverted_exclamation_mark"]  # a typed "¡" stays a character
    assert keys["digit"] == ["1"]
