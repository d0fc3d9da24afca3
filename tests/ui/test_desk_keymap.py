"""Bindings: every one has a unique id, the docs are generated from them and
current, and remapping goes through `App.set_keymap`."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from agentdesk.ui import keymap_doc
from agentdesk.ui.app import AgentDeskApp
from agentdesk.ui.keymap import DESK_BINDINGS, GROUPS, all_binding_ids, display_keys
from agentdesk.ui.modals.help_screen import help_rows
from agentdesk.ui.screens.desk_screen import DeskScreen

DOC = Path(__file__).parents[2] / "docs" / "keymap.md"


def test_every_binding_has_a_unique_id():
    bindings = [b for _, group in GROUPS for b in group]
    assert all(isinstance(b, Binding) and b.id for b in bindings)
    ids = all_binding_ids()
    assert len(ids) == len(set(ids))
    for cls in (AgentDeskApp, DeskScreen):
        for b in cls.BINDINGS:
            assert isinstance(b, Binding) and b.id, (cls, b)


def test_design_default_keys_are_bound():
    keys = {b.id: b.key for _, group in GROUPS for b in group}
    expected = {
        "help": "f1", "offer-accept": "f2", "offer-reject": "f3", "presence-menu": "f4",
        "call-hold": "f5", "call-mute": "f6", "transfer": "f7", "call-hangup": "f8",
        "wrapup": "f9", "quit": "f10", "composer-send": "ctrl+s", "palette": "ctrl+p",
        "tab-1": "alt+1", "tab-9": "alt+9", "tab-most-urgent": "ctrl+n", "kb-search": "ctrl+k",
        "suggestion-insert-top": "alt+s", "split-toggle": "ctrl+backslash",
    }
    for binding_id, key in expected.items():
        assert keys[binding_id] == key, binding_id
    assert DESK_BINDINGS


def test_committed_keymap_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == keymap_doc.render(), (
        "docs/keymap.md is stale: run `python -m agentdesk.ui.keymap_doc > docs/keymap.md`")


def test_help_rows_apply_remapping():
    rows = dict((title, r) for title, r in help_rows({"offer-accept": "f12,ctrl+a"}))
    assert ("F12 / ctrl+a", "Accept") in rows["Offers"]
    assert display_keys("ctrl+backslash") == "ctrl+\\"
