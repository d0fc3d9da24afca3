"""An agent's day on the fake Chatwoot: a conversation arrives over the cable,
is taken, answered, noted, transferred and resolved; the unified timeline and
the customer panel; typing both ways."""

from __future__ import annotations

import pytest

from agentdesk.backends.base import BackendCommandError
from agentdesk.domain.events import CustomerTyping, InteractionChanged
from agentdesk.domain.events import InteractionChange as Ch
from agentdesk.domain.models import Channel, Direction, InteractionState, TimelineKind

from .chatwoot_support import chatwoot_desk


async def test_arrive_take_reply_note_canned_transfer_resolve() -> None:
    async with chatwoot_desk() as (fake, desk):
        backend = desk.backend
        conv = await fake.new_conversation("Grace Hopper", "My invoice is wrong")
        offered = await desk.change(Ch.OFFERED, conv.id)
        assert offered.interaction.customer_name == "Grace Hopper"
        first = await desk.item(lambda i: i.interaction_id == str(conv.id))
        assert (first.item.body, first.item.direction) == ("My invoice is wrong",
                                                           Direction.INBOUND)

        taken = await backend.accept(str(conv.id), "take-1")
        assert taken.state is InteractionState.ACTIVE and taken.agent_id == "7"
        await desk.change(Ch.ACCEPTED, conv.id)
        assert fake.world.conversations[conv.id].assignee_id == 7
        assert (await backend.accept(str(conv.id), "take-1")).agent_id == "7"  # idempotent
        assert fake.posts("/assignments") == 1

        canned = {c.shortcut: c.body for c in await backend.list_canned_responses()}
        sent = await backend.send_message(str(conv.id), canned["hi"], "reply-1")
        assert sent.client_id == "reply-1" and sent.direction is Direction.OUTBOUND
        echo = await desk.item(lambda i: i.client_id == "reply-1")
        assert echo.item.id == sent.id and echo.item.body.startswith("Hello")

        note = await backend.send_message(str(conv.id), "Checked billing: refund due",
                                          "note-1", kind="note")
        noted = await desk.item(lambda i: i.client_id == "note-1")
        assert noted.item.kind is TimelineKind.NOTE and noted.item.direction is Direction.INTERNAL
        assert fake.world.messages[-1].private is True and note.id == noted.item.id

        done = await backend.wrapup(str(conv.id), "billing", "wrap-1")
        assert done.state is InteractionState.CLOSED
        closed = await desk.change(Ch.CLOSED, conv.id)
        assert closed.reason == "resolved"
        assert fake.world.conversations[conv.id].status == "resolved"
        assert fake.world.conversations[conv.id].labels == ["billing"]

        # A second conversation goes to the billing team (Ada is not in it).
        other = await fake.new_conversation("Alan Turing", "Password reset", assignee_id=7)
        await desk.change(Ch.ACCEPTED, other.id)
        moved = await backend.transfer(str(other.id), "xfer-1", team_id="1")
        assert moved.queue_id == "team:1"
        gone = await desk.change(Ch.TRANSFERRED, other.id)
        assert gone.reason == "transferred to a team"
        assert fake.world.conversations[other.id].team_id == 1
        assert fake.world.conversations[other.id].assignee_id is None
        # Unassigned in Ada's inbox, but she handed it off: it is not offered back to her.
        assert backend.tracker.relation(backend.tracker.views[str(other.id)]).value == "gone"

        # Nothing was delivered twice along the way.
        ids = desk.added_ids()
        assert len(ids) == len(set(ids))
        assert fake.posts("/messages") == 2


async def test_wrapup_keeps_labels_and_supports_pending_snooze_and_notes() -> None:
    async with chatwoot_desk() as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "Hi", assignee_id=7)
        fake.world.conversations[conv.id].labels = ["vip"]
        await desk.backend.wrapup(str(conv.id), "pending:billing,refund", "w-1",
                                  notes="waiting for finance")
        c = fake.world.conversations[conv.id]
        assert (c.status, c.labels) == ("pending", ["vip", "billing", "refund"])
        assert fake.world.messages[-1].private and fake.world.messages[-1].content == \
            "waiting for finance"
        await desk.backend.wrapup(str(conv.id), "pending:billing,refund", "w-1",
                                  notes="waiting for finance")  # a retry: nothing doubled
        assert fake.posts("/labels") == 1 and fake.posts("/messages") == 1

        await fake.set_status(conv.id, "open")
        await desk.backend.wrapup(str(conv.id), "snooze@1767225600", "w-2")
        assert (c.status, c.snoozed_until) == ("snoozed", 1767225600)
        for bad, why in (("resolve:bad label", "not a Chatwoot label"),
                         ("close:billing", "unknown wrap-up action"),
                         ("resolve@123", "only snooze takes a time"), ("", "empty")):
            with pytest.raises(BackendCommandError) as refused:
                await desk.backend.wrapup(str(conv.id), bad, "w-bad")
            assert why in refused.value.message and refused.value.status == 422


async def test_offer_taken_by_another_agent_leaves_and_cannot_be_taken() -> None:
    async with chatwoot_desk() as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "Hello?")
        await desk.change(Ch.OFFERED, conv.id)
        await fake.assign(conv.id, 9)
        taken = await desk.change(Ch.TRANSFERRED, conv.id)
        assert taken.reason == "taken by Bob"
        with pytest.raises(BackendCommandError) as refused:
            await desk.backend.accept(str(conv.id), "late")
        assert refused.value.message == "Bob has already taken this conversation"
        assert fake.world.conversations[conv.id].assignee_id == 9


