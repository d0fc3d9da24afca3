"""The Chatwoot adapter's pure parts: channel and presence mapping, both
conversation shapes, messages (notes, activity, email, attachments), the
wrap-up string, and the de-duplicating tracker."""

from __future__ import annotations

import pytest

from agentdesk.backends.base import BackendCommandError
from agentdesk.backends.chatwoot.mapping import (
    MappingError,
    as_time,
    channel_of,
    conversation_view,
    human_size,
    message_item,
    presence_of,
)
from agentdesk.backends.chatwoot.tracker import Relation, Tracker
from agentdesk.backends.chatwoot.wrapup import Wrapup, parse_disposition
from agentdesk.domain.events import InteractionChange as Ch
from agentdesk.domain.models import Channel, Direction, InteractionState, Presence, TimelineKind


@pytest.mark.parametrize(("channel_type", "medium", "expected"), [
    ("Channel::WebWidget", "", Channel.CHAT),
    ("Channel::Api", "", Channel.CHAT),
    ("Channel::Email", "", Channel.EMAIL),
    ("Channel::Sms", "", Channel.SMS),
    ("Channel::TwilioSms", "sms", Channel.SMS),
    ("Channel::TwilioSms", "whatsapp", Channel.SOCIAL),
    ("Channel::Whatsapp", "", Channel.SOCIAL),
    ("Channel::FacebookPage", "", Channel.SOCIAL),
    ("Channel::Instagram", "", Channel.SOCIAL),
    ("Channel::Telegram", "", Channel.SOCIAL),
    ("Channel::Line", "", Channel.SOCIAL),
    ("Channel::SomethingNew", "", Channel.CHAT),
])
def test_channel_from_inbox_type(channel_type: str, medium: str, expected: Channel) -> None:
    assert channel_of(channel_type, medium) is expected


def test_presence_mapping_and_times() -> None:
    assert [presence_of(x) for x in ("online", "busy", "offline", "weird", None)] == [
        Presence.AVAILABLE, Presence.AWAY, Presence.OFFLINE, Presence.OFFLINE, Presence.OFFLINE]
    assert as_time("2025-01-01T10:00:00.000Z") == 1735725600.0
    assert as_time(1735725600) == 1735725600.0 and as_time("nonsense") is None
    assert human_size(512) == "512 B" and human_size(123456) == "120.6 KB"


REST = {"meta": {"sender": {"id": 42, "name": "Grace"}, "channel": "Channel::Email",
                 "assignee": {"id": 7, "name": "Ada Lovelace", "available_name": "Ada"}},
        "id": 123, "inbox_id": 3, "status": "open", "labels": ["vip"], "priority": "urgent",
        "additional_attributes": {"mail_subject": "Invoice"}, "unread_count": 2,
        "created_at": 1000, "last_activity_at": 1500, "waiting_since": 1400,
        "applied_sla": {"sla_first_response_time_threshold": 600},
        "first_reply_created_at": None}
PUSH = {"channel": "Channel::WebWidget", "id": 124, "inbox_id": 1, "status": "open",
        "meta": {"sender": {"id": 43, "name": "Alan"}, "assignee": None, "team": {"id": 2}},
        "updated_at": 1600.25, "created_at": 1000}


def test_both_conversation_shapes() -> None:
    rest = conversation_view(REST, me="7")
    inter = rest.interaction
    assert (inter.id, inter.channel, inter.state, inter.agent_id) == (
        "123", Channel.EMAIL, InteractionState.ACTIVE, "7")
    assert (inter.subject, inter.unread, inter.priority) == ("Invoice", 2, "urgent")
    assert inter.reply_due_at == 2000.0  # waiting since 1400 + first-response SLA 600
    push = conversation_view(PUSH, me="7")
    assert push.interaction.state is InteractionState.OFFERED
    assert push.interaction.queue_id == "team:2" and push.version == 1600.25
    for status, state in (("resolved", InteractionState.CLOSED),
                          ("snoozed", InteractionState.CLOSED),
                          ("pending", InteractionState.QUEUED)):
        assert conversation_view({**PUSH, "status": status}, me="7").interaction.state is state
    with pytest.raises(MappingError):
        conversation_view({"meta": {}}, me="7")


