"""The private Textual names agentdesk touches are all still there.

If a Textual upgrade moves one, this fails with the list of what moved
(agentdesk/ui/textual_compat.py keeps working on its fallbacks meanwhile)."""

from __future__ import annotations

from agentdesk.ui import textual_compat as compat


def test_every_private_textual_name_we_use_still_exists():
    assert compat.missing() == []


def test_a_moved_name_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(compat, "PRIVATE_NAMES", (("textual.keys", "_no_such_name"),
                                                  ("textual._no_such_module", "X")))
    assert compat.missing() == ["textual.keys._no_such_name", "textual._no_such_module.X"]


def test_fallbacks_give_working_values():
    assert compat.character_to_key("/") == "slash"
    assert compat.character_to_key("a") == "a"
    assert compat.app_keymap(object()) == {}
    assert compat.active_app() is None  # no app runs in this test
    table = compat.ansi_sequences_table()
    assert table is not None and "\x1b[A" in table  # up arrow
