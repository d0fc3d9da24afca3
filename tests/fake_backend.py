"""A small in-memory Backend for tests of the desk controller and of the desk
with a backend other than agentdesk/1 (declared capabilities, no server).

The test pushes stream items (`push`), sets what the snapshots return, and
reads what the desk asked for in `calls`. Commands answer like a server that
accepts everything (and echoes messages on the stream, with their client_id).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from agentdesk.backends.base import (
    Backend,
    BackendAuthError,
    BackendConnectionError,
    LinkState,
    LinkStatus,
    StreamItem,
)
from agentdesk.domain.capabilities import Capabilities
from agentdesk.domain.enums import CallAction, Presence, TransferMode
from agentdesk.domain.events import InteractionChange, InteractionChanged, ItemAdded
from agentdesk.domain.models import (
    AgentInfo,
    CannedResponse,
    Customer,
    CustomerDetail,
    Disposition,
    Interaction,
    InteractionState,
    KbArticle,
    Queue,
    Role,
    Stats,
    TimelineItem,
    TimelinePage,
    User,
)

T0 = 1772442000.0
ME = User(id="a1", name="Ada Agent", role=Role.AGENT)


def chat(iid: str = "i1", state: InteractionState = InteractionState.ACTIVE, **kw: Any) -> Interaction:
    fields: dict[str, Any] = dict(id=iid, channel="chat", customer_id="c-" + iid,
                                  customer_name="Cust " + iid, queue_id="q1", state=state,
                                  agent_id="a1", created_at=T0)
    fields.update(kw)
    return Interaction(**fields)


class FakeBackend(Backend):
    def __init__(self, capabilities: Capabilities | None = None, *, token: str | None = "tok") -> None:
        super().__init__()
        if capabilities is not None:
            self.capabilities = capabilities
        self._token = token
        self.user = ME
        self.agent = AgentInfo(id="a1", name="Ada Agent", presence=Presence.AVAILABLE)
        self.interactions: list[Interaction] = []
        self.queues = [Queue(id="q1", name="Support", channels=["chat"])]
        self.calls: list[tuple[str, Any]] = []
        self.snapshot_failures = 0  # the next N snapshot loads fail (server down)
        self.snapshot_refused = False  # the snapshot load answers "signed out"
        self.snapshots = 0  # successful snapshot loads
        self.refuse: dict[str, str] = {}  # command name -> refusal message
        self.mark_read_down = 0  # the next N read marks fail as if the server were unreachable
        self._items: asyncio.Queue[StreamItem | None] = asyncio.Queue()
        self._seq = 0

    # -- test controls
    def push(self, *items: StreamItem) -> None:
        for item in items:
            self._items.put_nowait(item)

    def connect(self) -> None:
        self.push(LinkStatus(LinkState.CONNECTED))

    # -- session
    @property
    def token(self) -> str | None:
        return self._token

    async def login(self, username: str, password: str) -> str:
        self.calls.append(("login", username))
        if password != "demo":
            raise BackendAuthError("wrong password")
        self._token = "tok-" + username
        return self._token

    async def use_token(self, token: str) -> User:
        self._token = token
        return ME

    async def me(self) -> tuple[User, AgentInfo | None]:
        if self.snapshot_refused:
            raise BackendAuthError("signed out")
        if self.snapshot_failures:
            self.snapshot_failures -= 1
            raise BackendConnectionError("server unreachable")
        self.snapshots += 1
        return ME, self.agent

    async def close(self) -> None:
        self.push(None)

    # -- snapshots
    async def list_interactions(self, agent_id: str | None = None) -> list[Interaction]:
        return list(self.interactions)

    async def get_interaction(self, interaction_id: str) -> Interaction:
        return next(i for i in self.interactions if i.id == interaction_id)

    async def get_customer(self, customer_id: str) -> CustomerDetail:
        return CustomerDetail(customer=Customer(id=customer_id, name="Cust"))

    async def get_timeline(self, customer_id: str, *, before: str | None = None,
                           limit: int = 100) -> TimelinePage:
        return TimelinePage(items=[], has_more=False)

    async def list_queues(self) -> list[Queue]:
        return list(self.queues)

    async def list_agents(self) -> list[AgentInfo]:
        return [self.agent, AgentInfo(id="a2", name="Bo")]

    async def get_stats(self) -> Stats:
        self.calls.append(("get_stats", None))
        return Stats(at=T0)

    async def list_dispositions(self) -> list[Disposition]:
        return [Disposition(code="resolved", label="Resolved")]

    async def list_canned_responses(self) -> list[CannedResponse]:
        return []

    async def list_kb_articles(self, since: float | None = None) -> list[KbArticle]:
        return []

    # -- stream
    async def _follow(self) -> AsyncIterator[StreamItem]:
        yield LinkStatus(LinkState.CONNECTING)
        while True:
            item = await self._items.get()
            if item is None:
                yield LinkStatus(LinkState.CLOSED, "closed")
                return
            yield item

    def events(self) -> AsyncIterator[StreamItem]:
        return self._follow()

    # -- commands
    def _check(self, name: str, payload: Any) -> None:
        self.calls.append((name, payload))
        if name in self.refuse:
            from agentdesk.backends.base import BackendCommandError

            raise BackendCommandError(self.refuse[name], status=409, code="conflict")

    def _find(self, iid: str) -> Interaction:
        return next((i for i in self.interactions if i.id == iid), chat(iid))

    async def set_presence(self, presence: Presence, next: Presence | None = None) -> AgentInfo:
        self._check("presence", (presence, next))
        self.agent = self.agent.model_copy(update={"presence": presence})
        return self.agent

    async def accept(self, interaction_id: str, client_id: str) -> Interaction:
        self._check("accept", interaction_id)
        done = self._find(interaction_id).model_copy(update={"state": InteractionState.ACTIVE})
        self.push(InteractionChanged(InteractionChange.ACCEPTED, done, time.time()))
        return done

    async def reject(self, interaction_id: str, client_id: str,
                     reason: str | None = None) -> Interaction:
        self._check("reject", interaction_id)
        return self._find(interaction_id)

    async def mark_read(self, interaction_id: str) -> None:
        if self.mark_read_down > 0:
            self.mark_read_down -= 1
            self.calls.append(("mark_read_failed", interaction_id))
            raise BackendConnectionError("server unreachable")
        self.calls.append(("mark_read", interaction_id))

    def inbound(self, interaction_id: str, body: str = "hello") -> None:
        """A customer message on the stream (it counts as unread)."""
        self._seq += 1
        item = TimelineItem(id=f"in{self._seq}", customer_id="c-" + interaction_id,
                            interaction_id=interaction_id, channel="chat", kind="message",
                            direction="inbound", author="Cust", body=body, at=T0 + self._seq)
        self.push(ItemAdded(item, T0 + self._seq))

    async def set_typing(self, interaction_id: str, typing: bool) -> None:
        self.calls.append(("set_typing", (interaction_id, typing)))

    async def send_message(self, interaction_id: str, body: str, client_id: str, *,
                           kind: str = "reply", subject: str | None = None,
                           cc: list[str] | None = None) -> TimelineItem:
        self._check("send_message", (interaction_id, body, client_id))
        self._seq += 1
        item = TimelineItem(id=f"m{self._seq}", customer_id="c-" + interaction_id,
                            interaction_id=interaction_id, channel="chat", kind="message",
                            direction="outbound", author="Ada Agent", body=body, at=T0,
                            client_id=client_id)
        self.push(ItemAdded(item, T0))
        return item

    async def call_action(self, interaction_id: str, action: CallAction, client_id: str,
                          digits: str | None = None) -> Interaction:
        self._check("call_action", (interaction_id, action))
        return self._find(interaction_id)

    async def transfer(self, interaction_id: str, client_id: str, *, queue_id: str | None = None,
                       agent_id: str | None = None, mode: TransferMode = TransferMode.BLIND,
                       team_id: str | None = None) -> Interaction:
        self._check("transfer", (interaction_id, queue_id, agent_id, team_id))
        return self._find(interaction_id)

    async def wrapup(self, interaction_id: str, disposition: str, client_id: str,
                     notes: str | None = None) -> Interaction:
        self._check("wrapup", (interaction_id, disposition))
        return self._find(interaction_id)
