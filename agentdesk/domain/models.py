"""Plain data of the contact center: what the server sends and the desk shows.

These are pydantic models so the same shapes serve as the wire format
(`agentdesk.protocol`) and as the client's state; they hold no behaviour beyond
small derived properties. Times are Unix seconds (float) everywhere.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# The enums are re-exported (`X as X`): the models' field types, importable from here.
from agentdesk.domain.enums import (
    CallAction as CallAction,
)
from agentdesk.domain.enums import (
    CallState as CallState,
)
from agentdesk.domain.enums import (
    Channel as Channel,
)
from agentdesk.domain.enums import (
    Direction as Direction,
)
from agentdesk.domain.enums import (
    InteractionState as InteractionState,
)
from agentdesk.domain.enums import (
    Presence as Presence,
)
from agentdesk.domain.enums import (
    Role as Role,
)
from agentdesk.domain.enums import (
    RoutingState as RoutingState,
)
from agentdesk.domain.enums import (
    TimelineKind as TimelineKind,
)
from agentdesk.domain.enums import (
    TransferMode as TransferMode,
)


class Model(BaseModel):
    """Base of every domain model: unknown fields are ignored, not fatal, so a
    newer server does not break an older client."""

    model_config = ConfigDict(extra='ignore', use_enum_values=False, defer_build=True)


# --- people -----------------------------------------------------------------


class User(Model):
    id: str
    name: str
    role: Role


class Consent(Model):
    """What the customer agreed to. A customer without an answer on file has not
    refused: the defaults are the permissive ones, as a server without the fields sends."""

    recording: bool = True
    marketing: bool = True
    sms: bool = True


class Customer(Model):
    id: str
    name: str
    email: str | None = None
    phone: str | None = None
    handle: str | None = None  # social handle
    tier: str = "standard"
    language: str = "en"
    location: str | None = None
    since: float | None = None  # customer since
    attributes: dict[str, str] = Field(default_factory=dict)
    dnc: bool = False  # on the do-not-call list: never dial
    consent: Consent = Field(default_factory=Consent)
    timezone: str | None = None  # IANA name, derived from the location
    # Local hours in which this customer may be called, "08:00-21:00" (None: that default)
    calling_window: str | None = None


class ContactSummary(Model):
    """One previous (or current) contact of a customer, for the profile panel."""

    interaction_id: str
    channel: Channel
    at: float
    topic: str | None = None
    subject: str | None = None
    state: InteractionState
    disposition: str | None = None
    agent_name: str | None = None
    duration_s: float | None = None


class CustomerDetail(Model):
    customer: Customer
    contacts: list[ContactSummary] = Field(default_factory=list)


# --- capacity ----------------------------------------------------------------


class ChannelLoad(Model):
    active: int = 0
    limit: int = 0
    accepting: bool = False
    reason: str = ""  # why not accepting, in words an agent understands


class Capacity(Model):
    used: int = 0  # capacity units in use
    total: int = 100
    channels: dict[Channel, ChannelLoad] = Field(default_factory=dict)


class AgentInfo(Model):
    id: str
    name: str
    role: Role = Role.AGENT
    presence: Presence = Presence.OFFLINE
    presence_since: float = 0.0
    next_presence: Presence | None = None
    routing_state: RoutingState = RoutingState.OFF_QUEUE
    routing_since: float = 0.0
    queues: list[str] = Field(default_factory=list)
    capacity: Capacity = Field(default_factory=Capacity)
    connected: bool = False


# --- interactions --------------------------------------------------------------


class CallInfo(Model):
    state: CallState = CallState.RINGING
    muted: bool = False
    connected_at: float | None = None
    held_since: float | None = None
    hold_total_s: float = 0.0
    ended_at: float | None = None
    dtmf: str = ""  # digits sent so far
    consult_agent_id: str | None = None  # warm transfer in progress
    consult_state: str | None = None  # "ringing", "talking" (customer on hold) or "conference"
    # Recording disclosure: "pending" until the agent confirms it was given,
    # "confirmed", or "declined" (the customer refused: recording paused); None
    # from a server that does not track it (the desk then shows no prompt).
    disclosure: str | None = None
    recording: bool = True  # False while recording is paused (no transcript then)


class SelfService(Model):
    """What the customer did before the handover: the IVR path (voice) or the bot
    conversation (digital), and whether the IVR or bot verified who they are."""

    kind: str  # "ivr" or "bot"
    path: list[str] = Field(default_factory=list)  # IVR menu choices, e.g. ["Billing", "Missed payment"]
    identity_verified: bool | None = None
    transcript: list[str] = Field(default_factory=list)  # bot turns, "Customer: ..." / "Bot: ..."

    def summary(self) -> str:
        """One line for the offer banner."""
        what = " > ".join(self.path) if self.path else ("bot chat" if self.kind == "bot" else "IVR")
        verified = {True: "identity verified", False: "identity not verified", None: ""}[
            self.identity_verified]
        head = "IVR" if self.kind == "ivr" else "Bot"
        return f"{head}: {what}" + (f" · {verified}" if verified else "")


class Interaction(Model):
    id: str
    channel: Channel
    customer_id: str
    customer_name: str
    queue_id: str
    state: InteractionState
    agent_id: str | None = None
    subject: str | None = None  # email subject
    topic: str | None = None  # KB topic the contact is about (mock server)
    created_at: float
    offered_at: float | None = None
    offer_expires_at: float | None = None
    accepted_at: float | None = None
    ended_at: float | None = None
    closed_at: float | None = None
    acw_deadline: float | None = None
    disposition: str | None = None
    call: CallInfo | None = None
    last_customer_at: float | None = None
    reply_due_at: float | None = None  # next-reply SLA deadline (digital)
    unread: int = 0  # customer messages the assigned agent has not read
    transferred_from: str | None = None  # agent id
    direction: Direction = Direction.INBOUND  # outbound: dialled by the agent (or a callback)
    callback_id: str | None = None  # the scheduled callback this call carries out
    self_service: SelfService | None = None  # what happened before the handover
    # The backend's priority word (Chatwoot: low / medium / high / urgent). Not part of
    # the agentdesk/1 wire format (excluded from dumps); adapters set it directly.
    priority: str | None = Field(default=None, exclude=True)


class Attachment(Model):
    """A file sent with a message: shown as its name, size and link."""

    name: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=2000, pattern=r"^https?://")
    size_bytes: int = Field(default=0, ge=0)
    content_type: str | None = Field(default=None, max_length=100)


class TimelineItem(Model):
    """One entry of a customer's unified timeline, whatever the channel."""

    id: str
    customer_id: str
    interaction_id: str
    channel: Channel
    kind: TimelineKind
    direction: Direction
    author: str
    body: str = ""
    subject: str | None = None
    cc: list[str] = Field(default_factory=list)
    at: float
    client_id: str | None = None  # echo of the sender's idempotency key
    speaker: str | None = None  # transcript: "customer" or "agent"
    attachments: list[Attachment] = Field(default_factory=list)


