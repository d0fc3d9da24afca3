"""Fault tests on the wire: the event socket dropped again and again while events
flow (customer messages arriving, agent replies going out), and a slow link (a
loopback proxy that holds every answer back) that makes requests time out.

Malformed frames are covered at unit level (tests/unit), not repeated here.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from agentdesk.backends.base import BackendConnectionError, LinkState, new_client_id
from agentdesk.backends.http import RetryPolicy
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import Direction
from agentdesk.store.outbox import Outbox, OutboxState
from agentdesk.store.sender import CommandSender
from agentdesk.testing.mockserver import ServerHandle

from .conftest import WAIT, Client, Connect, for_ix, kind_of

DROPS = 5
FLOW = 40  # customer messages while the socket keeps dropping


async def _open_chat(client: Client, sim: SimControl) -> str:
    iid = await sim.new_contact("chat", text="hello")
    await client.event("interaction.offered", for_ix(iid))
    await client.backend.accept(iid, new_client_id())
    return iid


async def _until(predicate, what: str) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


async def _timeline(client: Client, iid: str) -> list:  # type: ignore[type-arg]
    ix = await client.backend.get_interaction(iid)
    page = await client.backend.get_timeline(ix.customer_id, limit=500)
    items = [i for i in page.items if i.interaction_id == iid]
    return sorted(items, key=lambda i: (i.at, i.id))


def _created(client: Client, iid: str) -> list:  # type: ignore[type-arg]
    return [e.item for e in client.events()
            if kind_of(e) == "message.created" and e.item.interaction_id == iid]


async def test_socket_dropped_repeatedly_while_events_flow(
        connect: Connect, sim: SimControl, tmp_path: Path) -> None:
    client = await connect("agent1")
    iid = await _open_chat(client, sim)
    stream = client.backend._stream
    outbox = Outbox(tmp_path / "agentdesk.db")
    sender = CommandSender(client.backend, outbox, backoff_base=0.05, backoff_cap=0.3)
    sender.start()
    inbound = [f"flow {n}" for n in range(FLOW)]
    replies: list[str] = []

    async def flow() -> None:
        for n, text in enumerate(inbound):
            await sim.customer_message(iid, text)
            if n % 4 == 0:
                replies.append(f"reply {n}")
                sender.submit("message", iid, {"body": replies[-1]})
            await asyncio.sleep(0.01)

    async def dropper() -> int:
        dropped = 0
        last = None
        for _ in range(DROPS):
            await _until(lambda last=last: stream._ws is not None and stream._ws is not last,
                         "the socket to come back")
            await asyncio.sleep(0.05)  # let some events through on this socket
            last = stream._ws
            if last is not None:
                last.transport.abort()  # no close frame: the TCP connection just dies
                dropped += 1
        return dropped

    try:
        dropped, _ = await asyncio.gather(dropper(), flow())
        await sender.wait_idle(WAIT)
        await sim.customer_message(iid, "marker")
        await client.event("message.created", lambda e: e.item.body == "marker")
        await _until(lambda: {i.body for i in _created(client, iid)} >= set(replies),
                     "the echo of every reply")

        # Client: every event once, in seq order; the customer's words in order.
        seqs = client.seqs
        assert seqs == sorted(set(seqs))
        created = _created(client, iid)
        assert max(Counter(i.id for i in created).values()) == 1
        assert [i.body for i in created if i.direction is Direction.INBOUND] == inbound + ["marker"]
        assert [i.body for i in created if i.direction is Direction.OUTBOUND] == replies
        # Server: every reply once, in order.
        server_side = await _timeline(client, iid)
        assert [i.body for i in server_side if i.direction is Direction.OUTBOUND] == replies
        assert all(outbox.get(i.client_id).state is OutboxState.SENT  # type: ignore[union-attr]
                   for i in server_side if i.direction is Direction.OUTBOUND)
        diag = client.backend.diagnostics
        assert dropped == DROPS and diag.reconnects >= DROPS
        assert diag.out_of_order == 0 and diag.resyncs == 0 and diag.malformed == 0
    finally:
        await sender.stop()
        outbox.close()


class SlowProxy:
    """A loopback TCP proxy that holds every chunk from the server back by `delay`
    seconds (requests go through at once: the server acts, the answer is late)."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.delay = 0.0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            writer.close()
            return
        tasks = [asyncio.create_task(self._pipe(reader, up_writer, slow=False)),
                 asyncio.create_task(self._pipe(up_reader, writer, slow=True))]
        self._tasks.update(tasks)
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.difference_update(tasks)
        for w in (writer, up_writer):
            w.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                    slow: bool) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while chunk := await reader.read(65536):
                if slow and self.delay:
                    await asyncio.sleep(self.delay)
                writer.write(chunk)
                await writer.drain()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


