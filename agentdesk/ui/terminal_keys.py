"""Alt+key from terminals that send Alt as an ESC prefix (xterm, tmux, the
Linux consoles, ssh), read the same however fast the bytes arrive.

Two faults of Textual 8.2's parser, both fixed by entries in its key table:

- its table maps ESC 1..9 to the characters WezTerm on macOS means by them
  (¡ ™ £ ¢ ∞ § ¶ • ª), so the desk's alt+1..9 tab keys typed "¡™" instead;
- ESC+key is alt+key only when nothing follows within the escape delay: when
  ESC 1 ESC 2 ESC 3 arrive in one read (keys typed fast, or a laggy ssh link
  delivering them together) each ESC is reissued as a literal "^" and the key
  as plain text, so the composer got "^1^2^3" and no tab changed.

`parse_alt_keys()` puts ESC+digit and ESC+letter in the table as alt+key, so
the parser matches them as soon as the key byte arrives, whatever follows.
Textual's own ESC entries stay (ESC b / ESC f are word moves, ESC O starts an
SS3 sequence and ESC P a DCS reply, so neither is touched). A "¡" typed as a
character (a Spanish keyboard, macOS Option+1 in most terminals) is untouched.
The table is a Textual internal (ui/textual_compat/); tests/ui/test_terminal_keys.py
fails when Textual's table changes, so the workaround can then go.
"""

from __future__ import annotations

import string

# Letters whose ESC sequence Textual already means otherwise, or that open
# longer sequences (SS3, DCS): left alone.
_KEPT = frozenset("bfOP")


def _alt_name(character: str) -> str:
    if character.isupper():
        return f"alt+shift+{character.lower()}"
    return f"alt+{character}"


ALT_KEY_SEQUENCES: dict[str, str] = {
    f"\x1b{character}": _alt_name(character)
    for character in string.digits + string.ascii_letters
    if character not in _KEPT
}



class AltKey:
    """A table value: the parser reads only `.value`, the key's name (Textual's
    own `Keys` enum, which the table otherwise holds, has no alt+digit)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


def parse_alt_keys() -> bool:
    """Make ESC+digit / ESC+letter parse as alt+key in this process, in every
    read; False if Textual's key table is not where it was (nothing changed)."""
    from agentdesk.ui.textual_compat import ansi_sequences_table

    table = ansi_sequences_table()
    if table is None:
        return False
    for sequence, name in ALT_KEY_SEQUENCES.items():
        table[sequence] = (AltKey(name),)
    return True
