"""The durable outbox: commit before send, crash recovery, lanes, states."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from agentdesk.store.outbox import Outbox, OutboxError, OutboxKind, OutboxState
from agentdesk.store.paths import data_dir, db_path, state_dir


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "agentdesk.db"


def test_add_is_committed_before_returning(path: Path) -> None:
    box = Outbox(path)
    item = box.add("message", "i1", {"body": "hello"})
    # Another connection (another process, after a crash) sees it at once.
    rows = sqlite3.connect(path).execute("SELECT client_id, state, payload FROM outbox").fetchall()
    assert rows == [(item.client_id, "queued", '{"body": "hello"}')]
    assert item.kind is OutboxKind.MESSAGE and item.state is OutboxState.QUEUED
    assert item.attempts == 0 and item.pending
    box.close()


def test_same_client_id_is_one_item(path: Path) -> None:
    box = Outbox(path)
    a = box.add("accept", "i1", {}, client_id="cid-1")
    b = box.add("accept", "i1", {}, client_id="cid-1")
    assert a.seq == b.seq and len(box.items()) == 1
    box.close()


def test_crash_while_sending_requeues_on_open(path: Path) -> None:
    box = Outbox(path)
    first = box.add("message", "i1", {"body": "one"})
    second = box.add("message", "i1", {"body": "two"})
    box.mark_sending(first.client_id)
    box.close()  # "crash": never acknowledged
    box = Outbox(path)
    items = box.items()
    assert [(i.client_id, i.state) for i in items] == [
        (first.client_id, OutboxState.QUEUED),
        (second.client_id, OutboxState.QUEUED),
    ]
    assert items[0].attempts == 1  # the earlier attempt is remembered
    box.close()


def test_lane_heads_keep_per_interaction_order(path: Path) -> None:
    box = Outbox(path)
    a1 = box.add("message", "a", {"body": "a1"})
    b1 = box.add("message", "b", {"body": "b1"})
    a2 = box.add("wrapup", "a", {"disposition": "ok"})
    p1 = box.add("presence", None, {"presence": "break"})
    assert [h.client_id for h in box.lane_heads()] == [a1.client_id, b1.client_id, p1.client_id]
    box.mark_sending(a1.client_id)
    heads = box.lane_heads()
    assert heads[0].client_id == a1.client_id and heads[0].state is OutboxState.SENDING
    box.mark_sent(a1.client_id, {"item": {"id": "m1"}})
    assert [h.client_id for h in box.lane_heads()] == [b1.client_id, a2.client_id, p1.client_id]
    assert box.get(a1.client_id).result == {"item": {"id": "m1"}}  # type: ignore[union-attr]
    box.close()


def test_failed_items_do_not_block_and_can_be_retried(path: Path) -> None:
    box = Outbox(path)
    a1 = box.add("message", "a", {"body": "a1"})
    a2 = box.add("message", "a", {"body": "a2"})
    box.mark_sending(a1.client_id)
    failed = box.mark_failed(a1.client_id, "interaction is closed")
    assert failed.state is OutboxState.FAILED and failed.error == "interaction is closed"
    assert [h.client_id for h in box.lane_heads()] == [a2.client_id]
    assert [i.client_id for i in box.pending("a")] == [a1.client_id, a2.client_id]
    again = box.reissue(a1.client_id)
    assert again.state is OutboxState.QUEUED and again.error == "" and again.attempts == 0
    assert again.client_id != a1.client_id and again.seq == a1.seq  # new key, same place
    assert box.get(a1.client_id) is None  # the refused key is gone for good
    assert [h.client_id for h in box.lane_heads()] == [again.client_id]
    with pytest.raises(OutboxError):
        box.reissue(again.client_id)  # only failed items: unknown outcomes keep their key
    box.mark_sending(a2.client_id)
    box.mark_failed(a2.client_id, "refused")
    same = box.requeue(a2.client_id)  # the plain retry keeps its key
    assert same.client_id == a2.client_id and same.state is OutboxState.QUEUED
    box.close()


def test_invalid_transitions_are_refused(path: Path) -> None:
    box = Outbox(path)
    item = box.add("accept", "i1", {})
    box.mark_sending(item.client_id)
    with pytest.raises(OutboxError):
        box.mark_sending(item.client_id)  # already in flight
    with pytest.raises(OutboxError):
        box.mark_sent("no-such-id")
    box.discard(item.client_id)  # not while sending
    assert box.get(item.client_id) is not None
    box.mark_failed(item.client_id, "x")
    box.discard(item.client_id)
    assert box.get(item.client_id) is None
    box.close()


def test_prune_sent_and_filters(path: Path) -> None:
    box = Outbox(path)
    a = box.add("message", "a", {"body": "x"})
    b = box.add("message", "b", {"body": "y"})
    box.mark_sending(a.client_id)
    box.mark_sent(a.client_id)
    assert [i.client_id for i in box.items(states=[OutboxState.SENT])] == [a.client_id]
    assert [i.client_id for i in box.items(interaction_id="b")] == [b.client_id]
    assert box.prune_sent(older_than_s=-1) == 1
    assert [i.client_id for i in box.items()] == [b.client_id]
    box.close()


def test_hostile_payload_round_trips(path: Path) -> None:
    box = Outbox(path)
    body = "'; DROP TABLE outbox; --\x00\x1b[2J\u202e\U0001f600\ud800 [b]x[/]"
    item = box.add("message", "i'1\"", {"body": body})
    box.close()
    box = Outbox(path)
    assert box.get(item.client_id).payload == {"body": body}  # type: ignore[union-attr]
    box.close()


def test_paths_follow_xdg_and_are_created(tmp_path: Path) -> None:
    # tests/conftest.py points XDG_* at a temp home for every test.
    assert str(data_dir()).startswith(str(tmp_path)) and data_dir().is_dir()
    assert str(state_dir()).startswith(str(tmp_path)) and state_dir().is_dir()
    assert db_path().parent == data_dir() and db_path().name == "agentdesk.db"
    box = Outbox(db_path())
    box.add("presence", None, {"presence": "away"})
    box.close()
    assert db_path().exists()
