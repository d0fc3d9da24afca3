"""Chatwoot JSON -> agentdesk domain models. Pure functions, no IO.

Every input has already been through `sanitize_tree`. Chatwoot has never
versioned its JSON and has two shapes of a conversation (REST: `meta.channel`;
push: `channel` at the top level), so every field is read defensively: a
missing or mistyped field takes a neutral default; only a missing id is an
error (`MappingError`, turned into a one-line connection error by the caller).
The table of what maps to what is in docs/backends/chatwoot.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agentdesk.domain.models import (
    AgentInfo,
    CannedResponse,
    Channel,
    ContactSummary,
    Customer,
    CustomerDetail,
    Direction,
    Disposition,
    Interaction,
    InteractionState,
    Presence,
    Queue,
    Role,
    RoutingState,
    TimelineItem,
    TimelineKind,
    User,
)


class MappingError(ValueError):
    """A Chatwoot object without the id everything else hangs on."""


# --- defensive readers -----------------------------------------------------------


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any, default: str = "") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return default


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def as_time(value: Any) -> float | None:
    """Unix seconds from an int/float, a numeric string or an ISO 8601 string."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if value > 0 else None
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def ident(value: Any, what: str) -> str:
    """A required id as text; MappingError when absent."""
    number = as_int(value)
    if number is not None:
        return str(number)
    text = as_str(value)
    if not text:
        raise MappingError(f"{what} without an id")
    return text


# --- channels ----------------------------------------------------------------------

# Inbox channel_type -> the desk's channel. Unknown types are chat: the desk
# can show any text conversation, and a new Chatwoot channel must not break it.
CHANNEL_TYPES: dict[str, Channel] = {
    "Channel::WebWidget": Channel.CHAT,
    "Channel::Api": Channel.CHAT,
    "Channel::Email": Channel.EMAIL,
    "Channel::Sms": Channel.SMS,
    "Channel::TwilioSms": Channel.SMS,  # medium "whatsapp" -> social (below)
    "Channel::Whatsapp": Channel.SOCIAL,
    "Channel::FacebookPage": Channel.SOCIAL,
    "Channel::Instagram": Channel.SOCIAL,
    "Channel::TwitterProfile": Channel.SOCIAL,
    "Channel::Telegram": Channel.SOCIAL,
    "Channel::Line": Channel.SOCIAL,
    "Channel::Tiktok": Channel.SOCIAL,
    # Enterprise voice inboxes: their calls arrive as messages; a terminal cannot
    # carry the audio (WebRTC), so they are shown as text conversations.
    "Channel::Voice": Channel.CHAT,
}


def channel_of(channel_type: str, medium: str = "") -> Channel:
    if channel_type == "Channel::TwilioSms" and medium == "whatsapp":
        return Channel.SOCIAL
    return CHANNEL_TYPES.get(channel_type, Channel.CHAT)


@dataclass(frozen=True, slots=True)
class InboxInfo:
    id: str
    name: str
    channel: Channel


def inbox_info(obj: Any) -> InboxInfo:
    inbox = as_dict(obj)
    return InboxInfo(
        id=ident(inbox.get("id"), "inbox"),
        name=as_str(inbox.get("name")) or "inbox",
        channel=channel_of(as_str(inbox.get("channel_type")), as_str(inbox.get("medium"))),
    )


# --- presence ----------------------------------------------------------------------

# Chatwoot availability (online / busy / offline) <-> the desk's presence.
# "busy" means "here, but do not auto-assign me more": the desk's away.
PRESENCE_OF: dict[str, Presence] = {
    "online": Presence.AVAILABLE,
    "available": Presence.AVAILABLE,  # the swagger agent enum spells it so
    "busy": Presence.AWAY,
    "offline": Presence.OFFLINE,
}
AVAILABILITY_OF: dict[Presence, str] = {
    Presence.AVAILABLE: "online",
    Presence.AWAY: "busy",
    Presence.BREAK: "busy",
    Presence.LUNCH: "busy",
    Presence.TRAINING: "busy",
    Presence.OFFLINE: "offline",
}


def presence_of(value: Any) -> Presence:
    return PRESENCE_OF.get(as_str(value), Presence.OFFLINE)