def test_messages_notes_activity_email_and_attachments() -> None:
    base = {"id": 9, "conversation_id": 123, "created_at": 1000, "content": "Hi"}
    incoming = message_item({**base, "message_type": 0, "sender": {"name": "Grace"},
                             "content_attributes": {"email": {"subject": "Re: x",
                                                              "cc": ["b@x.com"]}}},
                            customer_id="42", channel=Channel.EMAIL)
    assert (incoming.direction, incoming.author, incoming.subject, incoming.cc) == (
        Direction.INBOUND, "Grace", "Re: x", ["b@x.com"])
    note = message_item({**base, "message_type": 1, "private": True, "echo_id": "c1"},
                        customer_id="42", channel=Channel.CHAT)
    assert (note.kind, note.direction, note.client_id) == (TimelineKind.NOTE, Direction.INTERNAL,
                                                           "c1")
    activity = message_item({**base, "message_type": 2}, customer_id="42", channel=Channel.CHAT)
    assert activity.kind is TimelineKind.SYSTEM and activity.author == "Chatwoot"
    files = message_item({**base, "message_type": "outgoing", "content": "",
                          "attachments": [{"data_url": "https://f/x.png", "file_type": "image",
                                           "file_size": 2048}]},
                         customer_id="42", channel=Channel.CHAT)
    assert files.body == "[attachment: image, 2.0 KB] https://f/x.png"
    assert files.direction is Direction.OUTBOUND


@pytest.mark.parametrize(("text", "expected"), [
    ("billing", Wrapup("resolved", ("billing",))),
    ("billing, vip,billing", Wrapup("resolved", ("billing", "vip"))),
    ("resolve", Wrapup("resolved")),
    ("Resolve:billing", Wrapup("resolved", ("billing",))),
    ("pending:refund", Wrapup("pending", ("refund",))),
    ("snooze", Wrapup("snoozed")),
    ("snooze@1767225600:vip", Wrapup("snoozed", ("vip",), 1767225600)),
])
def test_wrapup_strings(text: str, expected: Wrapup) -> None:
    assert parse_disposition(text) == expected


@pytest.mark.parametrize("text", ["", "close:x", "resolve@5", "snooze@soon", "a b", "x:y:z"])
def test_bad_wrapup_strings_are_one_line_422(text: str) -> None:
    with pytest.raises(BackendCommandError) as bad:
        parse_disposition(text)
    assert bad.value.status == 422 and "\n" not in bad.value.message


def test_tracker_transitions_versions_and_delivery() -> None:
    tracker = Tracker()
    tracker.me = "7"
    offer = conversation_view(PUSH, me="7")
    assert [e.change for e in tracker.apply(offer, 1.0)] == [Ch.OFFERED]
    assert tracker.apply(offer, 1.0) == []  # the same snapshot twice: nothing new
    mine = conversation_view({**PUSH, "meta": {**PUSH["meta"], "assignee": {"id": 7}},
                              "updated_at": 1700.0}, me="7")
    assert [e.change for e in tracker.apply(mine, 2.0)] == [Ch.ACCEPTED]
    assert tracker.apply(offer, 3.0) == []  # older snapshot arriving late
    back = conversation_view({**PUSH, "updated_at": 1800.0}, me="7")
    assert [e.change for e in tracker.apply(back, 4.0)] == [Ch.TRANSFERRED, Ch.OFFERED]
    assert tracker.reject("124", 5.0).change is Ch.REJECTED
    assert tracker.relations["124"] is Relation.GONE
    assert tracker.apply(conversation_view({**PUSH, "updated_at": 1900.0}, me="7"), 6.0) == []

    item = message_item({"id": 77, "conversation_id": 124, "created_at": 1, "content": "x",
                         "message_type": 1}, customer_id="43", channel=Channel.CHAT)
    tracker.note_echo("client-1", item)
    delivered = tracker.deliver(item)
    assert delivered is not None and delivered.client_id == "client-1"
    assert tracker.deliver(item) is None and tracker.last_message["124"] == 77
