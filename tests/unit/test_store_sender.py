"""The command sender against a scripted fake backend: ordering, retries with
the same client_id, refusals, a server that stays down, crash and resend."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from agentdesk.backends.base import (
    BackendAuthError,
    BackendCommandError,
    BackendConnectionError,
)
from agentdesk.domain.models import AgentInfo, Interaction, Presence, TimelineItem
from agentdesk.store.outbox import Outbox, OutboxItem, OutboxState
from agentdesk.store.sender import CommandSender

WAIT = 5.0


def _interaction(iid: str) -> Interaction:
    return Interaction(id=iid, channel="chat", customer_id="c", customer_name="C", queue_id="q",
                       state="active", created_at=0.0)


class FakeBackend:
    """Records every call; `script[body or verb]` lists outcomes to play in turn."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []  # (what, interaction, client_id)
        self.script: dict[str, list[Exception]] = defaultdict(list)
        self.down = False
        self.gate: asyncio.Event | None = None  # when set, calls wait for it

    async def _do(self, what: str, iid: str, cid: str) -> None:
        if self.gate is not None:
            await self.gate.wait()
        self.calls.append((what, iid, cid))
        if self.down:
            raise BackendConnectionError("cannot reach server")
        if self.script[what]:
            raise self.script[what].pop(0)

    async def send_message(self, iid: str, body: str, cid: str, *, kind: str = "reply",
                           subject: str | None = None, cc: list[str] | None = None) -> TimelineItem:
        await self._do(body, iid, cid)
        return TimelineItem(id="m-" + cid, customer_id="c", interaction_id=iid, channel="chat",
                            kind="message", direction="outbound", author="me", body=body, at=1.0,
                            client_id=cid)

    async def accept(self, iid: str, cid: str) -> Interaction:
        await self._do("accept", iid, cid)
        return _interaction(iid)

    async def wrapup(self, iid: str, disposition: str, cid: str, notes: str | None = None) -> Interaction:
        await self._do("wrapup:" + disposition, iid, cid)
        return _interaction(iid)

    async def set_presence(self, presence: Presence, next: Presence | None = None) -> AgentInfo:
        await self._do("presence:" + presence, "", "")
        return AgentInfo(id="a", name="A", presence=presence)

    def sent(self, iid: str | None = None) -> list[str]:
        return [what for what, i, _ in self.calls if iid is None or i == iid]


@pytest.fixture
def box(tmp_path: Path) -> Outbox:
    b = Outbox(tmp_path / "agentdesk.db")
    yield b  # type: ignore[misc]
    b.close()


async def make_sender(backend: FakeBackend, box: Outbox, changes: list[OutboxItem] | None = None) -> CommandSender:
    sender = CommandSender(backend, box, changes.append if changes is not None else None,  # type: ignore[arg-type]
                           backoff_base=0.01, backoff_cap=0.05)
    sender.start()
    return sender


async def test_sends_in_order_per_interaction_and_records_results(box: Outbox) -> None:
    backend = FakeBackend()
    changes: list[OutboxItem] = []
    sender = await make_sender(backend, box, changes)
    try:
        sender.submit("accept", "a", {})
        for n in range(5):
            sender.submit("message", "a", {"body": f"a{n}"})
        sender.submit("message", "b", {"body": "b0"})
        wrap = sender.submit("wrapup", "a", {"disposition": "resolved"})
        sender.submit("presence", None, {"presence": "break"})
        await sender.wait_idle(WAIT)
        assert backend.sent("a") == ["accept", "a0", "a1", "a2", "a3", "a4", "wrapup:resolved"]
        assert backend.sent("b") == ["b0"]
        assert "presence:break" in backend.sent()
        assert sender.pending() == []
        done = box.get(wrap.client_id)
        assert done is not None and done.state is OutboxState.SENT and done.result["id"] == "a"  # type: ignore[index]
        states = [c.state for c in changes if c.client_id == wrap.client_id]
        assert states == [OutboxState.QUEUED, OutboxState.SENDING, OutboxState.SENT]
    finally:
        await sender.stop()


