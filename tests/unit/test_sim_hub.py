"""The event hub: per-recipient seq, replay, resync, slow consumers, frame text."""

from __future__ import annotations

import json

from agentdesk.mockserver.hub import EventHub, frame
from agentdesk.mockserver.sim.engine import Emitted
from agentdesk.protocol.events import TypingData, encode_event


def _hub(limit: int = 5, queue: int = 100) -> EventHub:
    hub = EventHub(replay_limit=limit, socket_queue_limit=queue)
    for user, sup in (("agent1", False), ("agent2", False), ("supervisor", True)):
        hub.add_recipient(user, sup)
    return hub


def _typing(agent: str, n: int = 0, everyone: bool = False) -> Emitted:
    data = TypingData(interaction_id=f"in-{n}", typing=True)
    return Emitted("customer.typing", 1.5, json.dumps(data.model_dump(mode="json"),
                                                      separators=(",", ":")), (agent,), everyone)


def test_frame_text_is_exactly_encode_event():
    data = TypingData(interaction_id="in-1", typing=True)
    text = frame(7, "customer.typing", 1772442000.25,
                 json.dumps(data.model_dump(mode="json"), separators=(",", ":")))
    assert text == encode_event(7, "customer.typing", 1772442000.25, data)


def test_recipients_and_per_recipient_seq():
    hub = _hub()
    hub.publish([_typing("agent1", 1), _typing("agent2", 2), _typing("agent1", 3)])
    r = hub.recipients
    assert [e.seq for e in r["agent1"].buffer] == [1, 2]
    assert [e.seq for e in r["agent2"].buffer] == [1]
    assert [e.seq for e in r["supervisor"].buffer] == [1, 2, 3]  # supervisors get everything
    hub.publish([_typing("", 4, everyone=True)])
    assert r["agent2"].last_seq == 2 and r["supervisor"].last_seq == 4


async def test_replay_after_since_and_resync_rules():
    hub = _hub(limit=3)
    hub.publish([_typing("agent1", n) for n in range(5)])  # seqs 1..5, buffer 3..5
    hub.release()
    sub = hub.subscribe("agent1", since=3, at=0.0)
    assert [json.loads(sub.queue.get_nowait())["seq"] for _ in range(2)] == [4, 5]
    old = hub.subscribe("agent1", since=1, at=0.0)  # 2 was evicted: resync
    resync = json.loads(old.queue.get_nowait())
    assert resync["type"] == "resync" and resync["seq"] == 6
    future = hub.subscribe("agent1", since=50, at=0.0)
    assert json.loads(future.queue.get_nowait())["seq"] == 51  # never below since
    live = hub.subscribe("agent1", since=None, at=0.0)
    assert live.queue.empty()
    hub.publish([_typing("agent1", 9)])
    assert live.queue.empty()  # numbered and buffered, but not delivered before release
    hub.release()
    assert json.loads(live.queue.get_nowait())["seq"] == 52


async def test_replay_is_contiguous_including_stats_snapshots():
    hub = _hub(limit=10)
    stats = Emitted("stats.updated", 1.0, '{"stats":{"at":1.0}}', (), True)
    hub.publish([stats, _typing("agent1", 1), stats, _typing("agent1", 2), stats])
    hub.release()
    sup = hub.subscribe("supervisor", since=0, at=0.0)
    frames = [json.loads(sup.queue.get_nowait()) for _ in range(sup.queue.qsize())]
    assert [f["seq"] for f in frames] == [1, 2, 3, 4, 5]
    # agents get at most one stats frame a second; skipped ones never take a seq
    sub = hub.subscribe("agent1", since=0, at=0.0)
    frames = [json.loads(sub.queue.get_nowait()) for _ in range(sub.queue.qsize())]
    assert [(f["seq"], f["type"]) for f in frames] == [
        (1, "stats.updated"), (2, "customer.typing"), (3, "customer.typing")]


async def test_slow_consumer_overflows_instead_of_growing():
    hub = _hub(queue=3)
    sub = hub.subscribe("agent1", since=None, at=0.0)
    hub.publish([_typing("agent1", n) for n in range(10)])
    hub.release()
    assert sub.overflowed
    items = [sub.queue.get_nowait() for _ in range(sub.queue.qsize())]
    # the allowance (3, +1 kept for a possible resync frame), then the close marker
    assert items[-1] is None and len(items) == 5
    assert [json.loads(t)["seq"] for t in items[:-1]] == [1, 2, 3, 4]
