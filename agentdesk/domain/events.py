"""Domain events: what a backend adapter tells the desk, with no wire format left in.

Every adapter (agentdesk/1, Chatwoot, a third one) turns its own frames into
these. They carry no sequence numbers, no wire type strings and no HTTP
status codes: ordering, resume, resync and de-duplication are the adapter's
business, done before an event is yielded. The reducer (`domain/session.py`)
and the monitor's floor model (`domain/floor.py`) consume only these.

`at` is the backend's clock (Unix seconds) when the thing happened; the desk
derives its server-clock offset from it, so countdowns follow the server.

The models appear in annotations only, so this module loads before pydantic
(the desk's first frame must not wait for it; docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from agentdesk.domain.models import (
        AgentInfo,
        Callback,
        CallInfo,
        Interaction,
        KbArticle,
        Stats,
        TimelineItem,
    )


class InteractionChange(StrEnum):
    """What happened to an interaction, from the agent's point of view."""

    OFFERED = "offered"  # routed to this agent, waiting for accept/reject
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MISSED = "missed"  # the offer timed out
    UPDATED = "updated"  # any other change of the interaction's fields
    TRANSFERRED = "transferred"  # left this agent for another agent, queue or team
    ENDED = "ended"  # the contact is over; after-contact work starts (if the backend has it)
    CLOSED = "closed"  # wrapped up / resolved: the tab goes
    ABANDONED = "abandoned"  # the customer left while queued (supervisors)


# Changes after which the interaction is no longer the agent's open work.
LEAVING = frozenset({
    InteractionChange.REJECTED,
    InteractionChange.MISSED,
    InteractionChange.TRANSFERRED,
    InteractionChange.CLOSED,
    InteractionChange.ABANDONED,
})


@dataclass(frozen=True, slots=True)
class InteractionChanged:
    change: InteractionChange
    interaction: Interaction
    at: float
    reason: str | None = None  # e.g. "timeout" for missed, "customer_left" for ended


@dataclass(frozen=True, slots=True)
class ItemAdded:
    """A new timeline item of an interaction: a message, note, system line or
    transcript segment (`item.kind` tells which)."""

    item: TimelineItem
    at: float


@dataclass(frozen=True, slots=True)
class CallChanged:
    interaction_id: str
    call: CallInfo
    at: float


@dataclass(frozen=True, slots=True)
class CustomerTyping:
    interaction_id: str
    typing: bool
    at: float


@dataclass(frozen=True, slots=True)
class AgentChanged:
    """An agent's presence, routing state or load changed (the signed-in one or another)."""

    agent: AgentInfo
    at: float


@dataclass(frozen=True, slots=True)
class StatsChanged:
    stats: Stats
    at: float


@dataclass(frozen=True, slots=True)
class KbChanged:
    articles: list[KbArticle] = field(default_factory=list)  # new or changed
    removed: list[str] = field(default_factory=list)
    at: float = 0.0


@dataclass(frozen=True, slots=True)
class CallbackChanged:
    """A scheduled callback changed: scheduled, due (offered), dialled, blocked; or
    `missed` (its offer timed out or was rejected: back in its queue for anyone)."""

    callback: Callback
    at: float
    reason: str | None = None
    missed: bool = False


@dataclass(frozen=True, slots=True)
class SnapshotNeeded:
    """The adapter could not bring the live stream up to date by itself (a
    replay window was too old, a catch-up failed): reload every snapshot."""

    at: float = 0.0


@dataclass(frozen=True, slots=True)
class ServerTime:
    """A clock reading with no other news (a heartbeat): keeps countdowns on
    server time while nothing else arrives."""

    at: float


DeskEvent: TypeAlias = (
    "InteractionChanged | ItemAdded | CallChanged | CustomerTyping | AgentChanged"
    " | StatsChanged | KbChanged | CallbackChanged | SnapshotNeeded | ServerTime"
)
