"""The Chatwoot backend when things go wrong: the cable drops and comes back
(catch-up once, nothing doubled), a send's answer is lost (echo_id, never
posted twice), malformed frames, a refused subscription, other accounts'
events, stale snapshots, hostile text."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sys
from pathlib import Path

import pytest

from agentdesk.backends.base import BackendConnectionError, LinkState, ProtocolProblem
from agentdesk.domain.events import InteractionChange as Ch
from agentdesk.domain.events import InteractionChanged, ItemAdded
from agentdesk.testing.chatwoot import running_chatwoot

from .chatwoot_support import ADA, FAST_CABLE, Desk, chatwoot_desk, new_backend

sys.path.insert(0, str(Path(__file__).parents[1] / "data"))
from hostile import HOSTILE_SHORT

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


async def _outage(fake, desk: Desk) -> None:
    """The cable goes down and stays down until `fake.refuse_cable = False`."""
    fake.refuse_cable = True
    await fake.drop_cables()
    await desk.link(LinkState.RECONNECTING)


async def test_drop_then_catch_up_once_with_nothing_doubled() -> None:
    async with chatwoot_desk() as (fake, desk):
        backend = desk.backend
        conv = await fake.new_conversation("Grace Hopper", "first", assignee_id=7)
        await desk.change(Ch.ACCEPTED, conv.id)
        await desk.item(lambda i: i.body == "first")
        await backend.get_timeline(str(conv.contact_id))  # the desk shows the timeline

        await _outage(fake, desk)
        missed = await fake.customer_message(conv.id, "sent while you were away")
        other = await fake.new_conversation("Alan Turing", "new while away", assignee_id=7)
        gone = await fake.new_conversation("Ada Byron", "resolved while away", assignee_id=7)
        fake.refuse_cable = False
        await desk.link(LinkState.CONNECTED)

        caught = await desk.item(lambda i: i.id == str(missed))
        assert caught.item.body == "sent while you were away"
        await desk.change(Ch.ACCEPTED, other.id)
        await desk.change(Ch.ACCEPTED, gone.id)

        # A second drop: the catch-up finds nothing new, and live events flow again.
        await _outage(fake, desk)
        await fake.set_status(gone.id, "resolved")
        fake.refuse_cable = False
        await desk.link(LinkState.CONNECTED)
        await desk.change(Ch.CLOSED, gone.id)
        await fake.customer_message(conv.id, "live again")
        await desk.item(lambda i: i.body == "live again")

        ids = desk.added_ids()
        assert ids.count(str(missed)) == 1
        assert len(ids) == len(set(ids))
        assert backend.diagnostics.reconnects == 2


async def test_a_send_whose_answer_was_lost_is_found_by_its_echo() -> None:
    async with chatwoot_desk() as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "hi", assignee_id=7)
        await desk.change(Ch.ACCEPTED, conv.id)
        fake.lose_answers.append(("POST", "/messages"))
        with pytest.raises(BackendConnectionError):
            await desk.backend.send_message(str(conv.id), "On it!", "send-1")
        echo = await desk.item(lambda i: i.client_id == "send-1")
        again = await desk.backend.send_message(str(conv.id), "On it!", "send-1")  # outbox retry
        assert again.id == echo.item.id
        assert fake.posts("/messages") == 1
        assert [m.content for m in fake.world.messages].count("On it!") == 1


async def test_a_lost_answer_during_a_drop_is_found_in_the_message_list() -> None:
    async with chatwoot_desk() as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "hi", assignee_id=7)
        await desk.change(Ch.ACCEPTED, conv.id)
        await desk.item(lambda i: i.body == "hi")
        await _outage(fake, desk)
        fake.lose_answers.append(("POST", "/messages"))
        with pytest.raises(BackendConnectionError):
            await desk.backend.send_message(str(conv.id), "Checking now", "send-2")
        again = await desk.backend.send_message(str(conv.id), "Checking now", "send-2")
        assert again.client_id == "send-2" and again.body == "Checking now"
        assert fake.posts("/messages") == 1
        # Back online: the catch-up delivers it once, still carrying its client_id.
        fake.refuse_cable = False
        delivered = await desk.item(lambda i: i.id == again.id)
        assert delivered.item.client_id == "send-2"
        assert desk.added_ids().count(again.id) == 1
        # A genuinely new message with the same text is sent (a new client_id).
        await desk.backend.send_message(str(conv.id), "Checking now", "send-3")
        assert fake.posts("/messages") == 2


async def test_malformed_frames_are_problems_and_the_stream_goes_on() -> None:
    async with chatwoot_desk() as (fake, desk):
        await fake.push_raw("not json at all")
        await fake.push_raw('{"type": "weird"}')
        await fake.push_raw('{"identifier": "x", "message": {"event": "message.created"}}')
        await fake.push("message.created", {"id": 5, "content": "no conversation"})
        problems = [await desk.next(ProtocolProblem) for _ in range(4)]
        assert all("\n" not in p.detail for p in problems)
        assert desk.backend.diagnostics.malformed == 4
        conv = await fake.new_conversation("Grace Hopper", "still here")
        await desk.change(Ch.OFFERED, conv.id)


async def test_other_accounts_and_stale_snapshots_are_dropped() -> None:
    async with chatwoot_desk() as (fake, desk):
        conv = await fake.new_conversation("Grace Hopper", "hi", assignee_id=7)
        await desk.change(Ch.ACCEPTED, conv.id)
        world = fake.world
        stale = world.conversation_push(world.conversations[conv.id])
        await fake.assign(conv.id, 9)
        await desk.change(Ch.TRANSFERRED, conv.id)
        # An older snapshot (Sidekiq is unordered) must not bring the tab back.
        await fake.push("conversation.updated", {**stale, "updated_at": stale["updated_at"] - 5})
        msg = world.message(world.conversations[conv.id], 0, "other account")
        data = world.message_json(msg, push=True)
        for cable in fake.cables:  # account 2 on the same user's stream
            await cable.send({"identifier": cable.ident, "message": {
                "event": "message.created", "data": {**data, "account_id": 2}}})
        marker = await fake.new_conversation("Alan Turing", "marker")
        await desk.change(Ch.OFFERED, marker.id)
        seen = [x for x in desk.log if isinstance(x, (InteractionChanged, ItemAdded))]
        assert not any(isinstance(x, InteractionChanged) and x.interaction.id == str(conv.id)
                       and x.change is Ch.ACCEPTED for x in seen[1:])
        assert str(msg.id) not in desk.added_ids()


@pytest.mark.parametrize("reject", [False, True])
async def test_a_refused_subscription_asks_for_sign_in(reject: bool) -> None:
    async with running_chatwoot(ping_interval=1.0) as fake:
        fake.reject_subscriptions = reject
        policy = dataclasses.replace(FAST_CABLE, confirm_timeout=1.0)
        desk = Desk(new_backend(fake, cable_policy=policy))
        try:
            await desk.backend.login(*ADA)
            fake.world.users[7].pubsub_token = "rotated"  # e.g. reset elsewhere
            desk.task = asyncio.create_task(desk._read())
            status = await desk.next(
                object, lambda s: getattr(s, "state", None) is LinkState.RECONNECTING
                and "not authorised" in s.detail)
            assert status.attempt >= 1 and desk.backend.link_auth_failed
            await desk.backend.use_token(fake.world.users[7].access_token)  # signs in again
            await desk.link(LinkState.CONNECTED)
            assert not desk.backend.link_auth_failed
        finally:
            await desk.stop()


async def test_hostile_text_from_chatwoot_comes_out_sanitised() -> None:
    async with chatwoot_desk() as (fake, desk):
        texts = [t for t in HOSTILE_SHORT if t.strip()]
        conv = await fake.new_conversation(texts[0], texts[1], assignee_id=7,
                                           subject=texts[2])
        fake.world.contacts[conv.contact_id].custom_attributes = {
            texts[3]: texts[4], "plan": texts[5]}
        for text in texts[6:]:
            await fake.customer_message(conv.id, text)
        await desk.item(lambda i: i.id == str(fake.world.messages[-1].id))
        page = await desk.backend.get_timeline(str(conv.contact_id), limit=500)
        detail = await desk.backend.get_customer(str(conv.contact_id))
        inters = await desk.backend.list_interactions()
        produced = [*desk.log, page, detail, *inters]
        strings = _strings(produced)
        assert len(page.items) == len(texts) - 5
        bad = [s for s in strings if UNSAFE.search(s.replace("\n", "").replace("\t", ""))]
        assert bad == []
        # Outgoing: text the agent pasted with a lone surrogate goes out with "?" in its place.
        sent = await desk.backend.send_message(str(conv.id), "lone \ud800 surrogate", "h-1")
        assert fake.world.messages[-1].content == "lone ? surrogate" == sent.body


def _strings(objs: list[object]) -> list[str]:
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif hasattr(value, "model_dump"):
            walk(value.model_dump())
        elif dataclasses.is_dataclass(value):
            walk(dataclasses.asdict(value))

    for obj in objs:
        walk(obj)
    return out


async def test_a_silent_cable_is_a_dead_link_and_is_replaced() -> None:
    """No ping within `stale_after` (the server pings every 3 s): reconnect, as the
    official ActionCable client's connection monitor does."""
    async with running_chatwoot(ping_interval=3600.0) as fake:
        policy = dataclasses.replace(FAST_CABLE, stale_after=0.5)
        desk = Desk(new_backend(fake, cable_policy=policy))
        try:
            await desk.backend.login(*ADA)
            await desk.start()
            dead = await desk.next(object, lambda s: getattr(s, "state", None)
                                   is LinkState.RECONNECTING and "dead link" in s.detail)
            assert dead.attempt == 1
            await desk.link(LinkState.CONNECTED)
            assert desk.backend.diagnostics.reconnects >= 1
        finally:
            await desk.stop()


