"""The event stream: recipients, seq, since-replay, resync, heartbeats, slow consumers."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from agentdesk.protocol.events import ControlFrame, Event, decode_frame
from agentdesk.testing.mockserver import DemoClient, read_frames, running_server


def _events(frames: list[dict]) -> list[dict]:
    return [f for f in frames if "seq" in f]


@pytest.fixture
def server():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


async def test_recipients_seq_and_shapes(server):
    a1, a2 = DemoClient(server.url, "agent1"), DemoClient(server.url, "agent2")
    sup = DemoClient(server.url, "supervisor")
    async with websockets.connect(a1.events_url()) as w1, \
            websockets.connect(a2.events_url()) as w2, \
            websockets.connect(sup.events_url()) as ws:
        a1.available()
        iid = a1.contact("chat", text="hi")
        a1.act(iid, "accept")
        reply = a1.act(iid, "messages", {"body": "hello", "client_id": "c-42"}).json()["item"]
        f1 = await read_frames(w1, until=lambda fs: any(
            f.get("type") == "message.created" and f["data"]["item"]["id"] == reply["id"]
            for f in fs))
        f2 = await read_frames(w2, quiet=0.3)
        fs = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "message.created" and f["data"]["item"]["id"] == reply["id"]
            for f in fs))
    for frames in (f1, fs):
        seqs = [f["seq"] for f in _events(frames)]
        assert seqs == sorted(set(seqs))  # strictly increasing
        for f in frames:  # every frame decodes with the client's own decoder
            assert isinstance(decode_frame(json.dumps(f)), (Event, ControlFrame))
    assert frames[0]["type"] == "hello"
    types1 = [f["type"] for f in _events(f1)]
    assert "interaction.offered" in types1 and "interaction.accepted" in types1
    own = [f for f in _events(f1) if f["type"] == "message.created"
           and f["data"]["item"]["id"] == reply["id"]]
    assert own[0]["data"]["item"]["client_id"] == "c-42"
    # agent2 sees nothing of agent1's interaction
    assert not [f for f in _events(f2) if f["type"].startswith(("interaction.", "message."))]
    # the supervisor sees agent1's events and the customer message while queued
    sup_types = [f["type"] for f in _events(fs)]
    assert "interaction.offered" in sup_types and "agent.updated" in sup_types


async def test_since_replay_then_live_and_resync(server):
    a1 = DemoClient(server.url, "agent1")
    async with websockets.connect(a1.events_url(since=0)) as ws:
        a1.available()
        a1.contact("chat")
        first = _events(await read_frames(ws, quiet=0.3))
    assert first and first[0]["seq"] == 1
    middle = first[len(first) // 2]["seq"]
    last = first[-1]["seq"]
    async with websockets.connect(a1.events_url(since=middle)) as ws:
        replay = _events(await read_frames(ws, quiet=0.3))
        expected = [f["seq"] for f in first if f["seq"] > middle]
        # then whatever happened since (our own reconnect updates agent1's "connected")
        assert [f["seq"] for f in replay][:len(expected)] == expected
        assert [f["seq"] for f in replay] == list(range(middle + 1, middle + 1 + len(replay)))
        last = replay[-1]["seq"]
        a1.contact("sms")  # live events continue the same numbering
        live = _events(await read_frames(ws, until=lambda fs: any(
            f.get("type") == "interaction.offered" for f in fs)))
        assert live[0]["seq"] > last
    # a since from the future (e.g. another server) cannot be trusted: resync, above since
    async with websockets.connect(a1.events_url(since=10_000)) as ws:
        frames = _events(await read_frames(ws, quiet=0.3))
        assert frames[0]["type"] == "resync" and frames[0]["seq"] > 10_000


async def test_resync_when_since_is_older_than_the_buffer():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True,
                        replay_limit=5) as srv:
        a1 = DemoClient(srv.url, "agent1")
        a1.available()
        for _ in range(4):
            a1.contact("chat")
        async with websockets.connect(a1.events_url(since=1)) as ws:
            frames = _events(await read_frames(ws, quiet=0.3))
        assert frames[0]["type"] == "resync"
        # nothing older is replayed after a resync; only live events follow
        assert all(f["seq"] > frames[0]["seq"] for f in frames[1:])
        assert not [f for f in frames if f["type"] == "interaction.offered"]


async def test_heartbeat_and_ping_pong():
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True,
                        heartbeat_s=0.2) as srv:
        await _heartbeat_and_ping(srv)


async def _heartbeat_and_ping(server):
    a1 = DemoClient(server.url, "agent1")
    async with websockets.connect(a1.events_url()) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        await ws.send("not json at all \x1b[2J")
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "pong" for f in fs) and any(
            f.get("type") == "heartbeat" for f in fs), timeout=5)
    beat = next(f for f in frames if f["type"] == "heartbeat")
    assert "seq" not in beat and beat["at"] == pytest.approx(1772442000.0)


async def test_bad_token_closes_4401(server):
    async with websockets.connect(server.ws_url + "/v1/events?token=nope") as ws:
        with pytest.raises(websockets.ConnectionClosed) as info:
            await asyncio.wait_for(ws.recv(), 5)
    assert info.value.rcvd.code == 4401


async def test_stats_updates_reach_agents_and_supervisors(server):
    sup = DemoClient(server.url, "supervisor")
    async with websockets.connect(sup.events_url()) as ws:
        sup.advance(2)
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "stats.updated" for f in fs), timeout=5)
    stats = next(f for f in frames if f.get("type") == "stats.updated")["data"]["stats"]
    assert {q["queue_id"] for q in stats["queues"]} >= {"support", "email"}


async def test_slow_consumer_is_closed_with_4008_and_can_resume():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True,
                        socket_queue_limit=50) as srv:
        a1 = DemoClient(srv.url, "agent1")
        async with websockets.connect(a1.events_url(since=0), max_queue=1) as ws:
            # more frames than loopback TCP buffers can hold (several MB), so the queue must overflow
            a1.post("/sim/burst", {"count": 150_000, "rate": 20_000, "agents": ["agent1"]})
            code = None
            seqs: list[int] = []
            try:
                while True:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    if "seq" in frame:
                        seqs.append(frame["seq"])
            except websockets.ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
        assert code == 4008
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # no gap before the close
        # resuming from the last seen seq continues without loss (or resyncs)
        async with websockets.connect(a1.events_url(since=seqs[-1])) as ws:
            first = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert first["type"] == "hello"
            nxt = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert nxt["seq"] == seqs[-1] + 1 or nxt["type"] == "resync"


async def test_supervisor_watch_is_audited_and_sees_abandons(server):
    sup = DemoClient(server.url, "supervisor")
    async with websockets.connect(sup.events_url()) as ws:
        iid = sup.contact("chat", text="anyone?")
        sup.post(f"/sim/interactions/{iid}/end")
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "interaction.abandoned" for f in fs))
    gone = next(f for f in frames if f.get("type") == "interaction.abandoned")
    assert gone["data"]["interaction"]["state"] == "abandoned"
    entries = sup.get("/v1/audit").json()["entries"]
    watch = [e for e in entries if e["method"] == "WS"]
    assert watch and sup.token not in watch[-1]["path"]
