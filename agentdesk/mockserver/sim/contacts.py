"""The life of a contact from the customer's side and its ending: what the customer
writes, abandoning, the end of the contact (ACW starts) and closing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain import metrics
from agentdesk.domain.models import (
    Attachment,
    CallState,
    Channel,
    Direction,
    Interaction,
    InteractionState,
    TimelineKind,
)
from agentdesk.protocol.events import CallData

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation

# Call states a contact's end hangs up (an outbound call that was not answered
# keeps its outcome: no_answer, busy, voicemail).
LIVE_CALL = frozenset({CallState.DIALING, CallState.RINGING, CallState.CONNECTED,
                       CallState.HELD})


def customer_says(sim: Simulation, ix: Interaction, text: str,
                  attachments: list[Attachment] | None = None) -> None:
    """A customer message: unread, last_customer_at and the next-reply deadline."""
    customer = sim.customers.customers[ix.customer_id]
    subject = ix.subject if ix.channel is Channel.EMAIL else None
    sim.add_item(ix, TimelineKind.MESSAGE, Direction.INBOUND, customer.name, text,
                  subject=subject, attachments=attachments)
    ix.last_customer_at = sim.now
    sla = sim.scenario.reply_sla_s.get(ix.channel)
    if ix.reply_due_at is None and sla is not None:
        ix.reply_due_at = sim.now + sla
    ix.unread += 1
    sim.meta[ix.id].awaiting_reply = True
    sim.changed(ix)


def abandon(sim: Simulation, ix: Interaction) -> None:
    """The customer left before being answered."""
    previous = ix.agent_id
    meta = sim.meta[ix.id]
    sim.outcomes.append(metrics.ContactOutcome(ix.queue_id, sim.now - meta.queued_at, False,
                                               ix.channel, sim.now))
    sim.changes.outcomes.append(sim.outcomes[-1])
    ix.state = InteractionState.ABANDONED
    ix.agent_id = None
    ix.offer_expires_at = None
    ix.ended_at = ix.closed_at = sim.now
    ix.reply_due_at = None
    if ix.call:
        ix.call.state, ix.call.ended_at = CallState.ENDED, sim.now
    sim.cancel_consult(ix)
    sim.open_ids.discard(ix.id)
    for kind in ("offer_timeout", "abandon"):
        sim.timers.cancel(kind, ix.id)
    sim.system_item(ix, "Customer left before being answered")
    sim.emit_ix("interaction.abandoned", ix, "customer_left", also=(previous,))
    if previous:
        sim._touched.add(previous)


def end_contact(sim: Simulation, ix: Interaction, reason: str) -> None:
    """Contact over: the interaction enters after-contact work."""
    ix.state = InteractionState.WRAPUP
    ix.ended_at = sim.now
    ix.acw_deadline = sim.now + sim.scenario.acw_limit_s
    ix.reply_due_at = None
    sim.timers.schedule("acw", ix.id, ix.acw_deadline)
    for kind in ("dial_ring", "dial_outcome"):
        sim.timers.cancel(kind, ix.id)
    if ix.call and ix.call.state in LIVE_CALL:
        if ix.call.held_since is not None:
            ix.call.hold_total_s += sim.now - ix.call.held_since
            ix.call.held_since = None
        ix.call.state, ix.call.ended_at = CallState.ENDED, sim.now
        sim.timers.cancel("transcript", ix.id)
        sim.emit("call.updated", CallData(interaction_id=ix.id, call=ix.call), (ix.agent_id,))
        sim.system_item(ix, "Call ended" + (" by the customer" if reason != "agent_hangup"
                                             else ""), TimelineKind.CALL)
    sim.cancel_consult(ix)
    sim.emit_ix("interaction.ended", ix, reason)
    sim.behaviour.on_ended(ix)


def close_contact(sim: Simulation, ix: Interaction, disposition: str, notes: str | None = None,
                  by: str | None = None) -> None:
    """Wrapped up: the contact is closed with a disposition and counted as handled."""
    if notes:
        sim.add_item(ix, TimelineKind.NOTE, Direction.INTERNAL,
                      sim.agents[by].name if by in sim.agents else "system", notes)
    ix.state = InteractionState.CLOSED
    ix.closed_at = sim.now
    ix.disposition = disposition
    ix.acw_deadline = None
    sim.timers.cancel("acw", ix.id)
    sim.open_ids.discard(ix.id)
    if ix.accepted_at is not None and ix.agent_id:
        rec = metrics.HandledContact(ix.queue_id, ix.agent_id, sim.now - ix.accepted_at,
                                     ix.channel, sim.now)
        sim.handled.append(rec)
        sim.changes.handled.append(rec)
    sim.system_item(ix, f"Closed with disposition {disposition}")
    sim.emit_ix("interaction.closed", ix, disposition)
