"""Real client, real mock server: offers, accept/reject, chat, email, wrap-up."""

from __future__ import annotations

import pytest

from agentdesk.backends.base import BackendCommandError, new_client_id
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import (
    Direction,
    InteractionState,
    Presence,
    RoutingState,
    TimelineKind,
)

from .conftest import Connect, for_ix

HOSTILE = "Hi\x1b[2J\x1b]0;owned\x07 there\u202e [bold red]x[/] \x00\x9b31m"


async def test_chat_offer_accept_exchange_and_wrapup(connect: Connect, sim: SimControl) -> None:
    agent = await connect("agent1")
    b = agent.backend
    iid = await sim.new_contact("chat", text="My router keeps rebooting")

    offered = await agent.event("interaction.offered", for_ix(iid))
    ix = offered.interaction
    assert ix.state is InteractionState.OFFERED and ix.agent_id == "agent1"
    assert ix.offer_expires_at is not None and ix.offer_expires_at > offered.at

    cid = new_client_id()
    accepted = await b.accept(iid, cid)
    assert accepted.state is InteractionState.ACTIVE
    await agent.event("interaction.accepted", for_ix(iid))

    # agent -> customer
    reply = await b.send_message(iid, "Sorry to hear that! Let me check.", new_client_id())
    assert reply.direction is Direction.OUTBOUND and reply.kind is TimelineKind.MESSAGE
    echoed = await agent.event("message.created", lambda e: e.item.id == reply.id)
    assert echoed.item.body == "Sorry to hear that! Let me check."

    # customer -> agent, hostile text arrives sanitised
    await sim.customer_message(iid, HOSTILE)
    inbound = await agent.event(
        "message.created",
        lambda e: e.item.interaction_id == iid and e.item.direction is Direction.INBOUND
        and "there" in e.item.body,
    )
    body = inbound.item.body
    assert "\x1b" not in body and "\u202e" not in body and "\x00" not in body and "\x9b" not in body
    assert "[bold red]x[/]" in body  # markup stays literal text

    # a private note
    note = await b.send_message(iid, "customer sounds upset", new_client_id(), kind="note")
    assert note.kind is TimelineKind.NOTE and note.direction is Direction.INTERNAL

    # the unified timeline has all of it, oldest first
    page = await b.get_timeline(ix.customer_id, limit=200)
    bodies = [i.body for i in page.items if i.interaction_id == iid]
    assert "My router keeps rebooting" in bodies
    assert bodies.index("Sorry to hear that! Let me check.") < bodies.index(body)
    assert [i.at for i in page.items] == sorted(i.at for i in page.items)
    await b.mark_read(iid)

    # the customer leaves; wrap-up with a disposition
    await sim.end(iid)
    ended = await agent.event("interaction.ended", for_ix(iid))
    assert ended.interaction.state is InteractionState.WRAPUP
    disposition = (await b.list_dispositions())[0].code
    closed = await b.wrapup(iid, disposition, new_client_id(), notes="rebooted the router")
    assert closed.state is InteractionState.CLOSED and closed.disposition == disposition
    await agent.event("interaction.closed", for_ix(iid))
    assert await b.list_interactions() == [] or all(
        i.state is InteractionState.CLOSED for i in await b.list_interactions()
    )
    info = (await b.me())[1]
    assert info is not None and info.routing_state is RoutingState.IDLE

    # the customer's profile lists the contact
    detail = await b.get_customer(ix.customer_id)
    assert iid in [c.interaction_id for c in detail.contacts]


async def test_email_with_subject_and_cc(connect: Connect, sim: SimControl) -> None:
    agent = await connect("agent1")
    b = agent.backend
    iid = await sim.new_contact("email", subject="Invoice INV-42 is wrong", text="Please fix it.")
    offered = await agent.event("interaction.offered", for_ix(iid))
    assert offered.interaction.subject == "Invoice INV-42 is wrong"
    await b.accept(iid, new_client_id())
    sent = await b.send_message(
        iid, "Dear customer,\n\nfixed.\n\nRegards", new_client_id(),
        subject="Re: Invoice INV-42 is wrong", cc=["billing@example.com"],
    )
    assert sent.subject == "Re: Invoice INV-42 is wrong"
    assert sent.cc == ["billing@example.com"]
    assert sent.body.count("\n") == 4  # newlines survive the sanitiser
    event = await agent.event("message.created", lambda e: e.item.id == sent.id)
    assert event.item.subject == sent.subject


async def test_reject_sends_the_offer_elsewhere(connect: Connect, sim: SimControl) -> None:
    first = await connect("agent1")
    second = await connect("agent2", available=False)
    iid = await sim.new_contact("sms", text="hello?")
    await first.event("interaction.offered", for_ix(iid))
    await first.backend.reject(iid, new_client_id())
    rejected = await first.event("interaction.rejected", for_ix(iid))
    assert rejected.interaction.agent_id != "agent1"
    await second.backend.set_presence(Presence.AVAILABLE)
    again = await second.event("interaction.offered", for_ix(iid))
    assert again.interaction.agent_id == "agent2"
    # accepting what is no longer yours is refused with the server's reason
    with pytest.raises(BackendCommandError) as info:
        await first.backend.accept(iid, new_client_id())
    assert info.value.status in (403, 409) and info.value.message
    await second.backend.accept(iid, new_client_id())


async def test_customer_typing_reaches_the_agent(connect: Connect, sim: SimControl) -> None:
    agent = await connect("agent1")
    iid = await sim.new_contact("chat", text="hi")
    await agent.event("interaction.offered", for_ix(iid))
    await agent.backend.accept(iid, new_client_id())
    await sim.typing(iid)
    assert (await agent.event("customer.typing", for_ix(iid))).typing is True
    await sim.typing(iid, False)
    assert (await agent.event("customer.typing", for_ix(iid))).typing is False
