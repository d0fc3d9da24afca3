"""The event stream against a tiny scripted WebSocket server: decoding,
malformed frames, duplicates, gaps, resync, heartbeats, reconnects, close(),
and what leaves the adapter: domain events only (no seq, no wire types)."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request as WsRequest

from agentdesk.backends.base import (
    Diagnostics,
    LinkState,
    LinkStatus,
    ProtocolProblem,
    StreamItem,
)
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.stream import EventStream, StreamPolicy
from agentdesk.domain.events import (
    AgentChanged,
    CallChanged,
    CustomerTyping,
    InteractionChange,
    InteractionChanged,
    ItemAdded,
    KbChanged,
    ServerTime,
    SnapshotNeeded,
    StatsChanged,
)
from agentdesk.protocol.events import MAX_FRAME_BYTES
from tests.asgi_exchange import AsgiExchange

FAST = StreamPolicy(ping_interval=0.2, dead_after=5.0, backoff_base=0.01, backoff_cap=0.05,
                    open_timeout=2.0, close_timeout=0.5)
WAIT = 5.0  # generous upper bound for anything to arrive; never a speed assertion


class Conn:
    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        url = urlsplit(ws.request.path)
        self.path = url.path
        self.query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.auth = ws.request.headers.get("Authorization")
        self.received: list[Any] = []
        self.closed = asyncio.Event()

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.ws.send(frame if isinstance(frame, str) else json.dumps(frame))


class ScriptedServer:
    """Accepts stream connections and lets the test drive each one."""

    def __init__(self) -> None:
        self.conns: asyncio.Queue[Conn] = asyncio.Queue()
        self.all: list[Conn] = []
        self.refuse_with: HTTPStatus | None = None
        self.attempts = 0  # handshakes seen, refused or not
        self.server: Server | None = None

    async def _handler(self, ws: ServerConnection) -> None:
        conn = Conn(ws)
        self.all.append(conn)
        await self.conns.put(conn)
        try:
            async for raw in ws:
                conn.received.append(json.loads(raw))
        except Exception:
            pass
        finally:
            conn.closed.set()

    def _process_request(self, connection: ServerConnection, request: WsRequest) -> Any:
        self.attempts += 1
        if self.refuse_with is not None:
            return connection.respond(self.refuse_with, "no\n")
        return None

    async def __aenter__(self) -> ScriptedServer:
        self.server = await serve(self._handler, "127.0.0.1", 0,
                                  process_request=self._process_request)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = next(iter(self.server.sockets)).getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def connection(self) -> Conn:
        return await asyncio.wait_for(self.conns.get(), WAIT)


def ev(seq: int, kind: str = "customer.typing", at: float = 100.0, **data: Any) -> dict[str, Any]:
    return {"seq": seq, "type": kind, "at": at,
            "data": data or {"interaction_id": f"i{seq}", "typing": True}}


def seq_of(event: CustomerTyping) -> int:
    """Which frame of `ev(seq)` a domain event came from (its interaction id says)."""
    return int(event.interaction_id[1:])


class Reader:
    """Consumes backend.events() in a task, so the test can await items."""

    def __init__(self, backend: NativeBackend) -> None:
        self.backend = backend
        self.items: asyncio.Queue[StreamItem] = asyncio.Queue()
        self.done = asyncio.Event()
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        try:
            async for item in self.backend.events():
                await self.items.put(item)
        finally:
            self.done.set()

    async def next(self, *kinds: type) -> Any:
        """The next item of one of `kinds`, skipping others."""
        while True:
            item = await asyncio.wait_for(self.items.get(), WAIT)
            if not kinds or isinstance(item, kinds):
                return item

    async def events(self, n: int) -> list[Any]:
        return [await self.next(CustomerTyping, ItemAdded) for _ in range(n)]

    async def link(self, state: LinkState) -> LinkStatus:
        while True:
            item = await self.next(LinkStatus)
            if item.state is state:
                return item


@pytest.fixture
async def server() -> AsyncIterator[ScriptedServer]:
    async with ScriptedServer() as s:
        yield s


@pytest.fixture
async def backend(server: ScriptedServer) -> AsyncIterator[NativeBackend]:
    b = NativeBackend(server.url, token="tok en/1", timeout=2.0, stream_policy=FAST)
    yield b
    await b.close()


async def test_events_in_order_with_token_and_link_states(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    assert (await reader.next()).state is LinkState.CONNECTING
    conn = await server.connection()
    assert (await reader.next()).state is LinkState.CONNECTED
    assert conn.path == "/v1/events"
    assert conn.query == {"token": "tok en/1"}  # first connection: no since
    assert conn.auth == "Bearer tok en/1"
    for seq in (1, 2, 3):
        await conn.send(ev(seq))
    got = await reader.events(3)
    assert [seq_of(e) for e in got] == [1, 2, 3]
    assert got[0] == CustomerTyping("i1", True, 100.0)
    assert backend.last_seq == 3 and backend.diagnostics.last_seq == 3


async def test_joins_mid_stream_without_complaint(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    conn = await server.connection()
    await conn.send(ev(41))
    await conn.send(ev(42))
    assert [seq_of(e) for e in await reader.events(2)] == [41, 42]
    assert backend.diagnostics.out_of_order == 0 and backend.diagnostics.resyncs == 0


async def test_malformed_frames_are_survived_counted_and_logged(
    server: ScriptedServer, backend: NativeBackend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="agentdesk.backend")
    hostile = "hi\x1b[2J\x1b]8;;http://evil\x07click\x1b]8;;\x07\u202eevil\x00\x9b1m[b]"
    reader = Reader(backend)
    conn = await server.connection()
    bad_frames: list[str | dict[str, Any]] = [
        "{not json",  # bad JSON
        "[1, 2, 3]",  # not an object
        {"seq": 1, "type": "interaction.exploded", "at": 1.0, "data": {}},  # unknown type
        {"seq": 2, "type": "customer.typing", "data": {"interaction_id": "i", "typing": True}},  # no at
        {"type": "customer.typing", "at": 1.0, "data": {}},  # no seq
        {"seq": 3, "type": "customer.typing", "at": 1.0, "data": {"typing": True}},  # missing field
        {"seq": 4, "type": "customer.typing", "at": "soon", "data": {}},  # wrong type: at
        {"seq": "5", "type": "customer.typing", "at": 1.0, "data": {}},  # wrong type: seq
        {"seq": 5, "type": "message.created", "at": 1.0, "data": {"item": {"id": 7}}},  # wrong types
        {"seq": 6, "type": 12, "at": 1.0, "data": {}},  # type not a string
    ]
    for frame in bad_frames:
        await conn.send(frame)
    item = {
        "id": "m1", "customer_id": "c1", "interaction_id": "i1", "channel": "chat",
        "kind": "message", "direction": "inbound", "author": hostile, "body": hostile, "at": 2.0,
    }
    await conn.send({"seq": 7, "type": "message.created", "at": 2.0, "data": {"item": item}})

    problems = [await reader.next(ProtocolProblem) for _ in bad_frames]
    assert all(isinstance(p.detail, str) and p.detail for p in problems)
    [good] = await reader.events(1)
    assert isinstance(good, ItemAdded) and good.item.id == "m1"
    for text in (good.item.body, good.item.author):
        assert "\x1b" not in text and "\x07" not in text and "\x00" not in text
        assert "\u202e" not in text and "\x9b" not in text
        assert text.startswith("hi") and text.endswith("[b]")
    diag = backend.diagnostics
    assert diag.unknown_type == 1 and diag.malformed == len(bad_frames) - 1
    assert diag.frames == len(bad_frames) + 1
    assert "unknown event type" in caplog.text
    # Bad frames with a readable seq were skipped, not mistaken for a gap later.
    assert diag.out_of_order == 0 and backend.last_seq == 7
    # Still connected: nothing made the stream drop.
    assert len(server.all) == 1


async def test_duplicates_dropped_and_counted(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    conn = await server.connection()
    for seq in (1, 2, 2, 1, 3):
        await conn.send(ev(seq))
    assert [seq_of(e) for e in await reader.events(3)] == [1, 2, 3]
    assert backend.diagnostics.duplicates == 2


async def test_gap_without_resync_asks_for_a_reload(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    conn = await server.connection()
    await conn.send(ev(1))
    await conn.send(ev(5))
    assert seq_of(await reader.next(CustomerTyping)) == 1
    assert isinstance(await reader.next(SnapshotNeeded, CustomerTyping), SnapshotNeeded)
    assert seq_of(await reader.next(CustomerTyping)) == 5
    assert backend.diagnostics.out_of_order == 1
    assert "missing" in backend.diagnostics.last_problem


async def test_server_resync_then_continues_from_its_seq(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    conn = await server.connection()
    await conn.send(ev(1))
    await conn.send({"seq": 50, "type": "resync", "at": 1.0, "data": {}})
    await conn.send(ev(51))
    assert seq_of(await reader.next(CustomerTyping)) == 1
    assert isinstance(await reader.next(SnapshotNeeded, CustomerTyping), SnapshotNeeded)
    assert seq_of(await reader.next(CustomerTyping)) == 51
    assert backend.diagnostics.resyncs == 1 and backend.diagnostics.out_of_order == 0


async def test_resumes_after_slow_consumer_close(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    first = await server.connection()
    await first.send(ev(1))
    await first.send(ev(2))
    assert [seq_of(e) for e in await reader.events(2)] == [1, 2]
    await first.ws.close(4008, "slow consumer")
    await reader.link(LinkState.RECONNECTING)
    second = await server.connection()
    assert second.query["since"] == "2"
    await reader.link(LinkState.CONNECTED)
    await second.send(ev(2))  # a replay overlapping what we had
    await second.send(ev(3))
    assert seq_of(await reader.next(CustomerTyping)) == 3
    assert backend.diagnostics.reconnects == 1 and backend.diagnostics.duplicates == 1


async def test_socket_dropped_mid_stream_resumes_from_last_seq(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    first = await server.connection()
    await first.send(ev(1))
    assert seq_of(await reader.next(CustomerTyping)) == 1
    first.ws.transport.abort()  # no close frame at all
    second = await server.connection()
    assert second.query["since"] == "1"
    await second.send(ev(2))
    assert seq_of(await reader.next(CustomerTyping)) == 2


async def test_pings_and_dead_link_detection(server: ScriptedServer) -> None:
    policy = StreamPolicy(ping_interval=0.05, dead_after=0.3, backoff_base=0.01, backoff_cap=0.02)
    backend = NativeBackend(server.url, token="t", stream_policy=policy)
    reader = Reader(backend)
    try:
        first = await server.connection()
        # The server answers nothing at all: pings go out, then the link is declared dead.
        lost = await reader.link(LinkState.RECONNECTING)
        assert "no frame" in lost.detail
        assert {"type": "ping"} in first.received
        await server.connection()  # and it reconnected by itself
    finally:
        await backend.close()


async def test_heartbeats_keep_link_alive_and_teach_server_time(server: ScriptedServer) -> None:
    policy = StreamPolicy(ping_interval=0.05, dead_after=0.5, backoff_base=0.01, backoff_cap=0.02)
    backend = NativeBackend(server.url, token="t", stream_policy=policy)
    reader = Reader(backend)
    try:
        conn = await server.connection()
        sim_now = 1772442000.0
        await conn.send({"type": "hello", "data": {"at": sim_now, "last_seq": 0}})
        await conn.send(ev(1, at=sim_now - 500))  # an old, replayed event must not pull time back
        await reader.next(CustomerTyping)
        assert abs(backend.server_time_offset - (sim_now - time.time())) < 60
        assert abs(backend.server_now() - sim_now) < 60
        for _ in range(8):  # keep feeding heartbeats for longer than dead_after
            await conn.send({"type": "heartbeat", "at": sim_now})
            await asyncio.sleep(0.1)
        await conn.send(ev(2))
        assert seq_of(await reader.next(CustomerTyping)) == 2
        assert len(server.all) == 1  # never reconnected
    finally:
        await backend.close()


async def test_refused_token_keeps_trying_and_says_why(server: ScriptedServer, backend: NativeBackend) -> None:
    server.refuse_with = HTTPStatus.UNAUTHORIZED
    reader = Reader(backend)
    status = await reader.link(LinkState.RECONNECTING)
    assert "not authorised" in status.detail and backend.link_auth_failed
    server.refuse_with = None  # e.g. after the user signed in again
    await server.connection()
    await reader.link(LinkState.CONNECTED)
    assert not backend.link_auth_failed


async def test_close_ends_the_iterator_promptly_while_connected(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    await server.connection()
    await reader.link(LinkState.CONNECTED)
    await backend.close()
    await asyncio.wait_for(reader.done.wait(), WAIT)
    assert (await reader.link(LinkState.CLOSED)).state is LinkState.CLOSED


async def test_close_ends_the_iterator_while_server_is_down() -> None:
    policy = StreamPolicy(backoff_base=30.0, backoff_cap=60.0, open_timeout=1.0)
    backend = NativeBackend("http://127.0.0.1:9", token="t", stream_policy=policy)
    reader = Reader(backend)
    await reader.link(LinkState.RECONNECTING)  # now sleeping in a long backoff
    await backend.close()
    await asyncio.wait_for(reader.done.wait(), WAIT)


async def test_backoff_is_bounded_and_jittered() -> None:
    policy = StreamPolicy(backoff_base=0.5, backoff_cap=10.0)
    delays = [policy.backoff(a) for a in range(1, 30)]
    assert all(0 <= d <= 10.0 for d in delays)
    assert len(set(delays)) > 1


async def test_a_second_consumer_takes_over_and_the_first_ends(server: ScriptedServer, backend: NativeBackend) -> None:
    old = Reader(backend)
    first = await server.connection()
    await first.send(ev(1))
    assert seq_of(await old.next(CustomerTyping)) == 1
    new = Reader(backend)  # e.g. a restarted UI worker
    await asyncio.wait_for(old.done.wait(), WAIT)
    second = await server.connection()
    assert second.query["since"] == "1"
    await second.send(ev(2))
    assert seq_of(await new.next(CustomerTyping)) == 2
    await asyncio.wait_for(first.closed.wait(), WAIT)


class MinuteBackoff(StreamPolicy):
    def backoff(self, attempt: int) -> float:
        return 60.0


async def test_signing_in_again_retries_a_refused_stream_at_once(server: ScriptedServer) -> None:
    me = {"user": {"id": "agent1", "name": "A", "role": "agent"}}
    app = Starlette(routes=[Route("/v1/me", lambda r: JSONResponse(me))])
    policy = MinuteBackoff(open_timeout=2.0)
    backend = NativeBackend(server.url, token="old", stream_policy=policy,
                            transport=AsgiExchange(app))
    server.refuse_with = HTTPStatus.UNAUTHORIZED
    reader = Reader(backend)
    try:
        await reader.link(LinkState.RECONNECTING)  # now in a backoff of up to a minute
        server.refuse_with = None
        await backend.use_token("new")
        conn = await server.connection()  # long before the backoff would have ended
        assert conn.query["token"] == "new"
    finally:
        await backend.close()


async def test_a_refused_first_connect_waits_out_its_backoff(server: ScriptedServer) -> None:
    """The first pause after a refusal is a real pause: the wake-up that ends an
    older consumer's pause when a new one takes over must not cut it short (it
    did: one immediate retry with the refused token)."""
    backend = NativeBackend(server.url, token="old", stream_policy=MinuteBackoff(open_timeout=2.0))
    server.refuse_with = HTTPStatus.UNAUTHORIZED
    reader = Reader(backend)
    try:
        await reader.link(LinkState.RECONNECTING)
        await asyncio.sleep(0.3)  # an immediate retry would land within milliseconds
        assert server.attempts == 1
    finally:
        await backend.close()


async def test_the_token_never_reaches_the_logs(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, every logger
    backend = NativeBackend(server.url, token="s3cret-token", stream_policy=FAST)
    reader = Reader(backend)
    try:
        conn = await server.connection()
        await reader.link(LinkState.CONNECTED)
        await conn.ws.close(4008)
        await server.connection()
        await reader.link(LinkState.CONNECTED)
    finally:
        await backend.close()
    # (The scripted *server* logs its request line: that one is not ours to judge.)
    client_side = [r for r in caplog.records if not r.name.startswith("websockets.server")]
    assert client_side and not any("s3cret-token" in r.getMessage() for r in client_side)
    assert "s3cret-token" not in repr(backend)


async def test_an_oversized_frame_rejoins_live_and_asks_for_a_reload(
    server: ScriptedServer, backend: NativeBackend
) -> None:
    reader = Reader(backend)
    first = await server.connection()
    await first.send(ev(1))
    assert seq_of(await reader.next(CustomerTyping)) == 1
    huge = ev(2, "message.created")
    huge["data"] = {"blob": "x" * (MAX_FRAME_BYTES + 4096)}
    await first.send(huge)
    second = await server.connection()
    assert "since" not in second.query  # not replaying the frame we cannot take
    assert isinstance(await reader.next(SnapshotNeeded), SnapshotNeeded)
    await second.send(ev(3))
    assert seq_of(await reader.next(CustomerTyping)) == 3
    diag = backend.diagnostics
    assert diag.malformed == 1 and diag.out_of_order == 0 and diag.resyncs == 1


# -- what leaves the adapter: domain events ---------------------------------------------

_IX = {"id": "x1", "channel": "chat", "customer_id": "c1", "customer_name": "Ann",
       "queue_id": "q1", "state": "active", "agent_id": "agent1", "created_at": 1.0}
_ITEM = {"id": "m1", "customer_id": "c1", "interaction_id": "x1", "channel": "chat",
         "kind": "message", "direction": "inbound", "author": "Ann", "body": "hi", "at": 2.0}


async def test_every_frame_type_becomes_its_domain_event(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    conn = await server.connection()
    await reader.link(LinkState.CONNECTED)
    frames = [
        ("interaction.offered", {"interaction": {**_IX, "state": "offered"}}),
        ("interaction.missed", {"interaction": {**_IX, "state": "queued"}, "reason": "timeout"}),
        ("interaction.closed", {"interaction": {**_IX, "state": "closed"}}),
        ("message.created", {"item": _ITEM}),
        ("transcript.segment", {"item": {**_ITEM, "id": "t1", "kind": "transcript"}}),
        ("call.updated", {"interaction_id": "x1", "call": {"state": "held"}}),
        ("customer.typing", {"interaction_id": "x1", "typing": False}),
        ("agent.updated", {"agent": {"id": "agent1", "name": "A"}}),
        ("stats.updated", {"stats": {"at": 9.0}}),
        ("kb.updated", {"articles": [], "removed": ["k1"]}),
    ]
    for n, (kind, data) in enumerate(frames, start=1):
        await conn.send({"seq": n, "type": kind, "at": 10.0 + n, "data": data})
    got = [await reader.next(object) for _ in frames]
    offered, missed, closed, msg, seg, call, typing, agent, stats, kb = got
    assert isinstance(offered, InteractionChanged) and offered.change is InteractionChange.OFFERED
    assert offered.interaction.id == "x1" and offered.at == 11.0 and offered.reason is None
    assert missed.change is InteractionChange.MISSED and missed.reason == "timeout"
    assert closed.change is InteractionChange.CLOSED
    assert isinstance(msg, ItemAdded) and msg.item.body == "hi"
    assert isinstance(seg, ItemAdded) and seg.item.kind.value == "transcript"
    assert isinstance(call, CallChanged) and call.call.state.value == "held"
    assert typing == CustomerTyping("x1", False, 17.0)
    assert isinstance(agent, AgentChanged) and agent.agent.id == "agent1"
    assert isinstance(stats, StatsChanged) and stats.stats.at == 9.0
    assert isinstance(kb, KbChanged) and kb.removed == ["k1"]
    # No wire detail crosses the boundary.
    for event in got:
        assert not hasattr(event, "seq") and not hasattr(event, "type") and not hasattr(event, "data")


async def test_heartbeat_becomes_server_time_and_hello_nothing(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    conn = await server.connection()
    await reader.link(LinkState.CONNECTED)
    await conn.send({"type": "hello", "data": {"at": 5.0, "last_seq": 0}})
    await conn.send({"type": "heartbeat", "at": 6.0})
    await conn.send(ev(1))
    assert await reader.next() == ServerTime(6.0)  # the hello yielded nothing
    assert seq_of(await reader.next()) == 1


async def test_a_replay_overlap_yields_each_domain_event_once(server: ScriptedServer, backend: NativeBackend) -> None:
    reader = Reader(backend)
    first = await server.connection()
    for seq in (1, 2):
        await first.send(ev(seq))
    assert [seq_of(e) for e in await reader.events(2)] == [1, 2]
    await reader.backend.reconnect()
    second = await server.connection()
    assert second.query["since"] == "2"
    for seq in (1, 2, 3):  # a server replaying too much
        await second.send(ev(seq))
    await second.send({"seq": 4, "type": "resync", "at": 1.0, "data": {}})
    assert seq_of(await reader.next(CustomerTyping)) == 3
    assert isinstance(await reader.next(SnapshotNeeded, CustomerTyping), SnapshotNeeded)
    assert backend.diagnostics.duplicates == 2


async def test_stopping_the_stream_mid_connect_leaves_no_attempt_running() -> None:
    """The consumer goes away (the app quits) while a connect waits on a server that
    accepted the socket but never answers: the attempt is cancelled with it, not
    left to time out later and be reported as an exception never retrieved."""
    sockets: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sockets.append(writer)  # keep it open, say nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    policy = StreamPolicy(ping_interval=1.0, dead_after=5.0, backoff_base=0.01, backoff_cap=0.05,
                          open_timeout=0.3, close_timeout=0.2)
    stream = EventStream(f"http://127.0.0.1:{port}", lambda: "tok", Diagnostics(), policy)
    try:
        items = stream.run()
        assert isinstance(await anext(items), LinkStatus)  # connecting
        pending = asyncio.ensure_future(anext(items))  # now inside the connect
        await asyncio.wait_for(_until(lambda: bool(sockets)), WAIT)
        pending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await pending
        await items.aclose()
        await asyncio.sleep(policy.open_timeout * 2)  # past the attempt's own timeout
        gc.collect()
        await asyncio.sleep(0)
        assert not [c for c in reported if "never retrieved" in str(c.get("message", ""))]
    finally:
        loop.set_exception_handler(previous)
        for writer in sockets:
            writer.close()
        server.close()
        await server.wait_closed()


async def _until(predicate: Any) -> None:
    while not predicate():
        await asyncio.sleep(0.01)
