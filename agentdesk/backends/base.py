"""The Backend interface the desk talks to; Textual-free.

A backend is one authenticated session with a contact-center server. The desk
reads snapshots with the `get_*` / `list_*` calls, follows the live stream
with `events()` (domain events: `agentdesk.domain.events`), and acts through
the command methods. Every command takes a `client_id` idempotency key:
retrying with the same key never applies twice. What the backend can do at
all is declared in `capabilities` (`agentdesk.domain.capabilities`).

This is the adapter boundary: nothing past it sees a wire frame, a sequence
number or an HTTP status. Errors are the three `AgentDeskError`s below.
"""

from __future__ import annotations

import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from agentdesk.domain.capabilities import Capabilities
from agentdesk.domain.enums import CallAction, Presence, TransferMode
from agentdesk.domain.events import SnapshotNeeded

# The models and events appear in annotations only: the desk imports this
# module for its first frame, before pydantic is loaded (docs/benchmarks.md).
if TYPE_CHECKING:
    from agentdesk.domain.events import DeskEvent
    from agentdesk.domain.models import (
        AgentInfo,
        Callback,
        CannedResponse,
        Customer,
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
    """The server refused a command (4xx other than 401).

    `status` is the adapter's business (logs, diagnostics); the desk decides
    on `code` and the typed subclasses below, never on a status number."""

    title = "Not done"

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class NotSupportedError(BackendCommandError):
    """The backend has no such feature (e.g. stats history); not a refusal."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=404, code="not_supported")


# The codes of `CallRefusedError` (agentdesk/1 sends them with 409).
DNC = "dnc"  # the customer is on the do-not-call list
OUTSIDE_CALLING_WINDOW = "outside_calling_window"  # not within the customer's local hours
NO_CAPACITY = "no_capacity"  # the agent has no room for a call now
CALL_REFUSALS = frozenset({DNC, OUTSIDE_CALLING_WINDOW, NO_CAPACITY})


class CallRefusedError(BackendCommandError):
    """A calling rule refused a dial, a callback or a callback's dial. `code` is one
    of CALL_REFUSALS; `message` says why in words the desk shows as they are
    ("Ada Lovelace is on the do-not-call list")."""

    title = "Not called"


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


# Before domain events, the stream yielded `Resync()`; it is now the domain's
# `SnapshotNeeded` (kept under the old name for code written against it).
Resync = SnapshotNeeded


@dataclass(frozen=True, slots=True)
class ProtocolProblem:
    """A frame that was malformed and dropped (already logged and counted)."""

    detail: str


StreamItem: TypeAlias = "DeskEvent | LinkStatus | ProtocolProblem"


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
    """One session with a contact-center server.

    The non-abstract members have safe defaults, so an adapter implements
    only what its backend has (and says so in `capabilities`)."""

    capabilities: Capabilities = Capabilities()

    def __init__(self) -> None:
        self.diagnostics = Diagnostics()
        self.user: User | None = None

    # -- session state every adapter can answer
    @property
    def token(self) -> str | None:
        """The current access token (None before sign-in); never logged."""
        return None

    @property
    def link_auth_failed(self) -> bool:
        """The live stream is refused for the current token: the user must sign in again."""
        return False

    def server_now(self) -> float:
        """The backend's clock as best known (countdowns run on it)."""
        return time.time()

    async def reconnect(self) -> None:
        """Drop the live connection now and resume (the "Reconnect" command).
        Default: nothing to drop (a backend without a live connection)."""
        return None

    async def logout(self) -> None:
        """End the session on the server (revoke the token) where the backend can.
        Default: the server keeps no session to end; forgetting the token is enough."""
        return None

    def note_unsettled(self, client_id: str, since: float) -> None:
        """A command with this client_id was sent before, perhaps by a process that
        died before it learnt the outcome (the outbox's attempt count says so), and
        is about to be sent again. Default: nothing (servers with idempotency keys,
        like agentdesk/1's, apply a client_id once anyway); a backend without them
        looks first for what the earlier attempt did (Chatwoot: `outbound.py`)."""
        return None

    async def set_typing(self, interaction_id: str, typing: bool) -> None:
        """Tell the customer the agent is typing (`capabilities.typing_out`).
        Default: the backend cannot show it, so there is nothing to send."""
        return None

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

    async def search_customers(self, query: str) -> list[Customer]:
        """Customers matching `query` by name, phone, email or account (palette
        search; `Capabilities.customer_search`). Default: none."""
        return []

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
        """Trend series of the last `minutes`. Not abstract: a backend without
        history raises `NotSupportedError`, and the monitor's trends then start empty."""
        raise NotSupportedError("this backend keeps no stats history")

    @abstractmethod
    async def list_dispositions(self) -> list[Disposition]:
        """The wrap-up choices: disposition codes, or (wrapup style LABELS) the labels."""

    @abstractmethod
    async def list_canned_responses(self) -> list[CannedResponse]: ...

    @abstractmethod
    async def list_kb_articles(self, since: float | None = None) -> list[KbArticle]: ...

    # -- live stream
    @abstractmethod
    def events(self) -> AsyncIterator[StreamItem]:
        """Domain events for this user, forever, each exactly once and in order;
        `LinkStatus` on every connection change; `SnapshotNeeded` when the adapter
        could not catch up by itself; `ProtocolProblem` for a dropped frame.
        Reconnects and resumes by itself; never raises for server behaviour;
        one consumer at a time (a new call takes the stream over)."""

    # -- commands (all idempotent by client_id)
    @abstractmethod
    async def set_presence(self, presence: Presence, next: Presence | None = None) -> AgentInfo: ...

    @abstractmethod
    async def accept(self, interaction_id: str, client_id: str) -> Interaction:
        """Accept an offer. A due callback's offer dials the customer, so a calling
        rule may refuse it (`CallRefusedError`; the callback is then blocked)."""

    @abstractmethod
    async def reject(self, interaction_id: str, client_id: str,
                     reason: str | None = None) -> Interaction: ...

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
        team_id: str | None = None,
    ) -> Interaction:
        """To a queue, an agent or (`capabilities.transfer_to` has TEAM) a team."""

    # -- outbound calls, callbacks and recording disclosure. Not abstract: a backend
    # without them keeps these (and its capabilities say outbound / callbacks /
    # recording_disclosure are off, so the desk never offers them).
    async def dial(self, customer_id: str, client_id: str) -> Interaction:
        """Call a customer now (`capabilities.outbound`); `CallRefusedError` when a
        calling rule or the agent's capacity says no."""
        raise NotSupportedError(self.capabilities.missing_reason("outbound"))

    async def schedule_callback(
        self, customer_id: str, at: float, client_id: str, *, note: str = "",
        queue_id: str | None = None, agent_id: str | None = None,
    ) -> Callback:
        """Call a customer back at `at` (server time): me, `agent_id` or anyone in
        `queue_id` (`capabilities.callbacks`); `CallRefusedError` as for `dial`."""
        raise NotSupportedError(self.capabilities.missing_reason("callbacks"))

    async def list_callbacks(self) -> list[Callback]:
        raise NotSupportedError(self.capabilities.missing_reason("callbacks"))

    async def disclosure(self, interaction_id: str, action: str, client_id: str) -> Interaction:
        """Recording disclosure on a call: `confirm`, `decline` (recording pauses) or
        `resume` (`capabilities.recording_disclosure`)."""
        raise NotSupportedError(self.capabilities.missing_reason("recording_disclosure"))

    @abstractmethod
    async def wrapup(
        self, interaction_id: str, disposition: str, client_id: str, notes: str | None = None
    ) -> Interaction: ...
