"""Alt+digit from terminals that send Alt as an ESC prefix (xterm, tmux, the
Linux consoles): Textual 8.2's key table maps ESC 1..9 to the characters that
WezTerm on macOS means by them (¡ ™ £ ¢ ∞ § ¶ • ª), so the desk's alt+1..9 tab
keys could never fire there, and typed "¡™" into the reply instead.

`parse_alt_digits()` removes those nine entries, so ESC+digit parses as
alt+digit exactly as ESC+letter already parses as alt+letter. A "¡" typed as a
character (a Spanish keyboard, macOS Option+1 in most terminals) is untouched.
This is a Textual internal (ui/textual_compat.py); tests/ui/test_terminal_keys.py
fails when Textual's table changes, so the workaround can then go.
"""

from __future__ import annotations

ALT_DIGIT_SEQUENCES = tuple(f"\x1b{digit}" for digit in "123456789")


def parse_alt_digits() -> bool:
    """Make ESC 1..9 parse as alt+1..9 in this process; False if Textual's key
    table is not where it was (nothing is changed then)."""
    from agentdesk.ui.textual_compat import ansi_sequences_table

    table = ansi_sequences_table()
    if table is None:
        return False
    for sequence in ALT_DIGIT_SEQUENCES:
        table.pop(sequence, None)
    return True
