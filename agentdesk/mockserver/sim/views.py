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
    queue_totals, agent_totals = _totals(sim)
    queue_stats = []
    for q in sim.queues.values():
        counts: dict[str, int] = {}
        for a in sim.agents.values():
            bucket = states[a.id]
            if q.id in a.queues and bucket:
                counts[bucket] = counts.get(bucket, 0) + 1
        queue_stats.append(metrics.queue_stats_from_totals(
            q, queue_totals.get(q.id) or metrics.Totals(), waiting.get(q.id, []), sim.now,
            offered=sim.offered_count.get(q.id, 0), agents=counts))
    agent_stats = []
    for a in sim.agents.values():
        handling, idle = a.handling_s, a.idle_s
        running = max(0.0, sim.now - a.acct_since)
        if a.acct_kind == "handling":
            handling += running
        elif a.acct_kind == "idle":
            idle += running
        agent_stats.append(metrics.agent_stats_from_totals(
            a.id, agent_totals.get(a.id) or metrics.Totals(), a.missed, handling, idle))
    return Stats(at=sim.now, queues=queue_stats, agents=agent_stats)


class _RunningTotals:
    """Per-queue and per-agent sums, advanced over the records added since the
    last call: stats cost O(new records), not O(history), on a long run."""

    def __init__(self) -> None:
        self.outcomes_seen = 0
        self.handled_seen = 0
        self.queues: dict[str, metrics.Totals] = {}
        self.agents: dict[str, metrics.Totals] = {}


def _totals(sim: Simulation) -> tuple[dict[str, metrics.Totals], dict[str, metrics.Totals]]:
    running: _RunningTotals | None = getattr(sim, "_running_totals", None)
    if running is None or running.outcomes_seen > len(sim.outcomes) \
            or running.handled_seen > len(sim.handled):  # new or reloaded history
        running = _RunningTotals()
        sim._running_totals = running  # type: ignore[attr-defined]
    for outcome in sim.outcomes[running.outcomes_seen:]:
        queue = sim.queues.get(outcome.queue_id)
        threshold = queue.sl_threshold_s if queue else 0.0
        running.queues.setdefault(outcome.queue_id, metrics.Totals()).add_outcome(outcome, threshold)
    running.outcomes_seen = len(sim.outcomes)
    for handled in sim.handled[running.handled_seen:]:
        running.queues.setdefault(handled.queue_id, metrics.Totals()).add_handled(handled)
        running.agents.setdefault(handled.agent_id, metrics.Totals()).add_handled(handled)
    running.handled_seen = len(sim.handled)
    return running.queues, running.agents


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
