"""ACD routing decisions and the capacity rule as the router applies it."""

from __future__ import annotations

from agentdesk.domain.models import (
    Channel,
    Interaction,
    InteractionState,
    Presence,
    RoutingState,
)
from agentdesk.mockserver.sim import routing
from agentdesk.mockserver.sim.state import AgentState, InteractionMeta


def _agent(n: int, *, free_at: float = 0.0, presence=Presence.AVAILABLE, queues=("q",),
           not_responding=False, next_presence=None) -> AgentState:
    return AgentState(id=f"agent{n}", name=f"A{n}", index=n, queues=list(queues), bot=False,
                      presence=presence, last_free_at=free_at, not_responding=not_responding,
                      next_presence=next_presence)


def _ix(channel=Channel.CHAT, queue="q", agent=None, state=InteractionState.QUEUED, n=1):
    return Interaction(id=f"in-{n}", channel=channel, customer_id="c1", customer_name="C",
                       queue_id=queue, state=state, agent_id=agent, created_at=0)


def test_longest_idle_first_then_lowest_number():
    agents = [_agent(1, free_at=50), _agent(2, free_at=10), _agent(3, free_at=10)]
    picked = routing.pick_agent(_ix(), InteractionMeta(queued_at=0), agents, {})
    assert picked.id == "agent2"


def test_humans_before_bots_when_equally_loaded():
    bot = _agent(1, free_at=0)
    bot.bot = True
    human = _agent(2, free_at=99)
    assert routing.pick_agent(_ix(), InteractionMeta(queued_at=0), [bot, human], {}) is human
    # A person with one contact in hand still comes before an idle bot (the demo
    # floor must not go quiet for the agent at the desk); with two, the bot.
    load = {"agent2": {Channel.CHAT: 1}}
    assert routing.pick_agent(_ix(), InteractionMeta(queued_at=0), [bot, human], load) is human
    load = {"agent2": {Channel.CHAT: 2}}
    assert routing.pick_agent(_ix(), InteractionMeta(queued_at=0), [bot, human], load) is bot
    # ... and never while an offer is ringing for them.
    assert routing.pick_agent(_ix(), InteractionMeta(queued_at=0), [bot, human], {}, {"agent2"}) is bot


def test_least_loaded_before_longest_idle():
    agents = [_agent(1, free_at=0), _agent(2, free_at=99)]
    load = {"agent1": {Channel.CHAT: 1}}
    assert routing.pick_agent(_ix(), InteractionMeta(queued_at=0), agents, load).id == "agent2"


def test_skills_declines_presence_and_not_responding_exclude():
    meta = InteractionMeta(queued_at=0, declined_by=["agent1"])
    agents = [_agent(1), _agent(2, queues=("other",)), _agent(3, presence=Presence.BREAK),
              _agent(4, not_responding=True), _agent(5, next_presence=Presence.LUNCH)]
    assert routing.pick_agent(_ix(), meta, agents, {}) is None
    agents.append(_agent(6))
    assert routing.pick_agent(_ix(), meta, agents, {}).id == "agent6"


def test_capacity_blocks_voice_behind_chats_and_limits_chats():
    agent = _agent(1)
    voice = _ix(Channel.VOICE)
    assert routing.pick_agent(voice, InteractionMeta(queued_at=0), [agent],
                              {"agent1": {Channel.CHAT: 1}}) is None
    assert routing.pick_agent(_ix(), InteractionMeta(queued_at=0), [agent],
                              {"agent1": {Channel.CHAT: 3}}) is None
    assert routing.pick_agent(_ix(), InteractionMeta(queued_at=0), [agent],
                              {"agent1": {Channel.CHAT: 2}}) is agent
    cap = routing.capacity_of(agent, {Channel.VOICE: 1})
    assert not cap.channels[Channel.CHAT].accepting and cap.used == 100


def test_active_by_channel_counts_offered_active_and_wrapup_only():
    ixs = [_ix(agent="agent1", state=InteractionState.OFFERED, n=1),
           _ix(agent="agent1", state=InteractionState.WRAPUP, n=2),
           _ix(agent="agent1", state=InteractionState.CLOSED, n=3),
           _ix(Channel.EMAIL, agent="agent2", state=InteractionState.ACTIVE, n=4)]
    assert routing.active_by_channel("agent1", ixs) == {Channel.CHAT: 2}
    assert routing.active_by_channel("agent2", ixs, [("agent2", Channel.VOICE)]) == {
        Channel.EMAIL: 1, Channel.VOICE: 1}


def test_derived_routing_states():
    a = _agent(1)
    assert routing.derive_routing_state(a, []) is RoutingState.IDLE
    assert routing.derive_routing_state(
        a, [_ix(agent="agent1", state=InteractionState.OFFERED)]) is RoutingState.OFFERED
    assert routing.derive_routing_state(
        a, [_ix(agent="agent1", state=InteractionState.ACTIVE)]) is RoutingState.BUSY
    assert routing.derive_routing_state(
        a, [_ix(agent="agent1", state=InteractionState.WRAPUP)]) is RoutingState.ACW
    assert routing.derive_routing_state(_agent(2, not_responding=True), []) is \
        RoutingState.NOT_RESPONDING
    assert routing.derive_routing_state(_agent(3, presence=Presence.BREAK), []) is \
        RoutingState.OFF_QUEUE


def test_not_responding_wins_over_work_in_hand_while_available():
    """A missed offer takes the agent out of routing for every channel, so the
    derived state is `not_responding` even with a chat open, in wrap-up or with
    another offer ringing; re-arming falls back to the work in hand."""
    nr = _agent(1, not_responding=True)
    for state in (InteractionState.ACTIVE, InteractionState.WRAPUP, InteractionState.OFFERED):
        assert routing.derive_routing_state(
            nr, [_ix(agent="agent1", state=state)]) is RoutingState.NOT_RESPONDING
    assert routing.derive_routing_state(nr, [], consulted=True) is RoutingState.NOT_RESPONDING
    rearmed = _agent(1)
    assert routing.derive_routing_state(
        rearmed, [_ix(agent="agent1", state=InteractionState.ACTIVE)]) is RoutingState.BUSY
    assert routing.derive_routing_state(
        rearmed, [_ix(agent="agent1", state=InteractionState.WRAPUP)]) is RoutingState.ACW
    assert routing.derive_routing_state(rearmed, []) is RoutingState.IDLE
    # Under another presence the agent is out of routing anyway: the work decides.
    away = _agent(2, presence=Presence.BREAK, not_responding=True)
    assert routing.derive_routing_state(
        away, [_ix(agent="agent2", state=InteractionState.ACTIVE)]) is RoutingState.BUSY
    assert routing.derive_routing_state(away, []) is RoutingState.OFF_QUEUE