@pytest.fixture
async def slow_proxy(server: ServerHandle):  # type: ignore[no-untyped-def]
    proxy = SlowProxy(server.url)
    proxy.url = await proxy.start()  # type: ignore[attr-defined]
    yield proxy
    await proxy.close()


async def test_slow_answers_time_out_cleanly_and_commands_apply_once(
        connect: Connect, sim: SimControl, slow_proxy: SlowProxy, tmp_path: Path) -> None:
    client = await connect("agent1", url=slow_proxy.url, timeout=0.5,  # type: ignore[attr-defined]
                           retry=RetryPolicy(attempts=2, base_delay=0.02, max_delay=0.05))
    probe = await connect("supervisor")  # straight to the server: the truth
    iid = await _open_chat(client, sim)
    outbox = Outbox(tmp_path / "agentdesk.db")
    sender = CommandSender(client.backend, outbox, backoff_base=0.05, backoff_cap=0.2)
    sender.start()
    try:
        slow_proxy.delay = 1.5  # every answer comes three timeouts late
        with pytest.raises(BackendConnectionError) as late:
            await client.backend.get_interaction(iid)
        assert "no answer within" in str(late.value)  # one clean error, no raw httpx
        # Commands sent now reach the server, but their answers never arrive in time.
        items = [sender.submit("message", iid, {"body": f"slow {n}"}) for n in range(2)]
        await _until(lambda: "no answer" in sender.last_error, "a timed-out send")
        # Requeued in the same step as the error was noted (sender._settle).
        await _until(lambda: any(outbox.get(i.client_id).state is OutboxState.QUEUED
                                 for i in items), "the timed-out send requeued")
        states = [outbox.get(i.client_id).state for i in items]  # type: ignore[union-attr]
        assert OutboxState.FAILED not in states  # a timeout is transient: kept, retried
        assert OutboxState.QUEUED in states or OutboxState.SENDING in states

        slow_proxy.delay = 0.0  # the link recovers
        sender.resume()
        await sender.wait_idle(WAIT)
        assert all(outbox.get(i.client_id).state is OutboxState.SENT  # type: ignore[union-attr]
                   for i in items)
        ix = await client.backend.get_interaction(iid)  # requests work again
        assert ix.id == iid
        # Applied once each, however many times they went out, and in order.
        truth = await _timeline(probe, iid)
        assert [i.body for i in truth if i.body.startswith("slow ")] == ["slow 0", "slow 1"]
        # The event stream held on (late frames are not lost frames) and saw each once.
        await sim.customer_message(iid, "still there?")
        await client.event("message.created", lambda e: e.item.body == "still there?")
        created = _created(client, iid)
        assert [i.body for i in created if i.body.startswith("slow ")] == ["slow 0", "slow 1"]
        seqs = client.seqs
        assert seqs == sorted(set(seqs))
        assert client.backend.diagnostics.out_of_order == 0
        assert any(s.state is LinkState.CONNECTED for s in client.log
                   if hasattr(s, "state"))
    finally:
        await sender.stop()
        outbox.close()