class Callback(Model):
    """A call scheduled for later: at `at` it is offered like other work (to the
    agent, or to anyone in the queue); accepting it dials the customer."""

    id: str
    customer_id: str
    customer_name: str
    at: float
    note: str = ""
    agent_id: str | None = None  # the target agent, or None: anyone in queue_id
    queue_id: str
    state: str = "scheduled"  # scheduled, offered, dialled, blocked, cancelled
    created_by: str
    created_at: float
    interaction_id: str | None = None  # the offer (and then the call) once due
    missed: int = 0  # offers that timed out; each one re-queues it for anyone
    blocked_reason: str | None = None  # why it could not be dialled at its time


class TimelinePage(Model):
    items: list[TimelineItem]  # oldest first
    has_more: bool  # older items exist before items[0]


# --- queues and metrics ----------------------------------------------------------


class Queue(Model):
    id: str
    name: str
    channels: list[Channel]
    # 0: the backend has no service-level goal for this queue (Chatwoot); no
    # SLA breach is reported and no alert threshold is derived from it.
    sl_threshold_s: float = 20.0
    sl_target_pct: float = 80.0


class SlWindow(Model):
    """Service level over a rolling window: the contacts that left the queue
    (answered or abandoned) in the last `window_s` seconds, same formula as `sl_pct`."""

    window_s: float
    answered: int = 0
    answered_in_sl: int = 0
    abandoned: int = 0
    sl_pct: float | None = None


class QueueFigures(Model):
    """The wallboard figures of a queue, or of one channel of it (same formulas)."""

    waiting: int = 0
    longest_wait_s: float = 0.0
    offered: int = 0
    answered: int = 0
    answered_in_sl: int = 0
    abandoned: int = 0
    sl_pct: float | None = None
    asa_s: float | None = None
    aht_s: float | None = None
    abandon_pct: float | None = None
    agents: dict[str, int] = Field(default_factory=dict)


class ChannelStats(QueueFigures):
    """One channel of a multi-channel queue: the queue's figures for that channel's
    contacts. `agents`: `available` (can take one more of this channel now) and
    `busy` (has one in hand); agent states that are not per channel are left out."""

    channel: Channel


class QueueStats(QueueFigures):
    """`agents`: available/busy/acw/away/not_responding."""

    queue_id: str
    rolling: SlWindow | None = None  # None: a server without rolling service level
    channels: list[ChannelStats] = Field(default_factory=list)  # multi-channel queues only


class AgentStats(Model):
    agent_id: str
    handled: int = 0
    aht_s: float | None = None
    occupancy_pct: float | None = None
    missed: int = 0


class Stats(Model):
    at: float
    queues: list[QueueStats] = Field(default_factory=list)
    agents: list[AgentStats] = Field(default_factory=list)


class TrendSample(Model):
    """One bucket of a trend series (`GET /v1/stats/history`): the rolling service
    level of the bucket's last observation and the peak queue length seen in it."""

    at: float = Field(allow_inf_nan=False)  # time of the bucket's last observation
    sl_pct: float | None = Field(default=None, ge=0.0, le=100.0, allow_inf_nan=False)
    waiting: int = Field(default=0, ge=0, le=10**9)


class QueueTrend(Model):
    queue_id: str
    points: list[TrendSample] = Field(default_factory=list, max_length=10_000)  # oldest first


class StatsHistory(Model):
    at: float  # server time of the answer
    bucket_s: float = Field(gt=0.0, allow_inf_nan=False)
    sl_window_s: float | None = None  # the rolling window behind sl_pct (None: cumulative)
    floor: list[TrendSample] = Field(default_factory=list, max_length=10_000)
    queues: list[QueueTrend] = Field(default_factory=list, max_length=1_000)


# --- reference data ----------------------------------------------------------------


class KbArticle(Model):
    id: str
    title: str
    body: str
    tags: list[str] = Field(default_factory=list)
    updated_at: float = 0.0


class Disposition(Model):
    code: str
    label: str


class CannedResponse(Model):
    id: str
    shortcut: str
    title: str
    body: str
    channels: list[Channel] = Field(default_factory=list)  # empty: every channel
