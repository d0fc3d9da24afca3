"""Harness of the monitor UI tests (imported by the other test_monitor_* modules):
the real mock server on loopback (manual clock, seeded, bots), the real client,
and recorders of every backend method called and every HTTP request sent.

    async with open_monitor(agents=30) as mon:
        await mon.advance(60)          # the server's clock and the app's frozen clock
        await mon.until(lambda: ...)   # events cross a real socket
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import httpx

from agentdesk.testing.clock import FrozenClock

sys.path[:0] = [str(Path(__file__).parents[1] / "data")]

from agentdesk.backends.http_wire import ConnectionPool, WireRequest, WireResponse  # noqa: E402
from agentdesk.backends.native import NativeBackend  # noqa: E402
from agentdesk.backends.sim_control import SimControl  # noqa: E402
from agentdesk.testing.mockserver import ServerHandle, running_server  # noqa: E402
from agentdesk.ui.monitor.launch_monitor import make_monitor_app  # noqa: E402
from agentdesk.ui.monitor.monitor_app import MonitorApp  # noqa: E402

COMMAND_METHODS = frozenset({"accept", "reject", "send_message", "call_action", "transfer",
                             "wrapup", "set_presence", "mark_read"})


class RecordingTransport:
    """Every HTTP request the client sends, as (method, path)."""

    def __init__(self) -> None:
        self.inner = ConnectionPool()
        self.requests: list[tuple[str, str]] = []

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        self.requests.append((request.method, request.path))
        return await self.inner.send(request, timeout=timeout, max_body=max_body)

    async def aclose(self) -> None:
        await self.inner.aclose()


class RecordingBackend:
    """Wraps a backend; records the name of every method called on it."""

    def __init__(self, inner: NativeBackend) -> None:
        self._inner = inner
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value) or name.startswith("_"):
            return value
        calls = self.calls

        def recorded(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return value(*args, **kwargs)

        return recorded


@dataclass
class Monitor:
    app: MonitorApp
    pilot: Any
    sim: SimControl
    server: ServerHandle
    clock: FrozenClock
    backend: RecordingBackend
    transport: RecordingTransport
    extra: dict[str, Any] = field(default_factory=dict)

    async def advance(self, seconds: float, step: float = 30.0) -> None:
        """Move the server's manual clock (in steps, as time would pass) and the app's clock."""
        left = seconds
        while left > 0:
            self.clock.now = await self.sim.advance(min(step, left))
            left -= step
        await self.settle()

    async def settle(self, pause: float = 0.1) -> None:
        await self.pilot.pause(pause)

    async def until(self, predicate: Callable[[], bool], timeout: float = 10.0,
                    what: str = "") -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what or predicate} "
                                     f"(screens: {self.app.screen_stack})")
            await self.pilot.pause(0.05)

    async def drilldown(self, agent_id: str) -> Any:
        """Open an agent's drill-down (as Enter on the board does); wait until it is up."""
        from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen

        self.app.call_later(self.app.open_agent, agent_id)
        await self.until(lambda: isinstance(self.app.screen, DrilldownScreen)
                         and self.app.screen.ready and self.app.screen.agent_id == agent_id,
                         what=f"drill-down of {agent_id}")
        screen = self.app.screen
        await self.until(lambda: not screen._loading, what="timeline loaded")
        return screen

    async def flushed(self) -> None:
        """Wait for the next flush to have run."""
        count = self.app.flushes
        self.app.floor.mark_all_dirty()
        await self.until(lambda: self.app.flushes > count, what="a flush")
        await self.pilot.pause()


async def supervisor_get(url: str, path: str, user: str = "supervisor") -> Any:
    """A GET as another session (its own token), e.g. the server's stats."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        r = await http.post("/v1/login", json={"username": user, "password": "demo"})
        r.raise_for_status()
        r = await http.get(path, headers={"Authorization": f"Bearer {r.json()['token']}"})
        r.raise_for_status()
        return r.json()


@asynccontextmanager
async def open_monitor(
    *, agents: int = 30, bots: int | None = None, traffic: bool = True, seed: int = 7,
    size: tuple[int, int] = (120, 40), warmup_s: float = 0.0, scenario: str | None = None,
    before: Callable[[ServerHandle], None] | None = None,
    app_factory: Callable[..., MonitorApp] | None = None,
    transport: RecordingTransport | None = None,
) -> AsyncIterator[Monitor]:
    bots = agents if bots is None else bots
    with running_server(agents=agents, bots=bots, traffic=traffic, manual_clock=True, seed=seed,
                        scenario=scenario) as server:
        sim = SimControl(server.url)
        left = warmup_s
        while left > 0:
            await sim.advance(min(30.0, left))
            left -= 30.0
        if before is not None:
            before(server)
        transport = transport or RecordingTransport()
        native = NativeBackend(server.url, transport=transport)
        await native.login("supervisor", "demo")
        backend = RecordingBackend(native)
        clock = FrozenClock(await sim.now())
        factory = app_factory or make_monitor_app
        app = factory(backend, clock=clock, tz=UTC)  # type: ignore[arg-type]
        try:
            async with app.run_test(size=size, notifications=True) as pilot:
                mon = Monitor(app, pilot, sim, server, clock, backend, transport)
                await mon.until(lambda: app.loaded and app.link_state == "connected",
                                what="monitor loaded and connected")
                await mon.flushed()
                yield mon
        finally:
            await sim.aclose()
            await native.close()


def test_recording_backend_records_calls() -> None:
    class Inner:
        user = None

        def list_queues(self) -> str:
            return "q"

    rec = RecordingBackend(Inner())  # type: ignore[arg-type]
    assert rec.list_queues() == "q"
    assert rec.user is None
    assert rec.calls == ["list_queues"]


def test_make_monitor_app_uses_the_server_clock() -> None:
    import time

    class Inner:
        user = None

        def server_now(self) -> float:
            return 42.0

    app = make_monitor_app(Inner())  # type: ignore[arg-type]
    assert app.clock() == 42.0
    frozen = FrozenClock(7.0)
    assert make_monitor_app(Inner(), clock=frozen).clock is frozen  # type: ignore[arg-type]
    plain = Inner()
    del Inner.server_now
    assert make_monitor_app(plain, clock=time.time).clock is time.time  # type: ignore[arg-type]