async def test_transient_failure_is_retried_with_the_same_client_id(box: Outbox) -> None:
    backend = FakeBackend()
    backend.script["hello"] = [BackendConnectionError("timeout"), BackendConnectionError("502")]
    sender = await make_sender(backend, box)
    try:
        item = sender.submit("message", "a", {"body": "hello"})
        sender.submit("message", "a", {"body": "after"})
        await sender.wait_idle(WAIT)
        assert [c for w, _, c in backend.calls if w == "hello"] == [item.client_id] * 3
        assert backend.sent("a") == ["hello", "hello", "hello", "after"]  # order kept
        assert box.get(item.client_id).attempts == 3  # type: ignore[union-attr]
    finally:
        await sender.stop()


async def test_refusal_fails_the_item_and_retry_resends_it(box: Outbox) -> None:
    backend = FakeBackend()
    backend.script["nope"] = [BackendCommandError("interaction is closed", status=409, code="closed")]
    sender = await make_sender(backend, box)
    try:
        bad = sender.submit("message", "a", {"body": "nope"})
        sender.submit("message", "a", {"body": "next"})
        await sender.wait_idle(WAIT)
        failed = box.get(bad.client_id)
        assert failed is not None and failed.state is OutboxState.FAILED
        assert failed.error == "interaction is closed"
        assert backend.sent("a") == ["nope", "next"]  # a refusal does not hold the lane
        assert [i.client_id for i in sender.pending("a")] == [bad.client_id]
        again = sender.retry(bad.client_id)
        assert again.client_id == bad.client_id
        await sender.wait_idle(WAIT)
        assert box.get(bad.client_id).state is OutboxState.SENT  # type: ignore[union-attr]
        assert [c for w, _, c in backend.calls if w == "nope"] == [bad.client_id] * 2
    finally:
        await sender.stop()


async def test_retry_with_reissue_uses_a_new_key_once(box: Outbox) -> None:
    backend = FakeBackend()
    backend.script["nope"] = [BackendCommandError("not yet", status=409, code="conflict")]
    sender = await make_sender(backend, box)
    try:
        bad = sender.submit("message", "a", {"body": "nope"})
        await sender.wait_idle(WAIT)
        again = sender.retry(bad.client_id, reissue=True)
        await sender.wait_idle(WAIT)
        assert again.client_id != bad.client_id
        assert box.get(again.client_id).state is OutboxState.SENT  # type: ignore[union-attr]
        assert [c for w, _, c in backend.calls if w == "nope"] == [bad.client_id, again.client_id]
    finally:
        await sender.stop()


async def test_server_that_stays_down_keeps_items_until_it_returns(box: Outbox) -> None:
    backend = FakeBackend()
    backend.down = True
    sender = await make_sender(backend, box)
    try:
        sender.submit("message", "a", {"body": "one"})
        sender.submit("message", "a", {"body": "two"})
        while len(backend.calls) < 4:  # several failed tries, with backoff
            await asyncio.sleep(0.01)
        assert [i.state for i in sender.pending("a")] in (
            [OutboxState.QUEUED, OutboxState.QUEUED], [OutboxState.SENDING, OutboxState.QUEUED])
        assert set(backend.sent("a")) == {"one"}  # "two" never overtook "one"
        assert sender.last_error == "cannot reach server"
        backend.down = False
        await sender.wait_idle(WAIT)
        assert backend.sent("a")[-2:] == ["one", "two"]
    finally:
        await sender.stop()


async def test_signed_out_pauses_until_resumed(box: Outbox) -> None:
    backend = FakeBackend()
    backend.script["hi"] = [BackendAuthError("token expired")]
    sender = await make_sender(backend, box)
    try:
        item = sender.submit("message", "a", {"body": "hi"})
        while not sender.paused_reason:
            await asyncio.sleep(0.01)
        assert box.get(item.client_id).state is OutboxState.QUEUED  # type: ignore[union-attr]
        assert sender.paused_reason == "token expired"
        sender.resume()  # the user signed in again
        await sender.wait_idle(WAIT)
        assert [c for w, _, c in backend.calls] == [item.client_id] * 2
    finally:
        await sender.stop()


