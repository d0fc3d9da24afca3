"""Desk UI tests: the real mock server on loopback (no bots, no traffic,
manual clock) and the real client; the customer is driven through /sim.

`open_desk(...)` yields a `Desk` with the running app, its pilot, a SimControl
and the app clock, which is frozen at the server's manual clock and advanced
together with it (`desk.advance(s)`), so countdowns are deterministic.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import Presence
from agentdesk.testing.clock import FrozenClock
from agentdesk.testing.mockserver import ServerHandle, running_server
from agentdesk.ui.app import AgentDeskApp, make_app

sys.path.insert(0, str(Path(__file__).parents[1]))

from pilot_wait import UNTIL_S, until

SIM_START = 1772442000.0


def _load_hostile() -> Any:
    path = Path(__file__).parents[1] / "data" / "hostile.py"
    spec = importlib.util.spec_from_file_location("agentdesk_tests_hostile", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hostile = _load_hostile()




@dataclass
class Desk:
    app: AgentDeskApp
    pilot: Any
    sim: SimControl
    server: ServerHandle
    clock: FrozenClock
    probe: NativeBackend  # a second session of the same agent, to check the server side

    @property
    def screen(self) -> Any:
        return self.app.desk

    async def advance(self, seconds: float) -> None:
        self.clock.now = await self.sim.advance(seconds)
        await self.settle()

    async def settle(self, pause: float = 0.15) -> None:
        await self.pilot.pause(pause)

    async def until(self, predicate: Callable[[], bool], timeout: float = UNTIL_S, what: str = "") -> None:
        """Poll the UI until `predicate()` holds (events cross a real socket)."""
        await until(self.pilot, predicate, what or str(predicate), timeout)

    async def until_server(self, predicate: Callable[[], Awaitable[bool]],
                           timeout: float = UNTIL_S, what: str = "") -> None:
        """As `until`, for a condition asked of the server (an awaited probe)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not await predicate():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what or predicate}")
            await self.pilot.pause(0.05)

    async def offer(self, channel: str = "chat", **fields: Any) -> str:
        iid = await self.sim.new_contact(channel, **fields)
        await self.until(lambda: iid in self.screen.views, what=f"tab for {iid}")
        return iid

    async def accepted(self, channel: str = "chat", **fields: Any) -> str:
        iid = await self.offer(channel, **fields)
        self.screen.activate(iid)
        await self.pilot.press("f2")
        await self.until(lambda: self.screen.state.interactions[iid].state.value == "active",
                         what="accepted")
        await self.settle()
        return iid


@asynccontextmanager
async def open_desk(
    size: tuple[int, int] = (120, 40), *, available: bool = True, keymap: dict[str, str] | None = None,
    before: Callable[[ServerHandle], None] | None = None, seed: int = 7, tmp: Path | None = None,
    bots: int = 0,
) -> AsyncIterator[Desk]:
    """`bots`: the last agents are simulated (they answer consults, for one)."""
    with running_server(agents=3, bots=bots, traffic=False, manual_clock=True, seed=seed) as server:
        if before is not None:
            before(server)
        backend = NativeBackend(server.url)
        await backend.login("agent1", "demo")
        probe = NativeBackend(server.url)
        await probe.login("agent1", "demo")
        sim = SimControl(server.url)
        clock = FrozenClock(await sim.now())
        if available:
            await probe.set_presence(Presence.AVAILABLE)
        store = (tmp or Path(server.url.replace(":", "_").replace("/", "_"))) / "desk.db"
        app = make_app(backend, clock=clock, keymap=keymap, username="agent1",
                       store_path=store, tz=UTC)
        try:
            async with app.run_test(size=size, notifications=True) as pilot:
                desk = Desk(app, pilot, sim, server, clock, probe)
                await desk.until(lambda: app.desk is not None and app.desk.state.agent is not None,
                                 what="desk loaded")
                await desk.settle()
                yield desk
        finally:
            await sim.aclose()
            await probe.close()
            await backend.close()


@pytest.fixture
def desk_factory(tmp_path: Path) -> Callable[..., Any]:
    def factory(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("tmp", tmp_path)
        return open_desk(*args, **kwargs)

    return factory


@pytest.fixture
def hostile_corpus() -> Any:
    """tests/data/hostile.py (HOSTILE, HOSTILE_SHORT)."""
    return hostile
