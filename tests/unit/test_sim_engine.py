"""The simulation engine without HTTP: determinism, bots, customers, content."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from agentdesk.domain.models import Channel, InteractionState, Presence
from agentdesk.mockserver.sim.clock import SimClock
from agentdesk.mockserver.sim.content import load_dispositions, load_topics
from agentdesk.mockserver.sim.engine import SimOptions, Simulation
from agentdesk.mockserver.sim.errors import Conflict, Invalid, NotFound
from agentdesk.mockserver.sim.scenario import Scenario, load_scenario

DISPOSITIONS = tuple(d.code for d in load_dispositions())


def make(**kw) -> Simulation:
    options = SimOptions(dispositions=DISPOSITIONS, **kw)
    return Simulation(options, Scenario(), SimClock(manual=True))


def run(sim: Simulation, seconds: int, step: float = 1.0) -> list:
    events = []
    for _ in range(int(seconds / step)):
        sim.advance_to(sim.clock.advance(step))
        events.extend(sim.drain())
    return events


def test_customers_and_histories():
    sim = make(agents=2, traffic=False)
    assert len(sim.customers.customers) >= 200
    rich = [cid for cid in sim.customers.ids() if sim.customers.is_rich(cid)]
    assert len(rich) >= 5
    items, contacts = sim.customers.history(rich[0])
    assert len(contacts) >= 24
    assert {c.channel for c in contacts} >= {Channel.VOICE, Channel.EMAIL}
    assert [i.at for i in items] == sorted(i.at for i in items)
    assert all(i.at < sim.now for i in items)
    assert any(i.kind.value == "transcript" for i in items)
    # lazily generated and reproducible
    again = make(agents=2, traffic=False).customers.history(rich[0])
    assert [i.model_dump() for i in again[0]] == [i.model_dump() for i in items]


def test_seeded_run_is_reproducible_across_processes():
    """Same seed, different hash seeds: byte-identical event streams."""
    env = dict(os.environ)
    outs = []
    for hashseed in ("1", "2"):
        env["PYTHONHASHSEED"] = hashseed
        out = subprocess.run([sys.executable, "-c", DIGEST], capture_output=True, text=True,
                             env=env, check=True)
        outs.append(out.stdout.strip())
    assert outs[0] == outs[1] and len(outs[0]) == 64


DIGEST = """
import hashlib
from agentdesk.mockserver.sim.clock import SimClock
from agentdesk.mockserver.sim.content import load_dispositions
from agentdesk.mockserver.sim.engine import Simulation, SimOptions
from agentdesk.mockserver.sim.scenario import Scenario
clock = SimClock(manual=True)
sim = Simulation(SimOptions(seed=11, agents=8, dispositions=tuple(
    d.code for d in load_dispositions())), Scenario(), clock)
h = hashlib.sha256()
for _ in range(900):
    sim.advance_to(clock.advance(2.0))
    for e in sim.drain():
        h.update(f"{e.kind}|{e.at}|{e.data_json}|{e.agents}".encode())
