"""ACD routing decisions: who gets the next contact (pure functions).

An agent is eligible for a contact when it serves the contact's queue, did not
decline this contact already, and the capacity rule (`domain/capacity.py`)
accepts the channel. A human-controlled agent is paced: never more than one
offer ringing at a time (the next one waits until the agent answered or
missed it, so offers do not ring five at once with seconds left each). Among
eligible agents a person with less than `HUMAN_EASY_LOAD` contacts in hand
comes first (the one at the demo desk gets steady work on a floor of idle
bots), then the one with the least work in hand, then a person over a bot,
then the one free the longest ("longest idle first"), then the lowest agent
number, which keeps seeded runs reproducible. A contact reserved for an
agent (`meta.for_agent`, the demo's warm-up) waits for that agent until
`meta.for_agent_until`, then goes to anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from agentdesk.domain.capacity import compute_capacity
from agentdesk.domain.models import (
    Capacity,
    Channel,
    Interaction,
    InteractionState,
    Presence,
    RoutingState,
)
from agentdesk.mockserver.sim.capacity_rule import DEFAULT_RULE, CapacityRule
from agentdesk.mockserver.sim.state import AgentState, InteractionMeta

HUMAN_EASY_LOAD = 2  # contacts in hand below which a person is offered work before idle bots

# Interactions that occupy capacity: ringing, in progress, or in after-contact work.
HOLDING_STATES = frozenset({InteractionState.OFFERED, InteractionState.ACTIVE,
                            InteractionState.WRAPUP})


def active_by_channel(agent_id: str, interactions: Iterable[Interaction],
                      consults: Iterable[tuple[str, Channel]] = ()) -> dict[Channel, int]:
    counts: dict[Channel, int] = {}
    for ix in interactions:
        if ix.agent_id == agent_id and ix.state in HOLDING_STATES:
            counts[ix.channel] = counts.get(ix.channel, 0) + 1
    for target, channel in consults:
        if target == agent_id:
            counts[channel] = counts.get(channel, 0) + 1
    return counts


def capacity_of(agent: AgentState, active: Mapping[Channel, int]) -> Capacity:
    rule = agent.capacity
    return compute_capacity(active, agent.presence, not_responding=agent.not_responding,
                            next_presence=agent.next_presence, costs=rule.cost_map,
                            limits=rule.limit_map, total=rule.total)


def derive_routing_state(agent: AgentState, interactions: Iterable[Interaction],
                         consulted: bool = False) -> RoutingState:
    """The routing state that follows from presence and the work in hand.

    An Available agent who missed an offer is `not_responding` until re-armed,
    whatever work is still in hand: it is out of routing for every channel, and
    the desk, the agents list and the wallboard buckets must say so (`busy` would
    hide it). Under another presence the agent is out of routing anyway, and the
    work in hand decides as usual."""
    if agent.presence is Presence.AVAILABLE and agent.not_responding:
        return RoutingState.NOT_RESPONDING
    mine = [ix for ix in interactions if ix.agent_id == agent.id]
    if consulted or any(ix.state is InteractionState.OFFERED for ix in mine):
        return RoutingState.OFFERED
    if any(ix.state is InteractionState.ACTIVE for ix in mine):
        return RoutingState.BUSY
    if any(ix.state is InteractionState.WRAPUP for ix in mine):
        return RoutingState.ACW
    if agent.presence is not Presence.AVAILABLE:
        return RoutingState.OFF_QUEUE
    return RoutingState.IDLE


def accepting(agent: AgentState, active: Mapping[Channel, int], channel: Channel) -> bool:
    """Whether the capacity rule lets `agent` take one more contact of `channel`.
    Memoised: routing asks it for every agent and every waiting contact on each
    settle, and most agents share a few situations (idle, one chat, on a call)."""
    return _accepting(agent.presence, agent.not_responding, agent.next_presence,
                      tuple(sorted(active.items())), channel, agent.capacity)


@lru_cache(maxsize=4096)
def _accepting(presence: Presence, not_responding: bool, next_presence: Presence | None,
               active: tuple[tuple[Channel, int], ...], channel: Channel,
               rule: CapacityRule = DEFAULT_RULE) -> bool:
    return compute_capacity(dict(active), presence, not_responding=not_responding,
                            next_presence=next_presence, costs=rule.cost_map,
                            limits=rule.limit_map, total=rule.total).channels[channel].accepting


def pick_agent(ix: Interaction, meta: InteractionMeta, agents: Iterable[AgentState],
               load: Mapping[str, Mapping[Channel, int]], ringing: frozenset[str] | set[str] = frozenset(),
               now: float = 0.0, *, pace_humans: bool = True) -> AgentState | None:
    """The agent to offer `ix` to, or None if nobody can take it now. `ringing`:
    the agents with an offer ringing now (a person gets one at a time).
    `pace_humans=False` (scripted runs without traffic, where a test or trainer
    sets up the situation it wants, several offers at once included): no pacing
    and no preference beyond "a person over a bot when equally loaded"."""
    best: tuple[bool, int, bool, float, int] | None = None
    chosen: AgentState | None = None
    reserved = meta.for_agent if meta.for_agent and now < meta.for_agent_until else None
    for agent in agents:
        if ix.queue_id not in agent.queues or agent.id in meta.declined_by:
            continue
        if reserved is not None and agent.id != reserved:
            continue
        if pace_humans and not agent.bot and agent.id in ringing:
            continue
        active = load.get(agent.id, {})
        if not accepting(agent, active, ix.channel):
            continue
        in_hand = sum(active.values())
        easy_human = pace_humans and not agent.bot and in_hand < HUMAN_EASY_LOAD
        key = (not easy_human, in_hand, agent.bot, agent.last_free_at, agent.index)
        if best is None or key < best:
            best, chosen = key, agent
    return chosen
