"""The Backend interface the desk talks to; Textual-free.

A backend is one authenticated session with a contact-center server. The UI
reads snapshots with the `get_*` / `list_*` calls, follows the live stream
with `events()`, and acts through the command methods. Every command takes a
`client_id` idempotency key: retrying with the same key never applies twice.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from agentdesk.domain.enums import CallAction, Presence, TransferMode

# The models and events appear in annotations only: the desk imports this
# module for its first frame, before pydantic is loaded (docs/benchmarks.md).
if TYPE_CHECKING:
    from agentdesk.domain.models import (
        AgentInfo,
        CannedResponse,
        CustomerDetail,
        Disposition,
        Interaction,
        KbArticle,
        Queue,
        Stats,
        StatsHistory,
        TimelineItem,
        TimelinePage,
        User,
    )
    from agentdesk.protocol.events import Event


def new_client_id() -> str:
    return uuid.uuid4().hex


# --- errors -------------------------------------------------------------------


class AgentDeskError(Exception):
    """Base of every error the UI shows; `title` is a short heading."""

    title = "Error"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title:
            self.title = title


class BackendConnectionError(AgentDeskError):
    title = "Connection problem"


class BackendAuthError(AgentDeskError):
    """401: the token is missing, expired or revoked. Re-login needed."""

    title = "Signed out"


class BackendCommandError(AgentDeskError):
    """The server refused a command (4xx other than 401)."""

    title = "Not done"

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


# --- stream items -----------------------------------------------------------------


class LinkState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """Yielded by `events()` whenever the connection changes."""

    state: LinkState
    detail: str = ""
    attempt: int = 0


@dataclass(frozen=True, slots=True)
class Resync:
    """The server could not replay from our last seq: reload every snapshot."""


@dataclass(frozen=True, slots=True)
class ProtocolProblem:
    """A frame that was malformed and dropped (already logged and counted)."""

    detail: str


StreamItem: TypeAlias = "Event | LinkStatus | Resync | ProtocolProblem"


@dataclass(frozen=True, slots=True)
class Capabilities:
    voice: bool = True
    transfer: bool = True
    supervisor: bool = True
    kb: bool = True
    canned: bool = True
    presence_next: bool = True
    simulation: bool = False  # /sim endpoints (mock server only)


@dataclass(slots=True)
class Diagnostics:
    """Counters the diagnostics view shows."""

    frames: int = 0
    malformed: int = 0
    unknown_type: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    reconnects: int = 0
    resyncs: int = 0
    last_seq: int = 0
    last_problem: str = ""


class Backend(ABC):
    """One session with a contact-center server."""

    capabilities: Capabilities = Capabilities()

    def __init__(self) -> None:
        self.diagnostics = Diagnostics()
        self.user: User | None = None

    # -- session
    @abstractmethod
    async def login(self, username: str, password: str) -> str:
        """Authenticate; remember and return the token."""

    @abstractmethod
    async def use_token(self, token: str) -> User:
        """Adopt an existing token and return who it belongs to (401 if not valid)."""

    @abstractmethod
    async def me(self) -> tuple[User, AgentInfo | None]: ...

    @abstractmethod
    async def close(self) -> None: ...

    # -- snapshots
    @abstractmethod
    async def list_interactions(self, agent_id: str | None = None) -> list[Interaction]: ...

    @abstractmethod
    async def get_interaction(self, interaction_id: str) -> Interaction: ...

    @abstractmethod
    async def get_customer(self, customer_id: str) -> CustomerDetail: ...

    @abstractmethod
    async def get_timeline(
        self, customer_id: str, *, before: str | None = None, limit: int = 100
    ) -> TimelinePage:
        """One page of the unified timeline, oldest first, ending before item `before`."""

    @abstractmethod
    async def list_queues(self) -> list[Queue]: ...

    @abstractmethod
    async def list_agents(self) -> list[AgentInfo]: ...

    @abstractmethod
    async def get_stats(self) -> Stats: ...

    async def get_stats_history(self, minutes: int = 30) -> StatsHistory:
        """Trend series of the last `minutes` (`GET /v1/stats/history`). Not abstract:
        a backend without history says so with a 404, and the monitor's trends
        then start empty."""
        raise BackendCommandError("this backend keeps no stats history", status=404,
                                  code="not_found")

    @abstractmethod
    async def list_dispositions(self) -> list[Disposition]: ...

    @abstractmethod
    async def list_canned_responses(self) -> list[CannedResponse]: ...

    @abstractmethod
    async def list_kb_articles(self, since: float | None = None) -> list[KbArticle]: ...

    # -- live stream
    @abstractmethod
    def events(self) -> AsyncIterator[StreamItem]:
        """Events for this user, forever: reconnects and resumes by itself."""

    # -- commands (all idempotent by client_id)
    @abstractmethod
    async def set_presence(self, presence: Presence, next: Presence | None = None) -> AgentInfo: ...

    @abstractmethod
    async def accept(self, interaction_id: str, client_id: str) -> Interaction: ...

    @abstractmethod
    async def reject(self, interaction_id: str, client_id: str) -> Interaction: ...

    @abstractmethod
    async def mark_read(self, interaction_id: str) -> None: ...

    @abstractmethod
    async def send_message(
        self,
        interaction_id: str,
        body: str,
        client_id: str,
        *,
        kind: str = "reply",
        subject: str | None = None,
        cc: list[str] | None = None,
    ) -> TimelineItem: ...

    @abstractmethod
    async def call_action(
        self, interaction_id: str, action: CallAction, client_id: str, digits: str | None = None
    ) -> Interaction: ...

    @abstractmethod
    async def transfer(
        self,
        interaction_id: str,
        client_id: str,
        *,
        queue_id: str | None = None,
        agent_id: str | None = None,
        mode: TransferMode = TransferMode.BLIND,
    ) -> Interaction: ...

    @abstractmethod
    async def wrapup(
        self, interaction_id: str, disposition: str, client_id: str, notes: str | None = None
    ) -> Interaction: ...
