"""Voice calls and transfers: hold, mute, DTMF, hang-up, blind and warm transfer.

A warm transfer is a consult: it rings the target (`consult_state`
"ringing"); when they answer, the customer is put on hold and the two agents
talk ("talking"), and nothing more happens until the transferring agent
decides with a call action: `consult_complete` (the customer goes to the
target), `consult_cancel` (the target leaves, back to the customer) or
`conference` (the customer comes off hold, three-way; complete or cancel
later). A consult that rings unanswered past the consult timeout, or is
rejected, is cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain.models import CallState, Interaction, TimelineKind
from agentdesk.mockserver.sim import routing
from agentdesk.mockserver.sim.contacts import end_contact
from agentdesk.mockserver.sim.errors import Conflict
from agentdesk.mockserver.sim.state import InteractionMeta
from agentdesk.mockserver.sim.views import consult_view
from agentdesk.protocol.events import CallData, InteractionData

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation

# action -> call states it is allowed in
_ALLOWED = {
    "hold": (CallState.CONNECTED,),
    "resume": (CallState.HELD,),
    "mute": (CallState.CONNECTED, CallState.HELD),
    "unmute": (CallState.CONNECTED, CallState.HELD),
    "dtmf": (CallState.CONNECTED,),
    # an outbound call may be hung up while it dials or rings (inbound calls in
    # hand are always connected or held)
    "hangup": (CallState.DIALING, CallState.RINGING, CallState.CONNECTED, CallState.HELD),
    "consult_complete": (CallState.CONNECTED, CallState.HELD),
    "consult_cancel": (CallState.CONNECTED, CallState.HELD),
    "conference": (CallState.CONNECTED, CallState.HELD),
}
CONSULT_ACTIONS = ("consult_complete", "consult_cancel", "conference")


def apply_call_action(sim: Simulation, ix: Interaction, action: str, digits: str | None) -> None:
    call = ix.call
    assert call is not None
    if call.state not in _ALLOWED[action]:
        raise Conflict(f"cannot {action} a call that is {call.state.value}")
    if action == "mute" and call.muted:
        raise Conflict("the call is already muted")
    if action == "unmute" and not call.muted:
        raise Conflict("the call is not muted")
    if action in CONSULT_ACTIONS:
        _decide_consult(sim, ix, action)
        return
    if call.consult_state in ("talking",) and action == "resume":
        raise Conflict("the customer is on hold for the consult: complete, cancel or conference")
    if action == "hangup":
        end_contact(sim, ix, "agent_hangup")
        return
    if action == "hold":
        call.state, call.held_since = CallState.HELD, sim.now
        sim.timers.cancel("transcript", ix.id)
        sim.system_item(ix, "Call on hold", TimelineKind.CALL)
    elif action == "resume":
        call.hold_total_s += sim.now - (call.held_since or sim.now)
        call.state, call.held_since = CallState.CONNECTED, None
        sim.system_item(ix, "Call resumed", TimelineKind.CALL)
        sim.behaviour.schedule_transcript(ix)
    elif action in ("mute", "unmute"):
        call.muted = action == "mute"
    elif action == "dtmf":
        call.dtmf = (call.dtmf + (digits or ""))[-64:]
        # In the timeline too: the call bar shows only the last digits, and a
        # supervisor or the next agent reads what was keyed in the history.
        sim.system_item(ix, f"Keypad: {digits} sent", TimelineKind.CALL)
    sim.changed(ix)
    sim.emit("call.updated", CallData(interaction_id=ix.id, call=call), (ix.agent_id or "",))


def blind_transfer(sim: Simulation, ix: Interaction, agent_id: str, queue_id: str | None,
                   target_agent: str | None) -> None:
    if target_agent is not None:
        target = sim.agents[target_agent]
        if not _can_take(sim, ix, target_agent):
            raise Conflict(f"{target.name} cannot take a {ix.channel.value} now")
    _leave_agent(sim, ix, agent_id, queue_id, f"Transferred by {sim.agents[agent_id].name} to "
                 + (sim.agents[target_agent].name if target_agent else f"queue {queue_id}"))
    if target_agent is not None:
        sim.offer(ix, sim.agents[target_agent])


def _leave_agent(sim: Simulation, ix: Interaction, agent_id: str, queue_id: str | None,
                 note: str) -> None:
    if ix.call and ix.call.held_since is not None:
        ix.call.hold_total_s += sim.now - ix.call.held_since
        ix.call.held_since = None
    sim.timers.cancel("transcript", ix.id)
    ix.transferred_from = agent_id
    ix.accepted_at = None
    sim.requeue(ix, queue_id, fresh=True)
    sim.meta[ix.id].declined_by = [agent_id]
    sim.system_item(ix, note)
    sim.emit_ix("interaction.transferred", ix, "transferred", also=(agent_id,))
    sim._touched.add(agent_id)


def _can_take(sim: Simulation, ix: Interaction, agent_id: str) -> bool:
    agent = sim.agents[agent_id]
    active = routing.active_by_channel(agent_id, sim.work_of(agent_id),
                                       [c for c in sim.consults() if c[0] == agent_id])
    return routing.capacity_of(agent, active).channels[ix.channel].accepting


def start_consult(sim: Simulation, ix: Interaction, agent_id: str, queue_id: str | None,
                  target_agent: str | None) -> None:
    if target_agent is None:
        candidates = [a for a in sim.agents.values()
                      if a.id != agent_id and queue_id in a.queues]
        load = {a.id: routing.active_by_channel(a.id, sim.work_of(a.id)) for a in candidates}
        probe = ix.model_copy(update={"queue_id": queue_id})
        picked = routing.pick_agent(probe, InteractionMeta(queued_at=sim.now), candidates, load)
        if picked is None:
            raise Conflict(f"nobody in queue {queue_id} can take a consult now")
        target_agent = picked.id
    elif not _can_take(sim, ix, target_agent):
        raise Conflict(f"{sim.agents[target_agent].name} cannot take a consult now")
    meta = sim.meta[ix.id]
    meta.consult_agent = target_agent
    meta.consult_expires_at = sim.now + sim.scenario.consult_timeout_s
    meta.consult_queue = queue_id
    sim.timers.schedule("consult_timeout", ix.id, meta.consult_expires_at)
    if ix.call:
        ix.call.consult_agent_id = target_agent
        ix.call.consult_state = "ringing"
        sim.emit("call.updated", CallData(interaction_id=ix.id, call=ix.call), (agent_id,))
    sim.system_item(ix, f"Consulting {sim.agents[target_agent].name}")
    sim.emit_ix("interaction.updated", ix, "consult_started")
    view = consult_view(sim, ix, target_agent)
    sim.emit("interaction.offered", InteractionData(interaction=view, reason="consult"),
             (target_agent,))
    sim._touched.add(target_agent)
    sim.behaviour.on_consult(ix, target_agent)


def answer_consult(sim: Simulation, ix: Interaction, target: str) -> Interaction:
    """The consulted agent answered: the customer holds while the two agents
    talk, until the transferring agent decides. Returns the target's view."""
    call = ix.call
    if call is None:  # a chat or email: nobody waits on hold, it moves at once
        complete_consult(sim, ix, target)
        return ix
    meta = sim.meta[ix.id]
    meta.consult_expires_at = None
    sim.timers.cancel("consult_timeout", ix.id)
    if call is not None:
        call.consult_state = "talking"
        if call.state is CallState.CONNECTED:
            call.state, call.held_since = CallState.HELD, sim.now
            sim.timers.cancel("transcript", ix.id)
        sim.emit("call.updated", CallData(interaction_id=ix.id, call=call), (ix.agent_id or "",))
    sim.system_item(ix, f"{sim.agents[target].name} answered the consult; the customer is on hold",
                    TimelineKind.CALL)
    sim.emit_ix("interaction.updated", ix, "consult_answered")
    view = consult_view(sim, ix, target).model_copy(update={
        "state": ix.state, "offer_expires_at": None, "accepted_at": sim.now})
    sim.emit("interaction.updated", InteractionData(interaction=view, reason="consult_answered"),
             (target,))
    sim._touched.add(target)
    return view


