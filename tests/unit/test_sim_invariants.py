"""Random command sequences never crash the engine and keep its invariants."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentdesk.domain.capacity import DEFAULT_LIMITS, TOTAL_UNITS
from agentdesk.domain.models import Channel, InteractionState, Presence
from agentdesk.mockserver.sim import routing
from agentdesk.mockserver.sim.clock import SimClock
from agentdesk.mockserver.sim.content import load_dispositions
from agentdesk.mockserver.sim.engine import OPEN_STATES, SimOptions, Simulation
from agentdesk.mockserver.sim.errors import SimError
from agentdesk.mockserver.sim.scenario import Scenario

DISPOSITIONS = tuple(d.code for d in load_dispositions())
AGENTS = ["agent1", "agent2", "agent3"]


def _op(sim: Simulation, rng: random.Random) -> None:
    open_ids = sorted(sim.open_ids) or ["in-0000"]
    iid = rng.choice(open_ids)
    ix = sim.interactions.get(iid)
    agent = ix.agent_id if ix is not None and ix.agent_id and rng.random() < 0.8 \
        else rng.choice(AGENTS)
    kind = rng.randrange(13)
    if kind == 0:
        sim.new_contact(rng.choice(list(Channel)))
    elif kind == 1:
        sim.set_presence(rng.choice(AGENTS), rng.choice(list(Presence)),
                         rng.choice([None, *Presence]))
    elif kind == 2:
        sim.accept(agent, iid)
    elif kind == 3:
        sim.reject(agent, iid)
    elif kind == 4:
        sim.mark_read(agent, iid)
    elif kind == 5:
        sim.post_message(agent, iid, rng.choice(["reply", "note"]), "text", None, [], None)
    elif kind == 6:
        action = rng.choice(["hold", "resume", "mute", "unmute", "hangup", "dtmf"])
        sim.call_action(agent, iid, action, "1" if action == "dtmf" else None)
    elif kind == 7:
        if rng.random() < 0.5:
            sim.transfer(agent, iid, queue_id=rng.choice(list(sim.queues)), target_agent=None,
                         warm=rng.random() < 0.5)
        else:
            sim.transfer(agent, iid, queue_id=None, target_agent=rng.choice(AGENTS),
                         warm=rng.random() < 0.5)
    elif kind == 8:
        sim.wrapup(agent, iid, rng.choice(DISPOSITIONS), None)
    elif kind == 9:
        sim.customer_message(iid, "more")
    elif kind == 10:
        sim.customer_end(iid)
    else:
        sim.advance_to(sim.clock.advance(rng.choice([0.5, 3.0, 15.0, 45.0, 120.0])))


def _check(sim: Simulation) -> None:
    opened = {i for i, ix in sim.interactions.items() if ix.state in OPEN_STATES}
    assert opened == sim.open_ids
    consults = sim.consults()
    for agent in sim.agents.values():
        active = routing.active_by_channel(agent.id, sim.work_of(agent.id),
                                           [c for c in consults if c[0] == agent.id])
        cap = routing.capacity_of(agent, active)
        assert cap.used <= TOTAL_UNITS, (agent.id, active)
        for ch, n in active.items():
            assert n <= DEFAULT_LIMITS[ch], (agent.id, active)
        consulted = any(c[0] == agent.id for c in consults)
        assert agent.routing_state is routing.derive_routing_state(
            agent, sim.work_of(agent.id), consulted)
    for ix in sim.interactions.values():
        if ix.state is InteractionState.QUEUED:
            assert ix.agent_id is None and ix.offer_expires_at is None
        if ix.state is InteractionState.OFFERED:
            assert ix.agent_id in sim.agents and ix.offer_expires_at is not None
        if ix.state in (InteractionState.ACTIVE, InteractionState.WRAPUP):
            assert ix.agent_id in sim.agents and ix.accepted_at is not None
        if ix.state is InteractionState.WRAPUP:
            assert ix.acw_deadline is not None and sim.timers.pending("acw", ix.id)
        if ix.call is not None and ix.state is InteractionState.ACTIVE:
            assert ix.call.state.value in ("connected", "held")
        if ix.state is InteractionState.CLOSED:
            assert ix.disposition
    stats = sim.stats()
    for q in stats.queues:
        assert q.answered + q.abandoned <= q.offered
        assert q.sl_pct is None or 0 <= q.sl_pct <= 100


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), autonomy=st.booleans(), bots=st.integers(0, 2))
def test_random_sessions_keep_invariants(seed: int, autonomy: bool, bots: int) -> None:
    sim = Simulation(SimOptions(seed=seed, agents=3, bots=bots, traffic=autonomy,
                                dispositions=DISPOSITIONS), Scenario(), SimClock(manual=True))
    rng = random.Random(seed)
    for agent in AGENTS[: 3 - bots]:
        sim.set_presence(agent, Presence.AVAILABLE, None)
    for _ in range(120):
        try:
            _op(sim, rng)
        except SimError:
            pass
        sim.drain()
        _check(sim)
