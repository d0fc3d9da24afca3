"""Shared set-up of the Chatwoot integration tests: the fake Chatwoot on
loopback (REST + ActionCable, in the test's loop) and a signed-in
ChatwootBackend whose live stream is read in the background."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from agentdesk.backends.base import LinkState, LinkStatus
from agentdesk.backends.chatwoot.backend import ChatwootBackend
from agentdesk.backends.chatwoot.cable import CablePolicy
from agentdesk.backends.http import RetryPolicy
from agentdesk.domain.events import InteractionChange, InteractionChanged, ItemAdded
from agentdesk.testing.chatwoot import RunningFake, running_chatwoot

WAIT = 10.0  # upper bound for anything to arrive; never a speed claim
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.02, max_delay=0.1)
FAST_CABLE = CablePolicy(stale_after=15.0, confirm_timeout=3.0, presence_interval=20.0,
                         backoff_base=0.05, backoff_cap=0.3, open_timeout=5.0)
ADA = ("ada@example.com", "secret-ada")


class Desk:
    """A backend plus a background reader of its stream."""

    def __init__(self, backend: ChatwootBackend) -> None:
        self.backend = backend
        self.items: asyncio.Queue[Any] = asyncio.Queue()
        self.log: list[Any] = []
        self.skipped: list[Any] = []
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self._read())
        await self.link(LinkState.CONNECTED)

    async def _read(self) -> None:
        async for item in self.backend.events():
            self.log.append(item)
            await self.items.put(item)

    async def next(self, kind: type = object, where: Callable[[Any], bool] = lambda _: True
                   ) -> Any:
        """The first item (in stream order) matching, already passed over or still
        to come; items passed over stay available to later calls."""
        for i, item in enumerate(self.skipped):
            if isinstance(item, kind) and where(item):
                del self.skipped[i]
                return item
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT  # overall: pings keep the queue busy
        while True:
            item = await asyncio.wait_for(self.items.get(), max(0.0, deadline - loop.time()))
            if isinstance(item, kind) and where(item):
                return item
            self.skipped.append(item)

    async def link(self, state: LinkState) -> LinkStatus:
        return await self.next(LinkStatus, lambda s: s.state is state)

    async def change(self, change: InteractionChange, conv_id: object) -> InteractionChanged:
        return await self.next(InteractionChanged, lambda e: e.change is change
                               and e.interaction.id == str(conv_id))

    async def item(self, where: Callable[[Any], bool]) -> ItemAdded:
        return await self.next(ItemAdded, lambda e: where(e.item))

    def added_ids(self) -> list[str]:
        return [x.item.id for x in self.log if isinstance(x, ItemAdded)]

    async def stop(self) -> None:
        await self.backend.close()
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, WAIT)


def new_backend(fake: RunningFake, **kw: Any) -> ChatwootBackend:
    kw.setdefault("retry", FAST_RETRY)
    kw.setdefault("cable_policy", FAST_CABLE)
    return ChatwootBackend(fake.url, **kw)


@contextlib.asynccontextmanager
async def chatwoot_desk(*, stream: bool = True, ping_interval: float = 1.0
                        ) -> AsyncIterator[tuple[RunningFake, Desk]]:
    """The fake, and Ada signed in (password) with her stream connected."""
    async with running_chatwoot(ping_interval=ping_interval) as fake:
        desk = Desk(new_backend(fake))
        try:
            await desk.backend.login(*ADA)
            if stream:
                await desk.start()
                await asyncio.wait_for(fake.subscribed.wait(), WAIT)
            yield fake, desk
        finally:
            await desk.stop()