async def test_reject_hides_the_offer_locally_only() -> None:
    async with chatwoot_desk() as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "Hello?")
        await desk.change(Ch.OFFERED, conv.id)
        left = await desk.backend.reject(str(conv.id), "rej-1")
        assert left.state is InteractionState.QUEUED
        await desk.change(Ch.REJECTED, conv.id)
        assert fake.world.conversations[conv.id].assignee_id is None
        assert [i.id for i in await desk.backend.list_interactions()] == []
        # Still takeable later (someone assigns it to me): it comes back as a tab.
        await fake.assign(conv.id, 7)
        await desk.change(Ch.ACCEPTED, conv.id)


async def test_unified_timeline_across_inboxes_paged_with_email_and_attachments() -> None:
    async with chatwoot_desk(stream=False) as (fake, desk):
        chat = await fake.new_conversation("Grace Hopper", "chat 0", assignee_id=7)
        for n in range(1, 24):
            await fake.customer_message(chat.id, f"chat {n}")
        mail = await fake.new_conversation("", "Invoice attached", inbox_id=2,
                                           contact_id=chat.contact_id, subject="Invoice 42",
                                           attachments=[{"data_url": "https://files.example/i.pdf",
                                                         "file_type": "file",
                                                         "file_size": 123456}])
        await fake.customer_message(mail.id, "cc'd my boss", subject="Invoice 42",
                                    cc=["boss@example.net"])
        conv = fake.world.conversations[chat.id]
        fake.world.message(conv, 2, "Conversation was marked resolved by Ada")

        first = await desk.backend.get_timeline(str(chat.contact_id), limit=10)
        assert first.has_more and len(first.items) == 10
        ats = [(i.at, int(i.id)) for i in first.items]
        assert ats == sorted(ats)
        newest = first.items[-1]
        assert newest.kind is TimelineKind.SYSTEM and newest.direction is Direction.INTERNAL
        email = [i for i in first.items if i.channel is Channel.EMAIL]
        assert email[0].body.splitlines()[1] == \
            "[attachment: file, 120.6 KB] https://files.example/i.pdf"
        assert email[1].subject == "Invoice 42" and email[1].cc == ["boss@example.net"]

        seen = [i.id for i in first.items]
        before = first.items[0].id
        while True:
            page = await desk.backend.get_timeline(str(chat.contact_id), before=before, limit=10)
            seen[:0] = [i.id for i in page.items]
            if not page.has_more:
                break
            before = page.items[0].id
        assert len(seen) == len(set(seen)) == 27  # 24 chat + 2 email + 1 activity
        assert {i.channel for i in first.items} == {Channel.CHAT, Channel.EMAIL}


async def test_customer_panel_has_attributes_and_previous_conversations() -> None:
    async with chatwoot_desk(stream=False) as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "Hi", assignee_id=7)
        old = await fake.new_conversation("", "Earlier", inbox_id=4, contact_id=conv.contact_id)
        fake.world.conversations[old.id].labels = ["refund"]
        await fake.set_status(old.id, "resolved")
        detail = await desk.backend.get_customer(str(conv.contact_id))
        assert detail.customer.name == "Grace Hopper"
        assert detail.customer.email == "grace@example.net"
        assert detail.customer.attributes == {"city": "Lisbon", "plan": "gold"}
        assert detail.customer.location == "Lisbon"
        summary = {c.interaction_id: c for c in detail.contacts}
        assert summary[str(old.id)].channel is Channel.SOCIAL
        assert summary[str(old.id)].state is InteractionState.CLOSED
        assert summary[str(old.id)].disposition == "refund"
        assert summary[str(conv.id)].state is InteractionState.ACTIVE


async def test_typing_both_ways_and_read_marks() -> None:
    async with chatwoot_desk() as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "Hi", assignee_id=7)
        await desk.change(Ch.ACCEPTED, conv.id)
        await fake.customer_typing(conv.id, True)
        typing = await desk.next(CustomerTyping)
        assert (typing.interaction_id, typing.typing) == (str(conv.id), True)
        await fake.customer_typing(conv.id, False)
        assert (await desk.next(CustomerTyping)).typing is False

        await desk.backend.set_typing(str(conv.id), True)
        assert fake.agent_typing[conv.id] == "on"
        await desk.backend.set_typing(str(conv.id), True)  # every keystroke: sent once
        await desk.backend.set_typing(str(conv.id), False)
        assert fake.agent_typing[conv.id] == "off"
        assert fake.posts("/toggle_typing_status") == 2

        await fake.customer_message(conv.id, "anyone?")
        unread = await desk.next(InteractionChanged, lambda e: e.change is Ch.UPDATED
                                 and e.interaction.unread == 2)
        assert unread.interaction.id == str(conv.id)
        await desk.backend.mark_read(str(conv.id))
        read = await desk.next(InteractionChanged, lambda e: e.change is Ch.UPDATED
                               and e.interaction.unread == 0)
        assert read.interaction.id == str(conv.id)
        assert fake.world.unread(fake.world.conversations[conv.id]) == 0
