"""Deterministic monitor scenes, for `make screenshots` and the snapshot tests.

A seeded mock server with a manual clock and a busy scenario (more contacts
than 16 bots can take, so queues build up, customers abandon and service
levels fall) is driven step by step while the monitor follows it, so the
trends and the live feed fill exactly as they would live. The app's clock is
frozen at the server's after every step.

    save_monitor_screenshots("screenshots")  # monitor.svg, monitor-drilldown.svg
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.testing.clock import FrozenClock
from agentdesk.testing.mockserver import running_server
from agentdesk.ui.monitor.monitor_app import MonitorApp

SCENE_SEED = 11
SCENE_AGENTS = 16
SCENE_START = 1772442000.0  # the mock server's manual clock starts here
SCENE_STEPS = 40  # 40 x 30 s = 20 simulated minutes
SCENE_STEP_S = 30.0

SCENE_SCENARIO = """
[arrivals]
chat = 320.0
email = 20.0
sms = 30.0
social = 20.0
voice = 240.0

[patience]
voice = [20.0, 120.0]
chat = [40.0, 300.0]

[bots]
accept_delay_s = [2.0, 8.0]
wrapup_delay_s = [10.0, 40.0]
"""


@contextlib.contextmanager
def scene_server(**overrides: Any) -> Iterator[Any]:
    """The busy, seeded, manual-clock mock server of the monitor scenes."""
    with tempfile.TemporaryDirectory(prefix="agentdesk-monitor-scene-") as tmp:
        scenario = Path(tmp) / "scene.toml"
        scenario.write_text(SCENE_SCENARIO, encoding="utf-8")
        options = dict(agents=SCENE_AGENTS, bots=SCENE_AGENTS, traffic=True, manual_clock=True,
                       seed=SCENE_SEED, scenario=str(scenario))
        options.update(overrides)
        with running_server(**options) as server:
            yield server


def make_scene_app(url: str, token: str) -> MonitorApp:
    backend = NativeBackend(url, token=token)
    # No user name given: the app asks the server who the token belongs to.
    return MonitorApp(backend, clock=FrozenClock(SCENE_START), tz=UTC, flush_s=0.05)


async def _wait(pilot: Any, predicate: Any, tries: int = 400) -> None:
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.025)
    raise TimeoutError("monitor scene: the app did not catch up")


async def flush_now(pilot: Any) -> None:
    """Wait for one full flush of everything applied so far."""
    app: MonitorApp = pilot.app
    count = app.flushes
    app.floor.mark_all_dirty()
    await _wait(pilot, lambda: app.flushes > count)
    await pilot.pause()


async def step_to(pilot: Any, sim: SimControl, seconds: float) -> None:
    """Advance the server's clock, follow with the app's, wait until the app has
    applied the step's last stats and flushed."""
    app: MonitorApp = pilot.app
    now = await sim.advance(seconds)
    await _wait(pilot, lambda: app.floor.stats_at is not None and app.floor.stats_at >= now)
    # The clock moves only once every event of the step is in, so the flushes
    # see the same state whatever the timing (SLA breaches are clock-driven).
    app.clock.now = now  # type: ignore[attr-defined]
    await flush_now(pilot)


async def drive_scene(pilot: Any, url: str, *, steps: int = SCENE_STEPS) -> None:
    """Load, then run the floor for `steps` x 30 s with the app following."""
    app: MonitorApp = pilot.app
    await _wait(pilot, lambda: app.loaded and app.link_state == "connected"
                and getattr(app.screen, "ready", False))
    async with SimControl(url) as sim:
        app.clock.now = await sim.now()  # type: ignore[attr-defined]
        await flush_now(pilot)
        for _ in range(steps):
            await step_to(pilot, sim, SCENE_STEP_S)


def live_call(app: MonitorApp) -> Any:
    """The connected call talking longest (ties: lowest id), if any."""
    calls = [ix for ix in app.floor.interactions.values()
             if ix.call is not None and ix.call.state.value == "connected" and ix.agent_id
             and ix.call.connected_at is not None]
    calls.sort(key=lambda ix: (ix.call.connected_at, ix.id))
    return calls[0] if calls else None


async def open_call_drilldown(pilot: Any, url: str, *, follow_steps: int = 3) -> None:
    """Open the drill-down of an agent on a live call, showing that call, then let
    the call go on for a few seconds so transcript segments arrive live."""
    from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen

    app: MonitorApp = pilot.app
    ix = live_call(app)
    agent_id = ix.agent_id if ix is not None else next(
        (a for a in app.floor.agents if app.floor.agent_interactions(a)), None)
    if agent_id is None:
        return
    app.open_agent(agent_id)
    await _wait(pilot, lambda: isinstance(app.screen, DrilldownScreen) and app.screen.ready
                and not app.screen._loading)
    screen = app.screen
    if ix is not None:
        screen.open_interaction(ix.id)  # type: ignore[attr-defined]
        await _wait(pilot, lambda: not screen._loading)  # type: ignore[attr-defined]
    async with SimControl(url) as sim:
        for _ in range(follow_steps):
            await step_to(pilot, sim, 2.0)
    await pilot.pause(0.1)


def supervisor_token(url: str) -> str:
    import httpx

    reply = httpx.post(f"{url}/v1/login", json={"username": "supervisor", "password": "demo"},
                       timeout=10)
    reply.raise_for_status()
    return str(reply.json()["token"])


def save_monitor_screenshots(directory: str | Path, size: tuple[int, int] = (120, 40)) -> list[Path]:
    """Write `monitor.svg` (wallboard) and `monitor-drilldown.svg` (a live call) into
    `directory`; returns the paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    async def run(url: str, token: str) -> None:
        app = make_scene_app(url, token)
        async with app.run_test(size=size) as pilot:
            await drive_scene(pilot, url)
            app.save_screenshot("monitor.svg", str(out))
            written.append(out / "monitor.svg")
            await open_call_drilldown(pilot, url)
            app.save_screenshot("monitor-drilldown.svg", str(out))
            written.append(out / "monitor-drilldown.svg")
        await app.backend.close()

    with scene_server() as server:
        asyncio.run(run(server.url, supervisor_token(server.url)))
    return written


if __name__ == "__main__":  # python -m tools.screenshots.monitor_scenes DIR
    for written in save_monitor_screenshots(sys.argv[1] if sys.argv[1:] else "screenshots"):
        print(written)
