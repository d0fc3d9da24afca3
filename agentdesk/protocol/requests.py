"""Request and response bodies of agentdesk/1 (see docs/protocol.md).

The server validates requests with these models (HTTP 422 on failure); the
client builds them. Length limits here are the protocol's limits.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agentdesk.domain.models import (
    AgentInfo,
    Attachment,
    CallAction,
    Callback,
    Channel,
    Customer,
    Interaction,
    Presence,
    TimelineItem,
    TransferMode,
    User,
)

MAX_BODY = 50_000  # characters of a message body
MAX_SUBJECT = 300
MAX_CLIENT_ID = 64
# Larger HTTP bodies get 413. Big enough for the largest valid body however it is
# escaped (50,000 characters written as \uXXXX surrogate pairs take 600,000 bytes).
MAX_REQUEST_BYTES = 1024 * 1024
MAX_ADDRESS = 254  # an e-mail address (RFC 5321)


class Request(BaseModel):
    # Validators are built on first use (as the domain models'): building all of
    # them at import took ~50 ms of the desk's start-up.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Response(BaseModel):
    model_config = ConfigDict(defer_build=True)


CLIENT_ID_PATTERN = r"^[A-Za-z0-9_.:-]+$"
ClientId = Field(min_length=1, max_length=MAX_CLIENT_ID, pattern=CLIENT_ID_PATTERN)


class LoginRequest(Request):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class LoginResponse(Response):
    token: str
    user: User


class PresenceRequest(Request):
    presence: Presence
    next: Presence | None = None  # apply `next` once current work is done


class CommandRequest(Request):
    """Accept / reject / read: only the idempotency key."""

    client_id: str | None = Field(default=None, min_length=1, max_length=MAX_CLIENT_ID,
                                  pattern=CLIENT_ID_PATTERN)


class RejectRequest(CommandRequest):
    """Reject: the idempotency key and, optionally, why (a short code such as
    `busy` or `wrong_skill`, for supervisors' reports)."""

    reason: str | None = Field(default=None, min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")


class MessageRequest(Request):
    client_id: str = ClientId
    kind: Literal["reply", "note"] = "reply"
    body: str = Field(min_length=1, max_length=MAX_BODY)
    subject: str | None = Field(default=None, max_length=MAX_SUBJECT)
    cc: list[Annotated[str, Field(max_length=MAX_ADDRESS)]] = Field(default_factory=list,
                                                                   max_length=20)


class CallRequest(Request):
    client_id: str = ClientId
    action: CallAction
    digits: str | None = Field(default=None, max_length=32, pattern=r"^[0-9*#]+$")

    @model_validator(mode="after")
    def _digits_for_dtmf(self) -> CallRequest:
        if (self.action is CallAction.DTMF) != (self.digits is not None):
            raise ValueError("digits is required for dtmf and only for dtmf")
        return self


class TransferRequest(Request):
    client_id: str = ClientId
    queue_id: str | None = Field(default=None, max_length=64)
    agent_id: str | None = Field(default=None, max_length=64)
    mode: TransferMode = TransferMode.BLIND

    @model_validator(mode="after")
    def _one_target(self) -> TransferRequest:
        if (self.queue_id is None) == (self.agent_id is None):
            raise ValueError("exactly one of queue_id and agent_id is required")
        return self


class WrapupRequest(Request):
    client_id: str = ClientId
    disposition: str = Field(min_length=1, max_length=64)
    notes: str | None = Field(default=None, max_length=5_000)


class DialRequest(Request):
    """`POST /v1/outbound/calls`: call a customer now."""

    client_id: str = ClientId
    customer_id: str = Field(min_length=1, max_length=64)


class CallbackRequest(Request):
    """`POST /v1/callbacks`: call a customer back at `at` (server time). The target is
    the agent `agent_id`, anyone in `queue_id`, or (neither given) the agent asking."""

    client_id: str = ClientId
    customer_id: str = Field(min_length=1, max_length=64)
    at: float = Field(ge=0, le=1e11)
    note: str = Field(default="", max_length=1_000)
    queue_id: str | None = Field(default=None, max_length=64)
    agent_id: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _one_target(self) -> CallbackRequest:
        if self.queue_id is not None and self.agent_id is not None:
            raise ValueError("at most one of queue_id and agent_id")
        return self


class DisclosureRequest(Request):
    """`POST /v1/interactions/{id}/disclosure`: the recording disclosure was given
    (`confirm`), the customer refused recording (`decline`: recording pauses), or
    recording goes on again (`resume`)."""

    client_id: str = ClientId
    action: Literal["confirm", "decline", "resume"]


class CallbackResponse(Response):
    callback: Callback


class CallbackList(Response):
    callbacks: list[Callback]


class ExportRecord(Response):
    """One interaction and its timeline events (messages, notes, call, transcript, system)."""

    interaction: Interaction
    events: list[TimelineItem]


class ExportPage(Response):
    """`GET /v1/export`: `next` is the `after` of the next page (null: the last page)."""

    records: list[ExportRecord]
    next: str | None = None


class MessageResponse(Response):
    item: TimelineItem


class InteractionResponse(Response):
    interaction: Interaction


class CustomerSearchResponse(Response):
    """`GET /v1/customers?q=`: the customers matching by name, phone, email or account."""

    customers: list[Customer]


class MeResponse(Response):
    user: User
    agent: AgentInfo | None = None  # absent for supervisors


# --- /sim (mock server only) ---------------------------------------------------


class SimContactRequest(Request):
    channel: Channel
    customer_id: str | None = Field(default=None, max_length=64)
    topic: str | None = Field(default=None, max_length=100)
    text: str | None = Field(default=None, max_length=MAX_BODY)
    subject: str | None = Field(default=None, max_length=MAX_SUBJECT)
    queue_id: str | None = Field(default=None, max_length=64)


class SimMessageRequest(Request):
    text: str = Field(min_length=1, max_length=MAX_BODY)
    attachments: list[Attachment] = Field(default_factory=list, max_length=10)


class SimConsent(Request):
    recording: bool | None = None
    marketing: bool | None = None
    sms: bool | None = None


class SimComplianceRequest(Request):
    """`POST /sim/customers/{id}/compliance`: change a customer's DNC flag or consent."""

    dnc: bool | None = None
    consent: SimConsent | None = None


class SimClockRequest(Request):
    advance_s: float = Field(gt=0, le=86_400)
