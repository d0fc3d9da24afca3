"""Recording disclosure on calls: the agent confirms it was given, or the
customer declines and recording pauses (no transcript for that stretch).

Every call starts `pending`. A customer without recording consent on file
starts with recording paused. A connected call still `pending` after
`OVERDUE_S` is flagged to supervisors (`interaction.updated`, reason
`disclosure_overdue`); they also see `disclosure` in every `call.updated`.

Simulated agents (bots) give the notice `BOT_CONFIRM_S` after connecting, as
people mostly do, except on every `BOT_FORGETS_EVERY`-th call (by interaction
number, no randomness drawn), so a supervisor's feed shows the odd overdue one
rather than every bot call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain.models import CallInfo, Interaction, TimelineKind
from agentdesk.mockserver.sim.errors import Conflict
from agentdesk.protocol.events import CallData

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation

OVERDUE_S = 30.0
BOT_CONFIRM_S = 5.0
BOT_FORGETS_EVERY = 8
ACTIONS = ("confirm", "decline", "resume")


def on_connected(sim: Simulation, ix: Interaction) -> None:
    """A call is connected (inbound accepted, outbound answered)."""
    call = ix.call
    if call is None:
        return
    if not sim.customers.customers[ix.customer_id].consent.recording and call.recording:
        call.recording = False
        sim.system_item(ix, "No recording consent on file: recording paused", TimelineKind.CALL)
    if call.disclosure == "pending":
        sim.schedule("disclosure_overdue", ix.id, OVERDUE_S)
        agent = sim.agents.get(ix.agent_id or "")
        digits = "".join(ch for ch in ix.id if ch.isdigit())
        if agent is not None and agent.bot and int(digits or 0) % BOT_FORGETS_EVERY:
            sim.schedule("bot_disclosure", ix.id, BOT_CONFIRM_S)


def on_bot_confirm(sim: Simulation, ix: Interaction) -> None:
    if ix.call is not None and ix.call.disclosure == "pending" and ix.call.ended_at is None:
        apply(sim, ix, "confirm")


def on_overdue(sim: Simulation, ix: Interaction) -> None:
    if ix.call is not None and ix.call.disclosure == "pending" and ix.call.ended_at is None:
        sim.emit_ix("interaction.updated", ix, "disclosure_overdue")


def apply(sim: Simulation, ix: Interaction, action: str) -> None:
    call = ix.call
    assert call is not None
    if action == "confirm":
        if call.disclosure == "confirmed":
            raise Conflict("the recording disclosure is already confirmed")
        call.disclosure = "confirmed"
        note = "Recording disclosure given"
    elif action == "decline":
        if call.disclosure == "declined" and not call.recording:
            raise Conflict("the customer already declined: recording is paused")
        call.disclosure, call.recording = "declined", False
        note = "The customer declined recording: recording paused"
    else:
        if call.recording:
            raise Conflict("recording is not paused")
        call.recording = True
        note = "Recording resumed"
    sim.timers.cancel("disclosure_overdue", ix.id)
    sim.system_item(ix, note, TimelineKind.CALL)
    _updated(sim, ix, call)


def _updated(sim: Simulation, ix: Interaction, call: CallInfo) -> None:
    sim.changed(ix)
    sim.emit("call.updated", CallData(interaction_id=ix.id, call=call), (ix.agent_id or "",))
