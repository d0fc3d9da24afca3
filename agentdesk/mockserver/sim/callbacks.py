"""Scheduled callbacks: a call to make later, offered like other work when due.

Scheduling checks the calling rules at the callback's time (DNC, the
customer's local window). At `at` the callback becomes an offer in its queue,
reserved for its agent (if it has one) for `HOLD_S`; accepting it dials the
customer, with the rules checked again at that moment (a customer may have
joined the do-not-call list, or the offer waited past the window): a refused
dial answers 409 with the rule's code, the callback is `blocked` and the offer
withdrawn. A callback offer that times out, is rejected, or waits past its
reservation is *missed*: it goes back to the queue for anyone, and supervisors
get `callback.missed`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain.models import (
    Callback,
    Channel,
    Direction,
    Interaction,
    InteractionState,
    Role,
)
from agentdesk.mockserver.sim import outbound
from agentdesk.mockserver.sim.errors import Invalid, NotFound, Refused
from agentdesk.mockserver.sim.state import InteractionMeta
from agentdesk.protocol.events import CallbackData

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation

HOLD_S = 600.0  # a callback waits this long for its agent before anyone may take it
MAX_AHEAD_S = 30 * 86400.0
OPEN = ("scheduled", "offered")


def emit(sim: Simulation, cb: Callback, kind: str = "callback.updated",
         reason: str | None = None) -> None:
    sim.changes.callbacks.add(cb.id)
    sim.emit(kind, CallbackData(callback=cb, reason=reason), (cb.agent_id or "", cb.created_by))


def schedule(sim: Simulation, agent_id: str, customer_id: str, at: float, note: str,
             queue_id: str | None, target_agent: str | None) -> Callback:
    agent = sim.agent(agent_id)
    customer = outbound.customer_of(sim, customer_id)
    if queue_id is not None and queue_id not in sim.queues:
        raise NotFound(f"no queue {queue_id!r}")
    if target_agent is not None and target_agent not in sim.agents:
        raise NotFound(f"no agent {target_agent!r}")
    if at < sim.now:
        raise Invalid("at is in the past")
    if at > sim.now + MAX_AHEAD_S:
        raise Invalid("at is more than 30 days ahead")
    outbound.check_rules(sim, customer, at)
    if queue_id is None:
        target_agent = target_agent or agent_id
        queue_id = next((q for q in sim.agents[target_agent].queues
                         if Channel.VOICE in sim.queues[q].channels), None) \
            or next(iter(sim.queues))
    cb = Callback(id=sim._next_id("cb", "cb-", 4), customer_id=customer.id,
                  customer_name=customer.name, at=at, note=note, agent_id=target_agent,
                  queue_id=queue_id, created_by=agent.id, created_at=sim.now)
    sim.callbacks[cb.id] = cb
    sim.timers.schedule("callback_due", cb.id, at)
    emit(sim, cb, reason="scheduled")
    return cb


def visible_to(sim: Simulation, user_id: str, role: Role) -> list[Callback]:
    """Supervisors: all. Agents: theirs (target or author) and open ones of their queues."""
    if role is Role.SUPERVISOR:
        found = list(sim.callbacks.values())
    else:
        queues = set(sim.agents[user_id].queues) if user_id in sim.agents else set()
        found = [cb for cb in sim.callbacks.values()
                 if user_id in (cb.agent_id, cb.created_by)
                 or (cb.agent_id is None and cb.queue_id in queues and cb.state in OPEN)]
    return sorted(found, key=lambda cb: (cb.at, cb.id))


def on_due(sim: Simulation, callback_id: str) -> None:
    """The callback's time: an offer in its queue, reserved for its agent."""
    cb = sim.callbacks.get(callback_id)
    if cb is None or cb.state != "scheduled":
        return
    ix = Interaction(
        id=sim._next_id("ix", "in-", 4), channel=Channel.VOICE, customer_id=cb.customer_id,
        customer_name=cb.customer_name, queue_id=cb.queue_id, state=InteractionState.QUEUED,
        created_at=sim.now, direction=Direction.OUTBOUND, callback_id=cb.id)
    meta = InteractionMeta(queued_at=sim.now)
    if cb.agent_id:
        meta.for_agent, meta.for_agent_until = cb.agent_id, sim.now + HOLD_S
        sim.timers.schedule("callback_release", ix.id, meta.for_agent_until)
    sim.interactions[ix.id] = ix
    sim.meta[ix.id] = meta
    sim.open_ids.add(ix.id)
    cb.state, cb.interaction_id = "offered", ix.id
    sim.system_item(ix, f"Callback due: {cb.note}" if cb.note else "Callback due")
    sim.emit_ix("interaction.updated", ix, "callback_due")
    emit(sim, cb, reason="due")


def missed(sim: Simulation, ix: Interaction, why: str) -> None:
    """Its agent did not take it: back to the queue for anyone; supervisors are told."""
    cb = sim.callbacks.get(ix.callback_id or "")
    if cb is None or cb.state != "offered":
        return
    cb.missed += 1
    meta = sim.meta[ix.id]
    meta.for_agent, meta.for_agent_until = None, 0.0
    sim.timers.cancel("callback_release", ix.id)
    sim.system_item(ix, f"Callback {why}: back in queue {cb.queue_id} for anyone")
    emit(sim, cb, "callback.missed", why)


def on_release(sim: Simulation, interaction_id: str) -> None:
    ix = sim.interactions.get(interaction_id)
    if ix is not None and ix.state is InteractionState.QUEUED:
        missed(sim, ix, "not taken in time")


def on_accept(sim: Simulation, ix: Interaction) -> None:
    """Accepting a callback offer dials now, if the rules still allow it."""
    from agentdesk.mockserver.sim.contacts import close_contact

    cb = sim.callbacks[ix.callback_id or ""]
    customer = sim.customers.customers[ix.customer_id]
    try:
        outbound.check_rules(sim, customer, sim.now)
    except Refused as refusal:
        cb.state, cb.blocked_reason = "blocked", refusal.message
        sim.timers.cancel("offer_timeout", ix.id)
        sim.timers.cancel("callback_release", ix.id)
        ix.accepted_at = None  # not handled: nothing was dialled
        sim.system_item(ix, f"Callback not dialled: {refusal.message}")
        close_contact(sim, ix, "not_dialled")
        emit(sim, cb, reason="blocked")
        raise
    cb.state = "dialled"
    sim.timers.cancel("callback_release", ix.id)
    emit(sim, cb, reason="dialled")
    outbound.start_dialing(sim, ix)
