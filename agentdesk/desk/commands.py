"""What the agent wants done, as typed commands (the screen builds them from
keys, dialogs and the composer; the controller checks and carries them out).

Frozen dataclasses, not string-keyed dicts: a misspelt field is an error where
it is written, and a command can be logged, compared and tested as a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from agentdesk.domain.enums import CallAction, Presence, TransferMode


@dataclass(frozen=True, slots=True)
class Accept:
    """Take an offer (Chatwoot: assign an unassigned conversation to me)."""

    interaction_id: str


@dataclass(frozen=True, slots=True)
class Reject:
    """Decline an offer (Chatwoot: leave it to others), with a reason code where
    the backend takes one (`Capabilities.reject_reasons`)."""

    interaction_id: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SendMessage:
    interaction_id: str
    body: str
    kind: str = "reply"  # "reply" or "note" (private)
    subject: str | None = None
    cc: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CallControl:
    """hold / resume / mute / unmute / hangup / dtmf on the interaction's call."""

    interaction_id: str
    action: CallAction
    digits: str | None = None


@dataclass(frozen=True, slots=True)
class Transfer:
    interaction_id: str
    queue_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    mode: TransferMode = TransferMode.BLIND


@dataclass(frozen=True, slots=True)
class Wrapup:
    interaction_id: str
    disposition: str  # a disposition code, or (wrapup style LABELS) a label
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class SetPresence:
    presence: Presence | None  # None: keep the current one (only `next` changes)
    next: Presence | None = None


@dataclass(frozen=True, slots=True)
class MarkRead:
    interaction_id: str


@dataclass(frozen=True, slots=True)
class SetTyping:
    interaction_id: str
    typing: bool


@dataclass(frozen=True, slots=True)
class RetrySend:
    """Send a refused message again (under a new idempotency key: the server
    answers a repeated key with its stored refusal)."""

    client_id: str


@dataclass(frozen=True, slots=True)
class DiscardSend:
    """Give up on a refused message."""

    client_id: str


@dataclass(frozen=True, slots=True)
class Dial:
    """Call a customer now (`capabilities.outbound`); calling rules may refuse it."""

    customer_id: str
    customer_name: str = ""  # for messages only


@dataclass(frozen=True, slots=True)
class ScheduleCallback:
    """Call a customer back at `at` (server time), me or `queue_id` (`capabilities.callbacks`)."""

    customer_id: str
    at: float
    note: str = ""
    queue_id: str | None = None


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Recording disclosure on a call: "confirm", "decline" (recording pauses) or "resume"."""

    interaction_id: str
    action: str


DeskCommand: TypeAlias = (
    "Accept | Reject | SendMessage | CallControl | Transfer | Wrapup | SetPresence"
    " | MarkRead | SetTyping | RetrySend | DiscardSend | Dial | ScheduleCallback | Disclosure"
)


@dataclass(frozen=True, slots=True)
class Refused:
    """A command the controller did not carry out; `reason` is one line for the agent."""

    reason: str
    title: str = "Not available"


@dataclass(frozen=True, slots=True)
class Queued:
    """Written to the outbox (it goes out, exactly once, as soon as it can)."""

    client_id: str


@dataclass(frozen=True, slots=True)
class Done:
    """Carried out locally (nothing to send, or sent best effort)."""


Outcome: TypeAlias = "Refused | Queued | Done"
