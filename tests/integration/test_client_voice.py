"""Real client, real mock server: a voice call end to end, and transfers."""

from __future__ import annotations

from agentdesk.backends.base import new_client_id
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import (
    CallAction,
    CallState,
    Channel,
    InteractionState,
    TimelineKind,
    TransferMode,
)

from .conftest import Connect, for_ix


async def test_call_hold_mute_dtmf_transcript_hangup_wrapup(connect: Connect, sim: SimControl) -> None:
    agent = await connect("agent1")
    b = agent.backend
    iid = await sim.new_contact("voice", topic=None)
    offered = await agent.event("interaction.offered", for_ix(iid))
    assert offered.interaction.channel is Channel.VOICE
    assert offered.interaction.call is not None
    assert offered.interaction.call.state is CallState.RINGING

    ix = await b.accept(iid, new_client_id())
    assert ix.call is not None and ix.call.state is CallState.CONNECTED
    await agent.event("call.updated", lambda e: e.interaction_id == iid
                      and e.call.state is CallState.CONNECTED)

    # live transcript: segments arrive as the (manual) clock moves
    await sim.advance(10)
    segment = await agent.event("transcript.segment", for_ix(iid))
    assert segment.item.kind is TimelineKind.TRANSCRIPT
    assert segment.item.speaker in ("customer", "agent") and segment.item.body

    held = await b.call_action(iid, CallAction.HOLD, new_client_id())
    assert held.call is not None and held.call.state is CallState.HELD
    await agent.event("call.updated", lambda e: e.call.state is CallState.HELD)
    await sim.advance(5)
    resumed = await b.call_action(iid, CallAction.RESUME, new_client_id())
    assert resumed.call is not None and resumed.call.state is CallState.CONNECTED
    assert resumed.call.hold_total_s >= 5

    muted = await b.call_action(iid, CallAction.MUTE, new_client_id())
    assert muted.call is not None and muted.call.muted
    await agent.event("call.updated", lambda e: e.call.muted)
    unmuted = await b.call_action(iid, CallAction.UNMUTE, new_client_id())
    assert unmuted.call is not None and not unmuted.call.muted

    dialled = await b.call_action(iid, CallAction.DTMF, new_client_id(), digits="12#")
    assert dialled.call is not None and dialled.call.dtmf.endswith("12#")

    hung = await b.call_action(iid, CallAction.HANGUP, new_client_id())
    assert hung.state is InteractionState.WRAPUP
    assert hung.call is not None and hung.call.state is CallState.ENDED
    await agent.event("interaction.ended", for_ix(iid))

    closed = await b.wrapup(iid, (await b.list_dispositions())[0].code, new_client_id())
    assert closed.state is InteractionState.CLOSED

    # the call's story is in the customer's timeline
    page = await b.get_timeline(ix.customer_id, limit=500)
    kinds = {i.kind for i in page.items if i.interaction_id == iid}
    assert {TimelineKind.CALL, TimelineKind.TRANSCRIPT} <= kinds


async def test_blind_transfer_to_an_agent_and_to_a_queue(connect: Connect, sim: SimControl) -> None:
    first = await connect("agent1")
    second = await connect("agent2", available=False)
    iid = await sim.new_contact("voice")
    await first.event("interaction.offered", for_ix(iid))
    await first.backend.accept(iid, new_client_id())

    await second.backend.set_presence("available")  # type: ignore[arg-type]
    moved = await first.backend.transfer(iid, new_client_id(), agent_id="agent2",
                                         mode=TransferMode.BLIND)
    assert moved.agent_id == "agent2" and moved.transferred_from == "agent1"
    await first.event("interaction.transferred", for_ix(iid))
    offered = await second.event("interaction.offered", for_ix(iid))
    assert offered.interaction.transferred_from == "agent1"
    await second.backend.accept(iid, new_client_id())

    queue = offered.interaction.queue_id
    await second.backend.transfer(iid, new_client_id(), queue_id=queue)
    await second.event("interaction.transferred", for_ix(iid))
    # back in the queue, it is offered to the only other available agent
    back = await first.event("interaction.offered", for_ix(iid))
    assert back.interaction.agent_id == "agent1"