def _decide_consult(sim: Simulation, ix: Interaction, action: str) -> None:
    """The transferring agent's decision on an answered consult."""
    meta = sim.meta[ix.id]
    call = ix.call
    assert call is not None
    target = meta.consult_agent
    if target is None:
        raise Conflict("no consult in progress")
    if action != "consult_cancel" and call.consult_state not in ("talking", "conference"):
        raise Conflict(f"{sim.agents[target].name} has not answered the consult yet")
    if action == "conference" and call.consult_state == "conference":
        raise Conflict("already in conference")
    owner = ix.agent_id or ""
    if call.state is CallState.HELD:  # the customer comes back in every case
        call.hold_total_s += sim.now - (call.held_since or sim.now)
        call.state, call.held_since = CallState.CONNECTED, None
        sim.behaviour.schedule_transcript(ix)
    if action == "consult_complete":
        complete_consult(sim, ix, target)
        return
    if action == "consult_cancel":
        sim.cancel_consult(ix, "cancelled")
        sim.system_item(ix, f"Consult with {sim.agents[target].name} ended: back to the customer",
                        TimelineKind.CALL)
    else:
        call.consult_state = "conference"
        sim.system_item(ix, f"Conference: {sim.agents[owner].name}, {sim.agents[target].name} "
                            "and the customer", TimelineKind.CALL)
        sim.emit_ix("interaction.updated", ix, "conference")
    sim.changed(ix)
    sim.emit("call.updated", CallData(interaction_id=ix.id, call=call), (owner,))


def complete_consult(sim: Simulation, ix: Interaction, target: str) -> None:
    """The transferring agent completed the consult: the interaction moves to the target."""
    original = ix.agent_id or ""
    meta = sim.meta[ix.id]
    meta.consult_agent = meta.consult_expires_at = None
    sim.timers.cancel("consult_timeout", ix.id)
    if meta.consult_queue and meta.consult_queue in sim.queues:
        ix.queue_id = meta.consult_queue
    meta.consult_queue = None
    ix.transferred_from = original
    ix.agent_id = target
    ix.accepted_at = sim.now
    if ix.call:
        ix.call.consult_agent_id = ix.call.consult_state = None
    sim.system_item(ix, f"Warm transfer from {sim.agents[original].name} to "
                        f"{sim.agents[target].name} completed")
    sim.emit_ix("interaction.transferred", ix, "transferred", also=(original,))
    sim.emit_ix("interaction.accepted", ix)
    if ix.call:
        sim.emit("call.updated", CallData(interaction_id=ix.id, call=ix.call), (target,))
    sim._touched.update({original, target})
    sim.behaviour.on_accepted(ix)

