"""Integration fixtures: the real mock server on loopback and real clients.

`server` runs the mock server in a thread (manual clock, no automatic traffic,
no bots), `sim` drives it, and `connect(user)` gives a logged-in `Client`: a
NativeBackend whose event stream is consumed in the background so tests can
await the events they expect.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from agentdesk.backends.base import LinkState, LinkStatus, ProtocolProblem, StreamItem
from agentdesk.backends.http import RetryPolicy
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.backends.stream import StreamPolicy
from agentdesk.domain.enums import TimelineKind
from agentdesk.domain.events import (
    AgentChanged,
    CallChanged,
    CustomerTyping,
    DeskEvent,
    InteractionChanged,
    ItemAdded,
    KbChanged,
    ServerTime,
    SnapshotNeeded,
    StatsChanged,
)
from agentdesk.domain.models import Presence
from agentdesk.testing.mockserver import ServerHandle, running_server

WAIT = 10.0  # upper bound for anything to arrive; a generous limit, never a speed claim
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.02, max_delay=0.1)
FAST_STREAM = StreamPolicy(ping_interval=1.0, dead_after=10.0, backoff_base=0.05,
                           backoff_cap=0.3, open_timeout=5.0, close_timeout=1.0)


Event = DeskEvent  # what the tests await: domain events, as the desk gets them


def kind_of(e: Any) -> str:
    """A short name for a domain event, for the tests' own matching (the names
    mirror agentdesk/1's event types, which the tests were written in)."""
    if isinstance(e, InteractionChanged):
        return f"interaction.{e.change.value}"
    if isinstance(e, ItemAdded):
        return "transcript.segment" if e.item.kind is TimelineKind.TRANSCRIPT else "message.created"
    names = {CallChanged: "call.updated", CustomerTyping: "customer.typing",
             AgentChanged: "agent.updated", StatsChanged: "stats.updated", KbChanged: "kb.updated"}
    return names.get(type(e), type(e).__name__)


def is_news(item: Any) -> bool:
    """A domain event with news in it (not a link change, reload request or clock reading)."""
    return not isinstance(item, (LinkStatus, ProtocolProblem, SnapshotNeeded, ServerTime))


class Client:
    """A logged-in backend plus a background reader of its event stream."""

    def __init__(self, backend: NativeBackend) -> None:
        self.backend = backend
        self.items: asyncio.Queue[StreamItem] = asyncio.Queue()
        self.log: list[StreamItem] = []  # everything the stream yielded, in order
        # The agentdesk/1 seq behind each event of `events()`: the adapter's public
        # `last_seq` read as the event is taken (it advances before the event leaves),
        # so the tests can prove each frame reached the desk exactly once and in order.
        self.seqs: list[int] = []
        self.task: asyncio.Task[None] | None = None

    async def start(self, *, wait_connected: bool = True) -> None:
        self.task = asyncio.create_task(self._read())
        if wait_connected:
            await self.link(LinkState.CONNECTED)

    async def _read(self) -> None:
        async for item in self.backend.events():
            self.log.append(item)
            if is_news(item):
                self.seqs.append(self.backend.last_seq)
            await self.items.put(item)

    async def next(self, kind: type = object) -> Any:
        while True:
            item = await asyncio.wait_for(self.items.get(), WAIT)
            if isinstance(item, kind):
                return item

    async def event(self, type_: str, where: Callable[[Event], bool] = lambda e: True) -> Event:
        """The next event of `type_` matching `where` (other items are skipped)."""
        while True:
            item = await self.next()
            if is_news(item) and kind_of(item) == type_ and where(item):
                return item

    async def link(self, state: LinkState) -> LinkStatus:
        while True:
            item = await self.next(LinkStatus)
            if item.state is state:
                return item

    def events(self) -> list[Event]:
        return [i for i in self.log if is_news(i)]

    async def close(self) -> None:
        await self.backend.close()
        if self.task is not None:
            await asyncio.wait_for(self.task, WAIT)


async def until(predicate: Callable[[], object], what: str) -> None:
    """Await a condition, polling, up to WAIT (a deadline, not a speed claim)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def for_ix(iid: str) -> Callable[[Event], bool]:
    """Match events about one interaction, whatever their data model."""

    def match(e: Event) -> bool:
        if isinstance(e, InteractionChanged):
            return e.interaction.id == iid
        if isinstance(e, ItemAdded):
            return e.item.interaction_id == iid
        return getattr(e, "interaction_id", None) == iid

    return match


@pytest.fixture
def server() -> Iterator[ServerHandle]:
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as handle:
        yield handle


@pytest.fixture
async def sim(server: ServerHandle) -> AsyncIterator[SimControl]:
    control = SimControl(server.url)
    yield control
    await control.aclose()


Connect = Callable[..., Awaitable[Client]]


@pytest.fixture
async def connect(server: ServerHandle) -> AsyncIterator[Connect]:
    """`await connect("agent1")`: logged in, stream connected, and (agents) available."""
    clients: list[Client] = []

    async def make(user: str = "agent1", *, available: bool = True, url: str | None = None,
                   **kw: Any) -> Client:
        kw.setdefault("retry", FAST_RETRY)
        kw.setdefault("stream_policy", FAST_STREAM)
        kw.setdefault("timeout", 5.0)
        backend = NativeBackend(url or server.url, **kw)
        await backend.login(user, "demo")
        client = Client(backend)
        clients.append(client)
        await client.start()
        if available and user != "supervisor":
            await backend.set_presence(Presence.AVAILABLE)
        return client

    yield make
    for client in clients:
        await client.close()
