"""Drafts: one per interaction, independent, durable."""

from __future__ import annotations

from pathlib import Path

from agentdesk.store.drafts import Drafts
from agentdesk.store.outbox import Outbox


def test_drafts_are_independent_and_persist(tmp_path: Path) -> None:
    path = tmp_path / "agentdesk.db"
    drafts = Drafts(path)
    drafts.save("i1", "Dear Ann,", subject="Your refund", cc="boss@example.com")
    drafts.save("i2", "hi bob")
    drafts.save("i1", "Dear Ann, thanks", subject="Your refund")  # editing tab 1
    assert drafts.load("i2").text == "hi bob"  # type: ignore[union-attr]
    drafts.close()

    drafts = Drafts(path)  # reopen, as after a restart
    one = drafts.load("i1")
    assert one is not None
    assert (one.text, one.subject, one.cc) == ("Dear Ann, thanks", "Your refund", "")
    assert drafts.load("i2").text == "hi bob"  # type: ignore[union-attr]
    assert drafts.load("nope") is None
    assert {d.interaction_id for d in drafts.all()} == {"i1", "i2"}
    drafts.delete("i1")
    assert drafts.load("i1") is None and drafts.load("i2") is not None
    drafts.close()


def test_hostile_text_never_breaks_a_save(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path / "d.db")
    drafts.save("i1", "bad paste \ud800 end", subject="\x00\x1b[2J")
    got = drafts.load("i1")
    assert got is not None and got.text == "bad paste ? end" and got.subject == "\x00\x1b[2J"
    drafts.close()


def test_empty_draft_is_deleted(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path / "d.db")
    drafts.save("i1", "x")
    drafts.save("i1", "")
    assert drafts.load("i1") is None and drafts.all() == []
    drafts.close()


def test_drafts_and_outbox_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "agentdesk.db"
    drafts, box = Drafts(path), Outbox(path)
    drafts.save("i1", "half-written\n\x1b[31m text")
    box.add("message", "i1", {"body": "sent"})
    assert drafts.load("i1").text == "half-written\n\x1b[31m text"  # type: ignore[union-attr]
    assert len(box.items()) == 1
    drafts.close()
    box.close()
