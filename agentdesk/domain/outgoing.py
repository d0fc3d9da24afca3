"""An outgoing message the agent wrote that the server has not confirmed yet.

Part of the desk's session state (`SessionState.outgoing`), rebuilt from the
outbox when the desk starts or a view opens, so a message waiting to be sent
(or refused) shows again after a restart. Plain data: no models, no IO.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Delivery(StrEnum):
    QUEUED = "queued"  # written to the outbox, not acknowledged yet
    SENT = "sent"  # acknowledged; the echo will replace it
    FAILED = "failed"  # refused by the server: the agent may retry


@dataclass(frozen=True, slots=True)
class Outgoing:
    client_id: str
    interaction_id: str
    body: str
    kind: str  # "reply" or "note"
    author: str
    at: float  # when it was written (server time as best known)
    delivery: Delivery = Delivery.QUEUED
    error: str | None = None
    replaces: str | None = None  # the client_id it was reissued from (retry of a refusal)