# --- people -------------------------------------------------------------------------


def user_of(profile: Any) -> User:
    """The signed-in user. A Chatwoot administrator is an agent too (it has an
    inbox queue of its own), so both roles sign in to the desk as agents."""
    obj = as_dict(profile)
    name = as_str(obj.get("available_name")) or as_str(obj.get("name")) or as_str(obj.get("email"))
    return User(id=ident(obj.get("id"), "user"), name=name or "agent", role=Role.AGENT)


def account_entry(profile: Any, account_id: str) -> dict[str, Any]:
    for entry in as_list(as_dict(profile).get("accounts")):
        entry = as_dict(entry)
        if as_str(entry.get("id")) == account_id:
            return entry
    return {}


def account_ids(profile: Any) -> list[str]:
    ids = [as_str(as_dict(a).get("id")) for a in as_list(as_dict(profile).get("accounts"))]
    if not any(ids):
        single = as_str(as_dict(profile).get("account_id"))
        ids = [single] if single else []
    return [i for i in ids if i]


def agent_of(obj: Any, *, availability: Any = None) -> AgentInfo:
    """An agent (GET /agents, an assignee, or the profile with its account entry)."""
    agent = as_dict(obj)
    status = availability if availability is not None else agent.get("availability_status")
    name = as_str(agent.get("available_name")) or as_str(agent.get("name")) or "agent"
    presence = presence_of(status)
    return AgentInfo(
        id=ident(agent.get("id"), "agent"),
        name=name,
        role=Role.AGENT,
        presence=presence,
        # Online agents get conversations (auto-assignment, offers); busy and
        # offline ones do not.
        routing_state=RoutingState.IDLE if presence is Presence.AVAILABLE
        else RoutingState.OFF_QUEUE,
        connected=presence is not Presence.OFFLINE,
    )


def customer_of(contact: Any) -> Customer:
    obj = as_dict(contact)
    attributes: dict[str, str] = {}
    for source in ("additional_attributes", "custom_attributes"):
        for key, value in as_dict(obj.get(source)).items():
            text = _attribute_text(value)
            if text:
                attributes[str(key)] = text
    location = attributes.get("city") or attributes.get("country") or None
    return Customer(
        id=ident(obj.get("id"), "contact"),
        name=as_str(obj.get("name")) or as_str(obj.get("email")) or "customer",
        email=as_str(obj.get("email")) or None,
        phone=as_str(obj.get("phone_number")) or None,
        handle=as_str(obj.get("identifier")) or None,
        location=location,
        since=as_time(obj.get("created_at")),
        attributes=attributes,
    )


def _attribute_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""  # nested social profiles etc.: not shown in a one-line field
    if isinstance(value, bool):
        return "yes" if value else "no"
    return as_str(value)


# --- conversations --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConversationView:
    """What the adapter needs of one conversation, whichever JSON shape it came in."""

    id: str
    status: str  # open | resolved | pending | snoozed
    assignee_id: str | None
    assignee_name: str | None
    team_id: str | None
    contact_id: str
    inbox_id: str
    labels: tuple[str, ...]
    priority: str | None
    version: float  # push `updated_at` (float) or the best timestamp there is
    interaction: Interaction