@pytest.mark.parametrize("posted", [True, False])
async def test_a_crash_between_post_and_mark_sent_does_not_double_the_message(
        tmp_path: Path, posted: bool) -> None:
    """The desk dies after the outbox marked a message sending (its attempt is on
    disk) and after (or before) the POST reached Chatwoot, but before it was marked
    sent. The restarted desk (a new outbox on the same file, a new backend that
    remembers nothing) finds the message in the conversation and marks it sent
    instead of posting it again; one that never arrived is posted once."""
    from agentdesk.store.outbox import Outbox, OutboxKind, OutboxState
    from agentdesk.store.sender import CommandSender

    async with running_chatwoot() as fake:
        conv = await fake.new_conversation("Grace Hopper", "hi", assignee_id=7)
        await fake.customer_message(conv.id, "Still there?")
        db = tmp_path / "desk.db"

        # The first process: queued, attempt recorded, POST made; then killed.
        first = new_backend(fake)
        await first.login(*ADA)
        outbox = Outbox(db)
        outbox.add(OutboxKind.MESSAGE, str(conv.id), {"body": "Refund on its way",
                                                      "kind": "reply"}, client_id="crash-1")
        outbox.mark_sending("crash-1")
        if posted:
            await first.send_message(str(conv.id), "Refund on its way", "crash-1")
        outbox.close()  # nothing more is written: no mark_sent
        await first.close()
        assert fake.posts("/messages") == (1 if posted else 0)

        # The restart: the same file, a fresh backend, the sender drains the outbox.
        outbox = Outbox(db)
        second = new_backend(fake)
        await second.login(*ADA)
        sender = CommandSender(second, outbox, backoff_base=0.05, backoff_cap=0.2)
        sender.start()
        try:
            await sender.wait_idle(10)
        finally:
            await sender.stop()
            await second.close()
        item = outbox.get("crash-1")
        outbox.close()
        assert item is not None and item.state is OutboxState.SENT and item.attempts == 2
        assert fake.posts("/messages") == 1
        assert [m.content for m in fake.world.messages].count("Refund on its way") == 1
