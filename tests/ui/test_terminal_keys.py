"""Alt+key through Textual's real terminal parser: stock Textual 8.2 reads
ESC 1 as "¡" (so alt+1..9 never reach the desk's tab bindings), and ESC s ESC t
arriving in one read as "^", "s", alt+t (issue 14 item 4: "^1^2" typed
into the reply); after `parse_alt_keys()` both read as alt+1, alt+2, while
escape sequences (arrows, F1) and a typed "¡" are as before. Each case runs
in a fresh interpreter: the fix changes a module-level table for the whole
process."""

from __future__ import annotations

import json
import subprocess
import sys

PARSE = """
import json, sys
from textual._xterm_parser import XTermParser
if sys.argv[1] == "fixed":
    from agentdesk.ui.terminal_keys import parse_alt_keys
    assert parse_alt_keys()

def keys(data):
    parser = XTermParser()
    return [event.key for event in [*parser.feed(data), *parser.feed("")]]

print(json.dumps({name: keys(data) for name, data in
                  {"esc1": "\\x1b1", "esc9": "\\x1b9", "escs": "\\x1bs", "inverted": "\\u00a1",
                   "digit": "1", "fast": "\\x1b1\\x1b2\\x1b3", "fast_letters": "\\x1bs\\x1bt",
                   "arrows": "\\x1b[A\\x1bOP\\x1bb", "escape_then_up": "\\x1b\\x1b[A"}.items()}))
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
    assert keys["fast_letters"] == ["circumflex_accent", "s", "alt+t"]  # ESC s ESC t in one read


def test_after_the_fix_esc_digit_is_alt_digit_and_nothing_else_changes():
    keys = _parsed("fixed")
    assert keys["esc1"] == ["alt+1"] and keys["esc9"] == ["alt+9"]
    assert keys["escs"] == ["alt+s"]
    assert keys["inverted"] == ["inverted_exclamation_mark"]  # a typed "¡" stays a character
    assert keys["digit"] == ["1"]


def test_after_the_fix_keys_arriving_together_stay_keys():
    keys = _parsed("fixed")
    assert keys["fast"] == ["alt+1", "alt+2", "alt+3"]
    assert keys["fast_letters"] == ["alt+s", "alt+t"]
    assert keys["arrows"] == ["up", "f1", "ctrl+left"]  # sequences and Textual's own ESC b
    assert keys["escape_then_up"] == _parsed("stock")["escape_then_up"]