async def test_crash_mid_send_then_reopen_resends_once(tmp_path: Path) -> None:
    path = tmp_path / "agentdesk.db"
    box = Outbox(path)
    backend = FakeBackend()
    backend.gate = asyncio.Event()  # the send hangs: the "process" dies in flight
    sender = await make_sender(backend, box)
    item = sender.submit("message", "a", {"body": "important"})
    queued = sender.submit("message", "a", {"body": "later"})
    while box.get(item.client_id).state is not OutboxState.SENDING:  # type: ignore[union-attr]
        await asyncio.sleep(0.01)
    # Simulate the crash: the DB is left with the item in `sending`.
    sender._task.cancel()  # type: ignore[union-attr]
    for task in list(sender._in_flight.values()):
        task.cancel()
    await asyncio.sleep(0)
    box.close()
    assert backend.calls == []

    box = Outbox(path)  # a new process opens the same file
    backend2 = FakeBackend()
    sender2 = await make_sender(backend2, box)
    try:
        await sender2.wait_idle(WAIT)
        assert backend2.calls == [("important", "a", item.client_id), ("later", "a", queued.client_id)]
        assert box.pending() == []
    finally:
        await sender2.stop()
        box.close()


async def test_stop_requeues_in_flight_items(box: Outbox) -> None:
    backend = FakeBackend()
    backend.gate = asyncio.Event()
    sender = await make_sender(backend, box)
    item = sender.submit("accept", "a", {})
    while box.get(item.client_id).state is not OutboxState.SENDING:  # type: ignore[union-attr]
        await asyncio.sleep(0.01)
    await sender.stop()
    assert box.get(item.client_id).state is OutboxState.QUEUED  # type: ignore[union-attr]


async def test_a_broken_item_fails_without_stopping_others(box: Outbox) -> None:
    backend = FakeBackend()
    sender = await make_sender(backend, box)
    try:
        broken = sender.submit("message", "a", {"no_body": True})
        sender.submit("message", "b", {"body": "fine"})
        await sender.wait_idle(WAIT)
        failed = box.get(broken.client_id)
        assert failed is not None and failed.state is OutboxState.FAILED
        assert "could not send" in failed.error
        assert backend.sent("b") == ["fine"]
    finally:
        await sender.stop()


async def test_a_failing_callback_does_not_stop_the_sender(box: Outbox) -> None:
    backend = FakeBackend()

    def explode(item: OutboxItem) -> Any:
        raise RuntimeError("ui bug")

    sender = CommandSender(backend, box, explode, backoff_base=0.01)  # type: ignore[arg-type]
    sender.start()
    try:
        sender.submit("message", "a", {"body": "x"})
        await sender.wait_idle(WAIT)
        assert backend.sent() == ["x"]
    finally:
        await sender.stop()


async def test_signed_out_resumes_by_itself_on_a_new_token(box: Outbox) -> None:
    backend = FakeBackend()
    backend.token = "old"  # type: ignore[attr-defined]
    backend.script["hi"] = [BackendAuthError("token expired")]
    sender = CommandSender(backend, box, backoff_base=0.01, auth_retry_s=3600)  # type: ignore[arg-type]
    sender.start()
    try:
        sender.submit("message", "a", {"body": "hi"})
        while not sender.paused_reason:
            await asyncio.sleep(0.01)
        backend.token = "new"  # type: ignore[attr-defined]  # the user signed in again
        await sender.wait_idle(WAIT)  # no resume() needed
        assert backend.sent() == ["hi", "hi"] and sender.paused_reason == ""
    finally:
        await sender.stop()


async def test_signed_out_retries_after_a_while_anyway(box: Outbox) -> None:
    backend = FakeBackend()
    backend.script["hi"] = [BackendAuthError("server hiccup")]
    sender = CommandSender(backend, box, backoff_base=0.01, auth_retry_s=0.05)  # type: ignore[arg-type]
    sender.start()
    try:
        sender.submit("message", "a", {"body": "hi"})
        await sender.wait_idle(WAIT)
        assert backend.sent() == ["hi", "hi"]
    finally:
        await sender.stop()
