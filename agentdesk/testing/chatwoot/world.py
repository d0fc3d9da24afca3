"""The fake Chatwoot's data, and its JSON exactly in Chatwoot's shapes.

Shapes follow the upstream jbuilder views and `push_event_data` methods as
described in the shared reference (chatwoot-api.md §1 and §2.4): the REST
conversation (`meta.channel`) and the push conversation (`channel` at the top,
`updated_at` a float) differ on purpose, message types are integers in
answers, conversation ids are per-account display ids and message ids are
global. Plain data; the routes and the cable are in `app.py`.
"""

from __future__ import annotations

import itertools
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ACCOUNT_ID = 1


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class FUser:
    id: int
    name: str
    email: str
    password: str
    role: str = "agent"
    availability: str = "online"
    access_token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    pubsub_token: str = field(default_factory=lambda: secrets.token_urlsafe(18))

    def push(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "available_name": self.name.split()[0],
                "avatar_url": "", "type": "user", "availability_status": self.availability,
                "thumbnail": ""}

    def agent(self) -> dict[str, Any]:
        return {"id": self.id, "account_id": ACCOUNT_ID, "availability_status": self.availability,
                "auto_offline": True, "confirmed": True, "email": self.email,
                "available_name": self.name.split()[0], "name": self.name, "role": self.role,
                "thumbnail": ""}

    def profile(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token, "account_id": ACCOUNT_ID,
            "available_name": self.name.split()[0], "avatar_url": "", "confirmed": True,
            "display_name": None, "message_signature": None, "email": self.email, "id": self.id,
            "inviter_id": None, "name": self.name, "provider": "email",
            "pubsub_token": self.pubsub_token, "role": self.role, "ui_settings": {},
            "uid": self.email, "type": None,
            "accounts": [{"id": ACCOUNT_ID, "name": "Acme", "status": "active",
                          "active_at": _iso(time.time()), "role": self.role,
                          "permissions": [self.role], "availability": self.availability,
                          "availability_status": self.availability, "auto_offline": True,
                          "custom_role_id": None}],
        }


@dataclass
class FContact:
    id: int
    name: str
    email: str | None = None
    phone_number: str | None = None
    identifier: str | None = None
    additional_attributes: dict[str, Any] = field(default_factory=dict)
    custom_attributes: dict[str, Any] = field(default_factory=dict)
    created_at: float = field(default_factory=time.time)

    def push(self) -> dict[str, Any]:
        return {"additional_attributes": self.additional_attributes,
                "custom_attributes": self.custom_attributes, "email": self.email,
                "id": self.id, "identifier": self.identifier, "name": self.name,
                "phone_number": self.phone_number, "thumbnail": "", "blocked": False,
                "type": "contact"}

    def rest(self) -> dict[str, Any]:
        return {**self.push(), "availability_status": "offline",
                "last_activity_at": int(self.created_at), "created_at": int(self.created_at)}


@dataclass
class FInbox:
    id: int
    name: str
    channel_type: str
    medium: str | None = None

    def rest(self) -> dict[str, Any]:
        return {"id": self.id, "avatar_url": "", "channel_id": self.id, "name": self.name,
                "channel_type": self.channel_type, "greeting_enabled": False,
                "greeting_message": None, "working_hours_enabled": False,
                "enable_auto_assignment": False, "medium": self.medium}


@dataclass
class FMessage:
    id: int
    conversation_id: int  # display id
    inbox_id: int
    message_type: int  # 0 incoming, 1 outgoing, 2 activity, 3 template
    content: str
    private: bool = False
    content_type: str = "text"
    content_attributes: dict[str, Any] = field(default_factory=dict)
    sender: dict[str, Any] | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    created_at: float = field(default_factory=time.time)
    status: str = "sent"


@dataclass
class FConversation:
    id: int  # display id
    inbox_id: int
    contact_id: int
    status: str = "open"
    assignee_id: int | None = None
    team_id: int | None = None
    labels: list[str] = field(default_factory=list)
    priority: str | None = None
    additional_attributes: dict[str, Any] = field(default_factory=dict)
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    agent_last_seen_at: float = 0.0
    snoozed_until: int | None = None
    uuid: str = field(default_factory=lambda: str(uuid.uuid4()))


