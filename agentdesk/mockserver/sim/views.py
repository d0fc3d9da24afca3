"""Read models of the simulation: stats, an agent's interactions, consult offers, timelines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain import metrics
from agentdesk.domain.models import (
    Capacity,
    Channel,
    Interaction,
    InteractionState,
    Queue,
    Stats,
    TimelineItem,
)
from agentdesk.mockserver.sim import routing
from agentdesk.mockserver.sim.errors import NotFound
from agentdesk.mockserver.sim.state import AgentState

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation


def compute_stats(sim: Simulation) -> Stats:
    waiting: dict[str, list[float]] = {q: [] for q in sim.queues}
    waiting_by_channel: dict[tuple[str, Channel], list[float]] = {}
    for i in sim.open_ids:
        ix = sim.interactions[i]
        if ix.state in (InteractionState.QUEUED, InteractionState.OFFERED):
            waiting.setdefault(ix.queue_id, []).append(sim.meta[i].queued_at)
            waiting_by_channel.setdefault((ix.queue_id, ix.channel), []).append(
                sim.meta[i].queued_at)
    states = {a.id: _state_bucket(a) for a in sim.agents.values()}
    running = _totals(sim)
    running.window.expire(sim.now)
    capacities: dict[str, Capacity] | None = None  # computed once, if a queue needs them
    queue_stats = []
    for q in sim.queues.values():
        counts: dict[str, int] = {}
        for a in sim.agents.values():
            bucket = states[a.id]
            if q.id in a.queues and bucket:
                counts[bucket] = counts.get(bucket, 0) + 1
        qs = metrics.queue_stats_from_totals(
            q, running.queues.get(q.id) or metrics.Totals(), waiting.get(q.id, []), sim.now,
            offered=sim.offered_count.get(q.id, 0), agents=counts)
        qs.rolling = running.window.of(q.id)
        channels = _channels_of(q, running, waiting_by_channel)
        if len(channels) > 1:
            if capacities is None:
                capacities = _capacities(sim, states, running.capacity_memo)
            offered = sim.offered_by_channel.get(q.id, {})
            qs.channels = [metrics.channel_stats_from_totals(
                ch, running.channels.get((q.id, ch)) or metrics.Totals(),
                waiting_by_channel.get((q.id, ch), []), sim.now,
                offered=offered.get(ch.value, 0),
                agents=_channel_agents(sim, q.id, ch, capacities)) for ch in channels]
        queue_stats.append(qs)
    agent_stats = []
    for a in sim.agents.values():
        handling, idle = a.handling_s, a.idle_s
        running_s = max(0.0, sim.now - a.acct_since)
        if a.acct_kind == "handling":
            handling += running_s
        elif a.acct_kind == "idle":
            idle += running_s
        agent_stats.append(metrics.agent_stats_from_totals(
            a.id, running.agents.get(a.id) or metrics.Totals(), a.missed, handling, idle))
    return Stats(at=sim.now, queues=queue_stats, agents=agent_stats)


def _channels_of(queue: Queue, running: _RunningTotals,
                 waiting: dict[tuple[str, Channel], list[float]]) -> list[Channel]:
    """The queue's channels, then any other channel a contact of the queue came on
    (a transfer in, a routing fallback), so the channel rows add up to the queue."""
    out = list(dict.fromkeys(queue.channels))
    for queue_id, channel in (*running.channels, *waiting):
        if queue_id == queue.id and channel not in out:
            out.append(channel)
    return out


def _capacities(sim: Simulation, states: dict[str, str],
                memo: dict[tuple[object, ...], Capacity]) -> dict[str, Capacity]:
    """Capacity of every logged-in agent, from one pass over the open work. Most
    agents share a few situations (idle, one chat, on a call), so the capacity
    rule runs once per situation, not once per agent and sample."""
    load: dict[str, dict[Channel, int]] = {}
    for i in sim.open_ids:
        ix = sim.interactions[i]
        if ix.agent_id and ix.state in routing.HOLDING_STATES:
            mine = load.setdefault(ix.agent_id, {})
            mine[ix.channel] = mine.get(ix.channel, 0) + 1
    for target, channel in sim.consults():
        mine = load.setdefault(target, {})
        mine[channel] = mine.get(channel, 0) + 1
    if len(memo) > 1024:
        memo.clear()
    out: dict[str, Capacity] = {}
    for a in sim.agents.values():
        if not states[a.id]:
            continue
        active = load.get(a.id, {})
        key = (a.presence, a.not_responding, a.next_presence, tuple(sorted(active.items())))
        cap = memo.get(key)
        if cap is None:
            cap = memo[key] = routing.capacity_of(a, active)
        out[a.id] = cap
    return out


def _channel_agents(sim: Simulation, queue_id: str, channel: Channel,
                    capacities: dict[str, Capacity]) -> dict[str, int]:
    """Agents of the queue by channel: `available` can take one more of this channel
    now, `busy` has at least one in hand (ringing, active or in wrap-up)."""
    available = busy = 0
    for agent_id, cap in capacities.items():
        if queue_id not in sim.agents[agent_id].queues:
            continue
        load = cap.channels.get(channel)
        if load is None:
            continue
        available += load.accepting
        busy += load.active > 0
    return {"available": available, "busy": busy}


class _RunningTotals:
    """Per-queue, per-(queue, channel) and per-agent sums and the rolling SL window,
    advanced over the records added since the last call: stats cost O(new
    records), not O(history), on a long run."""

    def __init__(self) -> None:
        self.outcomes_seen = 0
        self.handled_seen = 0
        self.queues: dict[str, metrics.Totals] = {}
        self.channels: dict[tuple[str, Channel], metrics.Totals] = {}
        self.agents: dict[str, metrics.Totals] = {}
        self.window = metrics.RollingWindow()
        self.capacity_memo: dict[tuple[object, ...], Capacity] = {}


def _totals(sim: Simulation) -> _RunningTotals:
    running: _RunningTotals | None = getattr(sim, "_running_totals", None)
    if running is None or running.outcomes_seen > len(sim.outcomes) \
            or running.handled_seen > len(sim.handled):  # new or reloaded history
        running = _RunningTotals()
        sim._running_totals = running  # type: ignore[attr-defined]
    for outcome in sim.outcomes[running.outcomes_seen:]:
        queue = sim.queues.get(outcome.queue_id)
        threshold = queue.sl_threshold_s if queue else 0.0
        running.queues.setdefault(outcome.queue_id, metrics.Totals()).add_outcome(outcome, threshold)
        if outcome.channel is not None:
            running.channels.setdefault((outcome.queue_id, outcome.channel),
                                        metrics.Totals()).add_outcome(outcome, threshold)
        running.window.add(outcome, threshold)
    running.outcomes_seen = len(sim.outcomes)
    for handled in sim.handled[running.handled_seen:]:
        running.queues.setdefault(handled.queue_id, metrics.Totals()).add_handled(handled)
        if handled.channel is not None:
            running.channels.setdefault((handled.queue_id, handled.channel),
                                        metrics.Totals()).add_handled(handled)
        running.agents.setdefault(handled.agent_id, metrics.Totals()).add_handled(handled)
    running.handled_seen = len(sim.handled)
    return running


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