def conversation_view(obj: Any, *, me: str | None, inboxes: dict[str, InboxInfo] | None = None
                      ) -> ConversationView:
    conv = as_dict(obj)
    meta = as_dict(conv.get("meta"))
    sender = as_dict(meta.get("sender"))
    assignee = as_dict(meta.get("assignee"))
    team = as_dict(meta.get("team"))
    conv_id = ident(conv.get("id"), "conversation")
    contact_id = as_str(sender.get("id")) or as_str(
        as_dict(conv.get("contact_inbox")).get("contact_id")) or f"unknown-{conv_id}"
    inbox_id = as_str(conv.get("inbox_id"))
    channel_type = as_str(meta.get("channel")) or as_str(conv.get("channel"))
    inbox = (inboxes or {}).get(inbox_id)
    channel = inbox.channel if inbox is not None else channel_of(channel_type)
    assignee_id = as_str(assignee.get("id")) or None
    team_id = as_str(team.get("id")) or as_str(conv.get("team_id")) or None
    status = as_str(conv.get("status")) or "open"
    created = as_time(conv.get("created_at")) or as_time(conv.get("timestamp")) or 0.0
    activity = as_time(conv.get("last_activity_at")) or as_time(conv.get("timestamp")) or created
    version = as_time(conv.get("updated_at")) or activity
    attrs = as_dict(conv.get("additional_attributes"))
    labels = tuple(as_str(x) for x in as_list(conv.get("labels")) if as_str(x))
    priority = as_str(conv.get("priority")) or None

    if status == "open" and assignee_id is None:
        state = InteractionState.OFFERED  # unassigned in my inboxes: an offer to take
    elif status == "open":
        state = InteractionState.ACTIVE
    elif status == "pending":
        state = InteractionState.QUEUED
    else:  # resolved, snoozed: no longer anyone's open work
        state = InteractionState.CLOSED

    last_customer = None
    last = as_dict(conv.get("last_non_activity_message"))
    if as_int(last.get("message_type")) == 0:
        last_customer = as_time(last.get("created_at"))
    waiting = as_time(conv.get("waiting_since"))
    interaction = Interaction(
        id=conv_id,
        channel=channel,
        customer_id=contact_id,
        customer_name=as_str(sender.get("name")) or as_str(sender.get("email")) or "customer",
        queue_id=f"team:{team_id}" if team_id else f"inbox:{inbox_id or '?'}",
        state=state,
        agent_id=assignee_id if status == "open" else None,
        subject=as_str(attrs.get("mail_subject")) or None,
        created_at=created,
        offered_at=created if state is InteractionState.OFFERED else None,
        last_customer_at=last_customer or waiting,
        reply_due_at=_reply_due(conv, waiting),
        unread=max(0, as_int(conv.get("unread_count")) or 0),
        closed_at=version if state is InteractionState.CLOSED else None,
        priority=priority,
    )
    return ConversationView(
        id=conv_id, status=status, assignee_id=assignee_id,
        assignee_name=as_str(assignee.get("available_name")) or as_str(assignee.get("name")) or None,
        team_id=team_id, contact_id=contact_id, inbox_id=inbox_id, labels=labels,
        priority=priority, version=version, interaction=interaction,
    )


def _reply_due(conv: dict[str, Any], waiting: float | None) -> float | None:
    """The SLA cue: when an applied SLA policy (enterprise) has a response
    threshold, the reply is due that long after the customer started waiting
    (first response before the first reply, next response after it). Business
    hours are not taken into account."""
    sla = as_dict(conv.get("applied_sla"))
    if not sla or waiting is None:
        return None
    first_reply = as_time(conv.get("first_reply_created_at"))
    key = "sla_next_response_time_threshold" if first_reply else "sla_first_response_time_threshold"
    threshold = sla.get(key)
    if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) and threshold > 0:
        return waiting + float(threshold)
    return None


def contact_summary(view: ConversationView) -> ContactSummary:
    inter = view.interaction
    state = inter.state
    if view.status == "snoozed":
        state = InteractionState.WRAPUP  # parked until the customer replies
    return ContactSummary(
        interaction_id=inter.id,
        channel=inter.channel,
        at=inter.created_at,
        subject=inter.subject,
        topic=", ".join(view.labels) or None,
        state=state,
        disposition=", ".join(view.labels) or None,
        agent_name=view.assignee_name,
    )


def customer_detail(contact: Any, conversations: list[ConversationView]) -> CustomerDetail:
    ordered = sorted(conversations, key=lambda v: v.interaction.created_at, reverse=True)
    return CustomerDetail(customer=customer_of(contact),
                          contacts=[contact_summary(v) for v in ordered])


# --- messages -------------------------------------------------------------------------

INCOMING, OUTGOING, ACTIVITY, TEMPLATE = 0, 1, 2, 3
_MESSAGE_TYPES = {"incoming": INCOMING, "outgoing": OUTGOING, "activity": ACTIVITY,
                  "template": TEMPLATE}


def message_type(msg: dict[str, Any]) -> int:
    raw = msg.get("message_type")
    number = as_int(raw)
    return number if number is not None else _MESSAGE_TYPES.get(as_str(raw), OUTGOING)


