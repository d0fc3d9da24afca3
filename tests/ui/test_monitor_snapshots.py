"""Snapshots of the wallboard and the drill-down at 120x40 and 80x24, and of the
wall layout at 80x24, 120x40 and 200x60.

The scene (tools/screenshots/monitor_scenes.py): a seeded server with a manual
clock and more traffic than its 16 bots can take, driven in 30 s steps while
the monitor follows, so queues, trends and the live feed fill; the app clock
is frozen at the server's after each step; times in UTC.
"""

from __future__ import annotations

import pytest

from tools.screenshots.monitor_scenes import (
    drive_scene,
    flush_now,
    make_scene_app,
    open_call_drilldown,
    scene_server,
    supervisor_token,
)

SIZES = [(120, 40), (80, 24)]
STEPS = 16  # 8 simulated minutes


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_monitor_wallboard_snapshot(snap_compare, size) -> None:
    with scene_server() as server:
        async def run(pilot) -> None:
            await drive_scene(pilot, server.url, steps=STEPS)

        app = make_scene_app(server.url, supervisor_token(server.url))
        assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_monitor_drilldown_snapshot(snap_compare, size) -> None:
    with scene_server() as server:
        async def run(pilot) -> None:
            await drive_scene(pilot, server.url, steps=STEPS)
            await open_call_drilldown(pilot, server.url)

        app = make_scene_app(server.url, supervisor_token(server.url))
        assert snap_compare(app, terminal_size=size, run_before=run)


WALL_SIZES = [(80, 24), (120, 40), (200, 60)]


@pytest.mark.parametrize("size", WALL_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_monitor_wall_snapshot(snap_compare, size) -> None:
    with scene_server() as server:
        async def run(pilot) -> None:
            await drive_scene(pilot, server.url, steps=STEPS)
            await pilot.press("w")
            await pilot.pause(0.2)
            await flush_now(pilot)

        app = make_scene_app(server.url, supervisor_token(server.url))
        assert snap_compare(app, terminal_size=size, run_before=run)
