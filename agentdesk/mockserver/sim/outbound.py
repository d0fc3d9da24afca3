"""Outbound calls: the agent dials a customer, within the calling rules.

A dial is refused before anything rings when the customer is on the
do-not-call list, when it is outside their local calling hours
(`domain/compliance.py`, the server's calling window) or when the agent has
no room for voice work (the capacity rule, whatever the presence: a manual
dial is the agent's own decision). Otherwise the call is the agent's at once
(`active`, direction `outbound`) and the simulation plays it: `dialing`, then
`ringing`, then `connected`, or `no_answer` / `busy` / `voicemail` (by
customer number, see docs/mock-server.md), which ends it into wrap-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain import compliance
from agentdesk.domain.capacity import compute_capacity
from agentdesk.domain.models import (
    CallInfo,
    CallState,
    Channel,
    Customer,
    Direction,
    Interaction,
    InteractionState,
    Presence,
    TimelineKind,
)
from agentdesk.mockserver.sim import routing
from agentdesk.mockserver.sim.errors import NotFound, Refused
from agentdesk.mockserver.sim.state import InteractionMeta
from agentdesk.protocol.events import CallData

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation

RING_AFTER_S = 2.0  # dialing -> ringing
ANSWER_AFTER_S = 6.0  # ringing -> the outcome
# customer number % 20 -> how an outbound call to them ends (others answer)
UNREACHABLE = {7: CallState.NO_ANSWER, 8: CallState.BUSY, 9: CallState.VOICEMAIL}
OUTCOME_WORDS = {CallState.NO_ANSWER: "No answer", CallState.BUSY: "Line busy",
                 CallState.VOICEMAIL: "Voicemail reached"}


def customer_of(sim: Simulation, customer_id: str) -> Customer:
    customer = sim.customers.customers.get(customer_id)
    if customer is None:
        raise NotFound(f"no customer {customer_id!r}")
    return customer


def check_rules(sim: Simulation, customer: Customer, at: float) -> None:
    """Raise `Refused` when a calling rule forbids calling `customer` at `at`."""
    refusal = compliance.check_call(customer.name, customer.dnc,
                                    customer.timezone or compliance.DEFAULT_TIMEZONE, at,
                                    sim.scenario.calling_window)
    if refusal is not None:
        raise Refused(refusal.code, refusal.message)


def check_capacity(sim: Simulation, agent_id: str) -> None:
    agent = sim.agent(agent_id)
    active = routing.active_by_channel(agent_id, sim.work_of(agent_id),
                                       [c for c in sim.consults() if c[0] == agent_id])
    rule = agent.capacity
    load = compute_capacity(active, Presence.AVAILABLE, costs=rule.cost_map,
                            limits=rule.limit_map, total=rule.total).channels[Channel.VOICE]
    if not load.accepting:
        raise Refused(compliance.NO_CAPACITY, f"No room for a call: {load.reason}"
                      if load.reason else "No room for a call now")


def dial(sim: Simulation, agent_id: str, customer_id: str) -> Interaction:
    """A new outbound call by `agent_id`; everything is checked before anything changes."""
    agent = sim.agent(agent_id)
    customer = customer_of(sim, customer_id)
    check_rules(sim, customer, sim.now)
    check_capacity(sim, agent_id)
    queue = next((q for q in agent.queues if Channel.VOICE in sim.queues[q].channels),
                 agent.queues[0] if agent.queues else next(iter(sim.queues)))
    ix = Interaction(
        id=sim._next_id("ix", "in-", 4), channel=Channel.VOICE, customer_id=customer.id,
        customer_name=customer.name, queue_id=queue, state=InteractionState.ACTIVE,
        agent_id=agent_id, created_at=sim.now, accepted_at=sim.now,
        direction=Direction.OUTBOUND, call=CallInfo(state=CallState.DIALING, disclosure="pending"))
    sim.interactions[ix.id] = ix
    sim.meta[ix.id] = InteractionMeta(queued_at=sim.now)
    sim.open_ids.add(ix.id)
    sim.emit_ix("interaction.accepted", ix, "outbound")
    start_dialing(sim, ix)
    return ix


def start_dialing(sim: Simulation, ix: Interaction) -> None:
    """The number is being dialled (a new outbound call or an accepted callback)."""
    customer = sim.customers.customers[ix.customer_id]
    agent = sim.agents[ix.agent_id or ""]
    ix.call = CallInfo(state=CallState.DIALING, disclosure="pending")
    sim.system_item(ix, f"{agent.name} is calling {customer.name} on {customer.phone}",
                    TimelineKind.CALL)
    sim.emit("call.updated", CallData(interaction_id=ix.id, call=ix.call), (agent.id,))
    sim.schedule("dial_ring", ix.id, RING_AFTER_S)
    sim.changed(ix)


def on_ring(sim: Simulation, ix: Interaction) -> None:
    if ix.call is None or ix.call.state is not CallState.DIALING:
        return
    ix.call.state = CallState.RINGING
    sim.emit("call.updated", CallData(interaction_id=ix.id, call=ix.call), (ix.agent_id or "",))
    sim.schedule("dial_outcome", ix.id, ANSWER_AFTER_S)
    sim.changed(ix)


def on_outcome(sim: Simulation, ix: Interaction) -> None:
    from agentdesk.mockserver.sim.contacts import end_contact

    call = ix.call
    if call is None or call.state is not CallState.RINGING:
        return
    outcome = UNREACHABLE.get(int(ix.customer_id[1:] or 0) % 20) \
        if ix.customer_id[1:].isdigit() else None
    if outcome is None:
        call.state, call.connected_at = CallState.CONNECTED, sim.now
        sim.system_item(ix, f"Call connected: {ix.customer_name} answered", TimelineKind.CALL)
        sim.emit("call.updated", CallData(interaction_id=ix.id, call=call), (ix.agent_id or "",))
        sim.behaviour.schedule_transcript(ix)
        from agentdesk.mockserver.sim import disclosure
        disclosure.on_connected(sim, ix)
        sim.changed(ix)
        return
    call.state, call.ended_at = outcome, sim.now
    sim.system_item(ix, f"{OUTCOME_WORDS[outcome]}: {ix.customer_name} was not reached",
                    TimelineKind.CALL)
    sim.emit("call.updated", CallData(interaction_id=ix.id, call=call), (ix.agent_id or "",))
    end_contact(sim, ix, outcome.value)