def message_item(obj: Any, *, customer_id: str, channel: Channel) -> TimelineItem:
    """One Chatwoot message as a timeline item of its conversation."""
    msg = as_dict(obj)
    kind_no = message_type(msg)
    private = msg.get("private") is True
    attrs = as_dict(msg.get("content_attributes"))
    email = as_dict(attrs.get("email"))
    if kind_no == ACTIVITY:
        kind, direction = TimelineKind.SYSTEM, Direction.INTERNAL
    elif private:
        kind, direction = TimelineKind.NOTE, Direction.INTERNAL
    elif kind_no == INCOMING:
        kind, direction = TimelineKind.MESSAGE, Direction.INBOUND
    else:
        kind, direction = TimelineKind.MESSAGE, Direction.OUTBOUND
    sender = as_dict(msg.get("sender"))
    author = as_str(sender.get("available_name")) or as_str(sender.get("name"))
    if not author:
        author = "Chatwoot" if kind is TimelineKind.SYSTEM else (
            "customer" if direction is Direction.INBOUND else "agent")
    body = as_str(msg.get("content"))
    if attrs.get("deleted") is True:
        body = body or "(message deleted)"
    links = [_attachment_line(a) for a in as_list(msg.get("attachments"))]
    links = [line for line in links if line]
    if links:
        body = "\n".join([body, *links]) if body else "\n".join(links)
    cc = [as_str(x) for x in as_list(attrs.get("cc_emails")) or as_list(email.get("cc"))]
    return TimelineItem(
        id=ident(msg.get("id"), "message"),
        customer_id=customer_id,
        interaction_id=as_str(msg.get("conversation_id")),
        channel=channel,
        kind=kind,
        direction=direction,
        author=author,
        body=body,
        subject=as_str(email.get("subject")) or None,
        cc=[c for c in cc if c],
        at=as_time(msg.get("created_at")) or 0.0,
        client_id=as_str(msg.get("echo_id")) or None,
    )


def _attachment_line(obj: Any) -> str:
    """An attachment as a link line with its type and size: the terminal cannot
    show the file, but the agent can open the link."""
    att = as_dict(obj)
    url = as_str(att.get("data_url")) or as_str(att.get("external_url"))
    if not url:
        return ""
    kind = as_str(att.get("file_type")) or "file"
    size = as_int(att.get("file_size"))
    about = f"{kind}, {human_size(size)}" if size else kind
    return f"[attachment: {about}] {url}"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def message_sort_key(item: TimelineItem) -> tuple[float, int]:
    """Chronological, ties by message id (Chatwoot message ids are global and
    grow with time)."""
    return (item.at, as_int(item.id) or 0)


# --- reference data --------------------------------------------------------------------


# Chatwoot's canned-response variables (its Liquid-like `{{...}}`) that the desk
# fills itself, mapped onto the desk's placeholders. Any other variable stays as
# written and the composer warns the agent before it can reach a customer.
CANNED_VARIABLES = {
    "contact.name": "{customer}",
    "contact.first_name": "{customer_first}",
    "agent.name": "{agent}",
    "agent.first_name": "{agent_first}",
}
_CANNED_VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def canned_body(content: str) -> str:
    """Chatwoot's `{{contact.name}}` etc. as the desk's `{customer}` etc."""
    return _CANNED_VARIABLE.sub(
        lambda m: CANNED_VARIABLES.get(m.group(1), m.group(0)), content)


def canned_of(obj: Any) -> CannedResponse:
    c = as_dict(obj)
    short = as_str(c.get("short_code")) or as_str(c.get("id"))
    return CannedResponse(id=ident(c.get("id"), "canned response"), shortcut=short, title=short,
                          body=canned_body(as_str(c.get("content"))))


def label_disposition(obj: Any) -> Disposition | None:
    label = as_dict(obj)
    title = as_str(label.get("title"))
    if not title:
        return None
    return Disposition(code=title, label=as_str(label.get("description")) or title)


def team_queue(obj: Any) -> Queue:
    team = as_dict(obj)
    return Queue(id=f"team:{ident(team.get('id'), 'team')}",
                 name=as_str(team.get("name")) or "team",
                 channels=[Channel.CHAT, Channel.EMAIL, Channel.SMS, Channel.SOCIAL])
