"""The outbox and sender against the real mock server: a crash after the server
acted but before the answer arrived, refusals and retry, per-interaction order."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from agentdesk.backends.base import BackendCommandError, new_client_id
from agentdesk.backends.http_wire import ConnectionPool, WireRequest, WireResponse
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.store.outbox import Outbox, OutboxItem, OutboxState
from agentdesk.store.sender import CommandSender
from agentdesk.testing.mockserver import ServerHandle

from .conftest import FAST_RETRY, WAIT, Client, Connect, for_ix


class AnswerNever:
    """The request reaches the server; the answer never comes back (the process dies)."""

    def __init__(self) -> None:
        self._inner = ConnectionPool()

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        response = await self._inner.send(request, timeout=timeout, max_body=max_body)
        if request.path.endswith("/messages"):
            await asyncio.Event().wait()  # hang until cancelled
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def _active_chat(client: Client, sim: SimControl) -> tuple[str, str]:
    iid = await sim.new_contact("chat", text="hi")
    offered = await client.event("interaction.offered", for_ix(iid))
    await client.backend.accept(iid, new_client_id())
    return iid, offered.interaction.customer_id


async def test_crash_before_the_answer_then_reopen_sends_each_once_in_order(
    connect: Connect, sim: SimControl, server: ServerHandle, tmp_path: Path
) -> None:
    watcher = await connect("agent1")
    iid, customer = await _active_chat(watcher, sim)
    db = tmp_path / "agentdesk.db"

    # Process 1: the first message reaches the server, then the process "dies".
    doomed = NativeBackend(server.url, token=watcher.backend.token, retry=FAST_RETRY,
                           transport=AnswerNever())
    outbox = Outbox(db)
    sender = CommandSender(doomed, outbox, backoff_base=0.05, backoff_cap=0.2)
    sender.start()
    items = [sender.submit("message", iid, {"body": f"part {n}"}) for n in (1, 2, 3)]
    await watcher.event("message.created", lambda e: e.item.body == "part 1")
    assert outbox.get(items[0].client_id).state is OutboxState.SENDING  # type: ignore[union-attr]
    # A crash records nothing: no outcome reaches the DB.
    sender._settle = lambda *a, **k: None  # type: ignore[method-assign]
    await sender.stop()
    outbox.close()
    await doomed.close()

    # Process 2: reopen the same file; everything goes out, once, in order.
    outbox = Outbox(db)
    assert [i.state for i in outbox.pending(iid)] == [OutboxState.QUEUED] * 3
    sender = CommandSender(watcher.backend, outbox, backoff_base=0.05)
    sender.start()
    try:
        await sender.wait_idle(WAIT)
        assert [i.state for i in outbox.items()] == [OutboxState.SENT] * 3
        page = await watcher.backend.get_timeline(customer, limit=500)
        bodies = [i.body for i in page.items if i.body.startswith("part ")]
        assert bodies == ["part 1", "part 2", "part 3"]
        sent = outbox.get(items[0].client_id)
        assert sent is not None and sent.result is not None and sent.result["client_id"] == items[0].client_id
    finally:
        await sender.stop()
        outbox.close()


async def test_refused_command_fails_with_the_server_message_and_retry_works(
    connect: Connect, sim: SimControl, tmp_path: Path
) -> None:
    client = await connect("agent1")
    iid = await sim.new_contact("chat", text="hi")
    await client.event("interaction.offered", for_ix(iid))
    changes: list[OutboxItem] = []
    outbox = Outbox(tmp_path / "agentdesk.db")
    sender = CommandSender(client.backend, outbox, changes.append, backoff_base=0.05)
    sender.start()
    try:
        # Replying before accepting is refused by the server.
        early = sender.submit("message", iid, {"body": "too early"})
        await sender.wait_idle(WAIT)
        failed = outbox.get(early.client_id)
        assert failed is not None and failed.state is OutboxState.FAILED and failed.error
        assert any(c.state is OutboxState.FAILED for c in changes)

        sender.submit("accept", iid, {})
        await sender.wait_idle(WAIT)
        # The server stores its answer under the key, refusals included: a plain
        # retry (same key) gets the same refusal, and still applies nothing.
        same = sender.retry(early.client_id)
        await sender.wait_idle(WAIT)
        again_failed = outbox.get(same.client_id)
        assert again_failed is not None and again_failed.state is OutboxState.FAILED
        assert again_failed.error == failed.error
        with pytest.raises(BackendCommandError):
            await client.backend.send_message(iid, "too early", early.client_id)
        # A reissue (new key; safe, the refusal applied nothing) goes through once.
        again = sender.retry(early.client_id, reissue=True)
        await sender.wait_idle(WAIT)
        assert outbox.get(again.client_id).state is OutboxState.SENT  # type: ignore[union-attr]
        await client.event("message.created", lambda e: e.item.body == "too early")
        assert sender.pending(iid) == []
        ix = await client.backend.get_interaction(iid)
        page = await client.backend.get_timeline(ix.customer_id, limit=500)
        assert [i.body for i in page.items].count("too early") == 1
    finally:
        await sender.stop()
        outbox.close()