class World:
    """Users, inboxes, teams, contacts, conversations and messages of account 1."""

    def __init__(self) -> None:
        self.users = {
            7: FUser(7, "Ada Lovelace", "ada@example.com", "secret-ada"),
            # Bob administers the account (the monitor's user); admins are agents too.
            9: FUser(9, "Bob Stone", "bob@example.com", "secret-bob", role="administrator"),
        }
        self.inboxes = {
            1: FInbox(1, "Website", "Channel::WebWidget"),
            2: FInbox(2, "Support mail", "Channel::Email"),
            3: FInbox(3, "Texts", "Channel::TwilioSms", "sms"),
            4: FInbox(4, "WhatsApp", "Channel::Whatsapp"),
        }
        self.inbox_members = {1: {7, 9}, 2: {7}, 3: {9}, 4: {7, 9}}
        self.resolved: dict[int, int] = {}  # user id -> conversations resolved today
        self.teams = {1: "billing", 2: "tech"}
        self.team_members = {1: {9}, 2: {7, 9}}
        self.labels = {"billing": "Billing question", "vip": "VIP customer",
                       "refund": "Refund given"}
        self.canned = [
            {"id": 1, "account_id": ACCOUNT_ID, "short_code": "hi",
             "content": "Hello {{contact.name}}, how can I help?",
             "created_at": _iso(time.time()), "updated_at": _iso(time.time())},
            {"id": 2, "account_id": ACCOUNT_ID, "short_code": "bye",
             "content": "Thanks for reaching out. Have a good day!",
             "created_at": _iso(time.time()), "updated_at": _iso(time.time())},
            {"id": 3, "account_id": ACCOUNT_ID, "short_code": "case",
             "content": "{{agent.first_name}} here: your case is {{conversation.id}}.",
             "created_at": _iso(time.time()), "updated_at": _iso(time.time())},
        ]
        self.contacts: dict[int, FContact] = {}
        self.conversations: dict[int, FConversation] = {}
        self.messages: list[FMessage] = []
        self._contact_ids = itertools.count(40)
        self._display_ids = itertools.count(100)
        self._message_ids = itertools.count(1000)

    # -- creation -------------------------------------------------------------------------

    def contact(self, name: str, **fields: Any) -> FContact:
        contact = FContact(next(self._contact_ids), name, **fields)
        self.contacts[contact.id] = contact
        return contact

    def conversation(self, contact: FContact, inbox_id: int, **fields: Any) -> FConversation:
        conv = FConversation(next(self._display_ids), inbox_id, contact.id, **fields)
        self.conversations[conv.id] = conv
        return conv

    def message(self, conv: FConversation, message_type: int, content: str, **fields: Any
                ) -> FMessage:
        msg = FMessage(next(self._message_ids), conv.id, conv.inbox_id, message_type, content,
                       **fields)
        self.messages.append(msg)
        conv.updated_at = time.time()
        if message_type == 0 and conv.status in ("resolved", "snoozed"):
            conv.status = "open"  # an incoming message reopens (Message#reopen_conversation)
        return msg

    def user_by_token(self, token: str | None) -> FUser | None:
        return next((u for u in self.users.values() if token and u.access_token == token), None)

    # -- JSON -------------------------------------------------------------------------------

    def unread(self, conv: FConversation) -> int:
        return sum(1 for m in self.messages if m.conversation_id == conv.id
                   and m.message_type == 0 and m.created_at > conv.agent_last_seen_at)

    def message_json(self, msg: FMessage, *, echo_id: str | None = None,
                     push: bool = False) -> dict[str, Any]:
        conv = self.conversations[msg.conversation_id]
        data: dict[str, Any] = {
            "id": msg.id, "content": msg.content, "account_id": ACCOUNT_ID,
            "inbox_id": msg.inbox_id, "conversation_id": msg.conversation_id,
            "message_type": msg.message_type, "content_type": msg.content_type,
            "content_attributes": msg.content_attributes, "created_at": int(msg.created_at),
            "updated_at": _iso(msg.created_at), "private": msg.private, "status": msg.status,
            "source_id": None,
            "sender_type": (msg.sender or {}).get("type", "").capitalize() or None,
            "sender_id": (msg.sender or {}).get("id"), "external_source_ids": {},
            "additional_attributes": {}, "processed_message_content": msg.content,
            "sentiment": {},
        }
        if msg.sender is not None:
            data["sender"] = msg.sender
        if msg.attachments:
            data["attachments"] = msg.attachments
        if push:
            data["conversation"] = {"assignee_id": conv.assignee_id,
                                    "unread_count": self.unread(conv),
                                    "last_activity_at": int(conv.updated_at),
                                    "contact_inbox": {"source_id": f"src-{conv.contact_id}"}}
        if echo_id:
            data["echo_id"] = echo_id  # never stored: Message#echo_id is an attr_accessor
        return data

    def _last(self, conv: FConversation, *, chat_only: bool) -> FMessage | None:
        found = [m for m in self.messages if m.conversation_id == conv.id
                 and (not chat_only or (m.message_type != 2 and not m.private))]
        return found[-1] if found else None

    def _team(self, conv: FConversation) -> dict[str, Any] | None:
        if conv.team_id is None:
            return None
        return {"id": conv.team_id, "name": self.teams[conv.team_id], "description": None,
                "allow_auto_assign": False, "account_id": ACCOUNT_ID, "is_member": True}

    def _common(self, conv: FConversation) -> dict[str, Any]:
        last = self._last(conv, chat_only=True)
        incoming = [m for m in self.messages if m.conversation_id == conv.id
                    and m.message_type == 0]
        return {
            "id": conv.id, "account_id": ACCOUNT_ID, "inbox_id": conv.inbox_id,
            "additional_attributes": conv.additional_attributes, "can_reply": True,
            "custom_attributes": {}, "labels": list(conv.labels), "status": conv.status,
            "snoozed_until": conv.snoozed_until, "unread_count": self.unread(conv),
            "first_reply_created_at": None, "priority": conv.priority,
            "waiting_since": int(incoming[-1].created_at) if incoming else None,
            "agent_last_seen_at": int(conv.agent_last_seen_at), "contact_last_seen_at": 0,
            "last_activity_at": int(conv.updated_at), "timestamp": int(conv.updated_at),
            "created_at": int(conv.created_at),
            "messages": [self.message_json(last, push=True)] if last else [],
        }

    def conversation_rest(self, conv: FConversation) -> dict[str, Any]:
        meta: dict[str, Any] = {"sender": self.contacts[conv.contact_id].rest(),
                                "channel": self.inboxes[conv.inbox_id].channel_type,
                                "hmac_verified": False}
        if conv.assignee_id is not None:
            meta["assignee"] = self.users[conv.assignee_id].agent()
        if conv.team_id is not None:
            meta["team"] = self._team(conv)
        last = self._last(conv, chat_only=True)
        return {**self._common(conv), "meta": meta, "uuid": conv.uuid, "muted": False,
                "assignee_last_seen_at": int(conv.agent_last_seen_at),
                "last_non_activity_message": self.message_json(last) if last else None,
                "sla_policy_id": None}

    def conversation_push(self, conv: FConversation) -> dict[str, Any]:
        assignee = self.users[conv.assignee_id].push() if conv.assignee_id else None
        return {**self._common(conv),
                "channel": self.inboxes[conv.inbox_id].channel_type,
                "contact_inbox": {"id": conv.id, "contact_id": conv.contact_id,
                                  "inbox_id": conv.inbox_id,
                                  "source_id": f"src-{conv.contact_id}", "hmac_verified": False},
                "meta": {"sender": self.contacts[conv.contact_id].push(), "assignee": assignee,
                         "assignee_type": "User" if assignee else None,
                         "team": self._team(conv), "hmac_verified": False},
                "updated_at": conv.updated_at}