print(h.hexdigest())
"""


def test_bots_keep_the_floor_alive():
    sim = make(seed=5, agents=10)
    events = run(sim, 2 * 3600, step=2.0)
    kinds = Counter(e.kind for e in events)
    assert kinds["interaction.closed"] > 20
    assert kinds["transcript.segment"] > 10
    assert kinds["customer.typing"] > 0
    closed = [ix for ix in sim.interactions.values() if ix.state is InteractionState.CLOSED]
    assert {ix.channel for ix in closed} >= {Channel.CHAT, Channel.VOICE}
    presences = {json.loads(e.data_json)["agent"]["presence"] for e in events
                 if e.kind == "agent.updated"}
    assert presences & {"break", "lunch", "training"}  # bots take breaks
    # the human agent (agent1) was never acted for
    assert all(ix.agent_id != "agent1" for ix in sim.interactions.values())
    stats = sim.stats()
    assert any(q.sl_pct is not None for q in stats.queues)


def test_impatient_customers_abandon_when_nobody_answers():
    sim = make(agents=1, bots=0, traffic=False, autonomy=True)
    ix = sim.new_contact(Channel.VOICE)
    events = run(sim, 250)  # voice patience is 60..240 s
    assert [e.kind for e in events].count("interaction.abandoned") == 1
    assert ix.state is InteractionState.ABANDONED
    support = next(q for q in sim.stats().queues if q.queue_id == ix.queue_id)
    assert support.abandoned == 1 and support.sl_pct == 0.0


def test_customer_types_then_follows_up_after_a_reply():
    sim = make(agents=1, bots=0, traffic=False, autonomy=True)
    sim.set_presence("agent1", Presence.AVAILABLE, None)
    topic = next(t for t in sim.topics.values() if t.followups)
    ix = sim.new_contact(Channel.CHAT, topic=topic.slug)
    sim.accept("agent1", ix.id)
    sim.post_message("agent1", ix.id, "reply", "hello", None, [], "k1")
    sim.drain()
    events = run(sim, 40)
    kinds = [e.kind for e in events if e.kind in ("customer.typing", "message.created")]
    assert kinds.index("customer.typing") < kinds.index("message.created")
    assert ix.unread == 1 and ix.reply_due_at is not None


def test_refused_commands_change_nothing():
    sim = make(agents=2, bots=0, traffic=False)
    sim.set_presence("agent1", Presence.AVAILABLE, None)
    ix = sim.new_contact(Channel.CHAT)
    sim.drain()
    before = ix.model_dump()
    with pytest.raises(Conflict):
        sim.accept("agent2", ix.id)
    with pytest.raises(Conflict):
        sim.call_action("agent1", ix.id, "hold", None)
    with pytest.raises(Invalid):
        sim.wrapup("agent1", ix.id, "bogus", None)
    with pytest.raises(NotFound):
        sim.accept("agent1", "in-9999")
    assert ix.model_dump() == before and sim.drain() == []


def test_topics_fall_back_to_builtins(tmp_path):
    broken = tmp_path / "topics.json"
    broken.write_text("{not json")
    topics = load_topics(broken)
    assert len(topics) >= 3 and all(t.openers for t in topics.values())
    assert load_topics(tmp_path / "missing.json").keys() == topics.keys()
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"wifi": {"skill": "tech", "openers": ["wifi down"],
                                         "followups": [], "subjects": [], "call_lines": [],
                                         "agent_lines": []}}))
    wifi = load_topics(good)["wifi"]
    assert wifi.subjects and wifi.call_lines == ("wifi down",)


def test_example_scenario_loads_with_the_defaults():
    path = Path(__file__).parents[2] / "agentdesk/mockserver/data/scenario.example.toml"
    sc = load_scenario(path)
    assert sc.arrivals_per_h == Scenario().arrivals_per_h
    assert [q.queue.id for q in sc.queues] == ["support", "billing", "sales", "email"]
    assert sc.queue_for("billing", Channel.CHAT) == "billing"
    assert sc.queue_for("billing", Channel.EMAIL) == "email"


def test_scenario_overrides(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[arrivals]\nvoice = 0\n[routing]\noffer_timeout_s = 5\n'
                    '[[queues]]\nid = "all"\nskills = ["tech"]\n')
    sc = load_scenario(path)
    assert sc.arrivals_per_h[Channel.VOICE] == 0 and sc.offer_timeout_s == 5
    assert [q.queue.id for q in sc.queues] == ["all"]
    with pytest.raises(ValueError):
        load_scenario(tmp_path / "nope.toml")


def test_customer_nudges_when_the_reply_is_overdue():
    sim = make(agents=1, bots=0, traffic=False, autonomy=True)
    sim.set_presence("agent1", Presence.AVAILABLE, None)
    ix = sim.new_contact(Channel.CHAT, text="hi")
    sim.accept("agent1", ix.id)
    sim.drain()
    events = run(sim, 200)  # chat reply SLA is 60 s: at most two nudges, then silence
    bodies = [json.loads(e.data_json)["item"]["body"] for e in events
              if e.kind == "message.created" and '"inbound"' in e.data_json]
    assert bodies == ["Hello? Is anyone there?", "Any update on this, please?"]
    assert ix.unread == 3 and ix.reply_due_at == ix.created_at + 60
