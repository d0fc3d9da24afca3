"""Checking the user's `[keymap]` table (agentdesk.ui.keymap.check_keymap): every
kind of bad entry is left out with one clear problem line, good ones are kept
in Textual's spelling, nothing raises."""

from __future__ import annotations

import pytest

from agentdesk.ui.keymap import (
    MONITOR_BINDING_IDS,
    check_desk_keymap,
    check_keymap,
    check_keys,
    check_monitor_keymap,
    desk_binding_ids,
)

DESK = desk_binding_ids()


def test_good_entries_are_kept():
    valid, problems = check_keymap(
        {"offer-accept": "f2,ctrl+a", "help": "f1", "tab-most-urgent": "ctrl+u"}, DESK)
    assert problems == []
    assert valid == {"offer-accept": "f2,ctrl+a", "help": "f1", "tab-most-urgent": "ctrl+u"}


@pytest.mark.parametrize(("value", "keys"), [
    ("F2", "f2"),                               # Textual's names are lower case
    (" f12 , ctrl+a ", "f12,ctrl+a"),           # spaces around keys
    ("shift+ctrl+left", "ctrl+shift+left"),     # modifiers in the order Textual reports
    ("Ctrl+Shift+Home", "ctrl+shift+home"),
    ("ctrl+/", "ctrl+slash"),                   # punctuation by its name
    ("?", "question_mark"),
    ("alt+super+hyper+meta+x", "alt+hyper+meta+super+x"),
    ("esc", "escape"), ("pgup", "pageup"), ("PgDn", "pagedown"), ("del", "delete"),
    ("space,tab,enter,backspace,insert,home,end", "space,tab,enter,backspace,insert,home,end"),
    ("f24,ctrl+f24,shift+tab", "f24,ctrl+f24,shift+tab"),
    ("a,A,1,é", "a,A,1,é"),                     # single characters as they are
    ("plus,minus,comma,slash,backslash", "plus,minus,comma,slash,backslash"),
    ("f2,f2,F2", "f2"),                         # repeats dropped
])
def test_keys_are_spelled_as_textual_names_them(value, keys):
    assert check_keys(value) == (keys, "")


def test_unknown_id_is_reported_and_dropped():
    valid, problems = check_keymap({"no-such-binding": "f5", "help": "f1"}, DESK)
    assert valid == {"help": "f1"}
    assert problems == ["keymap.no-such-binding: unknown binding id, ignored "
                        "(the ids are listed in docs/keymap.md)"]


@pytest.mark.parametrize(("wrong", "meant"), [
    ("accept-offer", "offer-accept"),   # the id the docs used to show
    ("offer_accept", "offer-accept"),
    ("ofer-accept", "offer-accept"),
    ("Help", "help"),
    ("reject-offer", "offer-reject"),
])
def test_unknown_id_suggests_the_close_one(wrong, meant):
    valid, problems = check_keymap({wrong: "f2"}, DESK)
    assert valid == {}
    assert problems == [f"keymap.{wrong}: unknown binding id, ignored; did you mean {meant}?"]


def test_empty_value():
    valid, problems = check_keymap({"presence-menu": "", "call-hold": "  "}, DESK)
    assert valid == {}
    assert problems == [
        "keymap.presence-menu: no keys given (using the default keys)",
        "keymap.call-hold: no keys given (using the default keys)",
    ]


@pytest.mark.parametrize(("value", "what"), [
    ("banana", "'banana' is not a key Textual knows; keys look like f2, ctrl+a"),
    ("nonsense+key+x", "'nonsense+key+x': unknown modifier 'nonsense' (modifiers are alt, ctrl, "
                       "hyper, meta, shift, super)"),
    ("escpae", "'escpae' is not a key Textual knows, did you mean escape?"),
    ("f2,,f3", "an empty key (two commas, or a comma at the end?)"),
    ("f2,", "an empty key"),
    ("ctrl+", "'ctrl+' has no key after '+' (the plus key is written 'plus')"),
    ("ctrl++", "'ctrl++' has no key after '+'"),
    ("ctrl+shift", "'ctrl+shift' is a modifier without a key"),
    ("f2,banana", "'banana' is not a key Textual knows"),     # one bad key spoils the entry
    ("ctrl+\x07", "is not a key"),
    ("\x07", "is not a key"),
])
def test_bad_keys_are_reported_and_dropped(value, what):
    valid, problems = check_keymap({"offer-reject": value}, DESK)
    assert valid == {}
    assert len(problems) == 1
    assert problems[0].startswith("keymap.offer-reject: ")
    assert what in problems[0]
    assert problems[0].endswith(" (using the default keys)")


@pytest.mark.parametrize("value", [3, ["f2"], None, {"a": "b"}, 2.5, True])
def test_values_that_are_not_strings_never_crash(value):
    valid, problems = check_keymap({"quit": value}, DESK)  # type: ignore[dict-item]
    assert valid == {}
    assert problems and problems[0].startswith("keymap.quit: expected a string of keys")


def test_every_bad_kind_at_once_keeps_the_good_ones():
    valid, problems = check_desk_keymap({
        "accept-offer": "f2,ctrl+a", "no-such-binding": "f5", "presence-menu": "",
        "offer-reject": "banana", "help": "nonsense+key+x", "call-hold": "f12",
    })
    assert valid == {"call-hold": "f12"}
    assert [p.split(":")[0] for p in problems] == [
        "keymap.accept-offer", "keymap.no-such-binding", "keymap.presence-menu",
        "keymap.offer-reject", "keymap.help"]


def test_desk_and_monitor_share_the_table():
    table = {"offer-accept": "ctrl+a", "monitor-sort-next": "o", "monitor-sort-nxt": "p"}
    valid, problems = check_desk_keymap(table)
    assert valid == {"offer-accept": "ctrl+a"}  # the monitor's id skipped, not reported
    assert problems == ["keymap.monitor-sort-nxt: unknown binding id, ignored; "
                        "did you mean monitor-sort-next?"]
    valid, problems = check_monitor_keymap(table)
    assert valid == {"monitor-sort-next": "o"}
    assert problems == ["keymap.monitor-sort-nxt: unknown binding id, ignored; "
                        "did you mean monitor-sort-next?"]
    assert set(MONITOR_BINDING_IDS).isdisjoint(DESK)


def test_every_default_key_passes_the_check():
    from agentdesk.ui.keymap import GROUPS

    for _, group in GROUPS:
        for b in group:
            assert check_keys(b.key) == (b.key, ""), b.id
