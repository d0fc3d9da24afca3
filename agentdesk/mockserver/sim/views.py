"""Read models of the simulation: stats, an agent's interactions, consult offers, timelines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain import metrics
from agentdesk.domain.models import (
    Interaction,
    InteractionState,
    Stats,
    TimelineItem,
)
from agentdesk.mockserver.sim.errors import NotFound
from agentdesk.mockserver.sim.state import AgentState

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation


def compute_stats(sim: Simulation) -> Stats:
    waiting: dict[str, list[float]] = {q: [] for q in sim.queues}
    for i in sim.open_ids:
        ix = sim.interactions[i]
        if ix.state in (InteractionState.QUEUED, InteractionState.OFFERED):
            waiting.setdefault(ix.queue_id, []).append(sim.meta[i].queued_at)
    states = {a.id: _state_bucket(a) for a in sim.agents.values()}
    # Grouped once, so a long run does not cost agents x history per update.
    outcomes_by_queue: dict[str, list[metrics.ContactOutcome]] = {}
    for o in sim.outcomes:
        outcomes_by_queue.setdefault(o.queue_id, []).append(o)
    handled_by_queue: dict[str, list[metrics.HandledContact]] = {}
    handled_by_agent: dict[str, list[metrics.HandledContact]] = {}
    for h in sim.handled:
        handled_by_queue.setdefault(h.queue_id, []).append(h)
        handled_by_agent.setdefault(h.agent_id, []).append(h)
    queue_stats = []
    for q in sim.queues.values():
        counts: dict[str, int] = {}
        for a in sim.agents.values():
            bucket = states[a.id]
            if q.id in a.queues and bucket:
                counts[bucket] = counts.get(bucket, 0) + 1
        queue_stats.append(metrics.queue_stats(
            q, outcomes_by_queue.get(q.id, []), handled_by_queue.get(q.id, []),
            waiting.get(q.id, []), sim.now,
            offered=sim.offered_count.get(q.id, 0), agents=counts))
    agent_stats = []
    for a in sim.agents.values():
        handling, idle = a.handling_s, a.idle_s
        running = max(0.0, sim.now - a.acct_since)
        if a.acct_kind == "handling":
            handling += running
        elif a.acct_kind == "idle":
            idle += running
        agent_stats.append(metrics.agent_stats(a.id, handled_by_agent.get(a.id, []), a.missed,
                                               handling, idle))
    return Stats(at=sim.now, queues=queue_stats, agents=agent_stats)


def _state_bucket(agent: AgentState) -> str:
    return metrics.state_bucket(agent.presence, agent.routing_state)


def interactions_for(sim: Simulation, agent_id: str | None) -> list[Interaction]:
    """Open interactions of one agent (incl. consult offers to it), or all open ones."""
    open_ixs = sorted((sim.interactions[i] for i in sim.open_ids), key=lambda ix: ix.id)
    if agent_id is None:
        return open_ixs
    out = [ix for ix in open_ixs if ix.agent_id == agent_id]
    for ix in open_ixs:
        if sim.meta[ix.id].consult_agent == agent_id:
            out.append(consult_view(sim, ix, agent_id))
    return out


def consult_view(sim: Simulation, ix: Interaction, target: str) -> Interaction:
    """How a consult (warm transfer) offer looks to the agent it rings at."""
    meta = sim.meta[ix.id]
    return ix.model_copy(deep=True, update={
        "state": InteractionState.OFFERED, "agent_id": target,
        "offered_at": sim.now, "offer_expires_at": meta.consult_expires_at,
        "transferred_from": ix.agent_id})


def timeline(sim: Simulation, customer_id: str) -> list[TimelineItem]:
    if customer_id not in sim.customers.customers:
        raise NotFound(f"no customer {customer_id!r}")
    past, _ = sim.customers.history(customer_id)
    return past + sim.items.get(customer_id, [])
