"""Snapshots of the wallboard and the drill-down at 120x40 and 80x24: a seeded
server with a manual clock, worked by bots for ten simulated minutes, a live
call in progress, the app clock frozen at the server's, UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timezone

import pytest

from agentdesk.backends.native import NativeBackend
from agentdesk.mockserver.testing import DemoClient, ServerHandle, running_server
from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen
from agentdesk.ui.monitor.monitor_app import MonitorApp

SIZES = [(120, 40), (80, 24)]


class FrozenClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def floor_server() -> Iterator[tuple[ServerHandle, str, float, str]]:
    """(server, supervisor token, sim time, the voice call's id) of a quiet floor."""
    with running_server(agents=16, bots=16, traffic=True, manual_clock=True, seed=11) as server:
        client = DemoClient(server.url, "supervisor")
        try:
            for _ in range(20):
                client.advance(30)
            call = client.contact("voice")
            for _ in range(10):
                now = client.advance(2)
            yield server, client.token or "", now, call
        finally:
            client.close()


def _app(floor_server) -> MonitorApp:
    server, token, now, _call = floor_server
    backend = NativeBackend(server.url, token=token)
    return MonitorApp(backend, clock=FrozenClock(now), tz=timezone.utc, user_name="Supervisor")


async def _loaded(pilot) -> None:
    app: MonitorApp = pilot.app
    for _ in range(400):
        if app.loaded and app.link_state == "connected" and getattr(app.screen, "ready", False):
            break
        await pilot.pause(0.025)
    count = app.flushes
    app.floor.mark_all_dirty()
    for _ in range(400):
        if app.flushes > count:
            break
        await pilot.pause(0.025)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_monitor_wallboard_snapshot(snap_compare, floor_server, size) -> None:
    assert snap_compare(_app(floor_server), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_monitor_drilldown_snapshot(snap_compare, floor_server, size) -> None:
    call = floor_server[3]

    async def open_call(pilot) -> None:
        await _loaded(pilot)
        app: MonitorApp = pilot.app
        agent_id = app.floor.interactions[call].agent_id
        assert agent_id, "the bot did not take the call"
        app.open_agent(agent_id)
        for _ in range(400):
            screen = app.screen
            if isinstance(screen, DrilldownScreen) and screen.ready and not screen._loading:
                break
            await pilot.pause(0.025)
        screen = app.screen
        screen.open_interaction(call)
        for _ in range(400):
            if not screen._loading:
                break
            await pilot.pause(0.025)
        await pilot.pause(0.1)

    assert snap_compare(_app(floor_server), terminal_size=size, run_before=open_call)
