"""Issue 14 item 6: a draft typed in the demo is there when the demo starts
again. The real launcher pieces: the demo server as its child process keeping
its world in a SQLite file under the user's data dir, the desk's store keyed by
the demo's identity (not its random port), and the desk app typing the draft."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from argparse import Namespace
from datetime import UTC
from pathlib import Path

import httpx

from agentdesk.backends.base import new_client_id
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.cli.demo import start_demo_server, stop_demo_server
from agentdesk.domain.models import Presence
from agentdesk.store.demo_world import demo_world
from agentdesk.ui.app import make_app
from agentdesk.ui.launch import store_path_for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{url}/v1/me", timeout=1.0)).status_code == 401:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def _until(pilot, predicate, what: str, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


async def test_a_demo_draft_survives_quitting_and_starting_the_demo_again(tmp_path: Path, monkeypatch):
    for d in ("CONFIG", "DATA", "STATE", "CACHE"):
        monkeypatch.setenv(f"XDG_{d}_HOME", str(tmp_path / d.lower()))
    args = Namespace(seed=11, speed=1.0, agents=3)
    world = demo_world(args.seed, args.agents, 0)
    assert world.world_file.is_relative_to(tmp_path / "data")
    store = store_path_for(world.identity, "agent1")
    assert "127.0.0.1" not in world.identity

    # First demo: an email accepted, a draft typed, then quit (the server stops).
    port = _free_port()
    server = start_demo_server(args, port, 0, world.world_file)
    try:
        url = f"http://127.0.0.1:{port}"
        await _wait_until_up(url)
        setup = NativeBackend(url)
        token = await setup.login("agent1", "demo")
        await setup.set_presence(Presence.AVAILABLE)
        async with SimControl(url) as sim:
            iid = await sim.new_contact("email", text="Where is my refund?")
        await setup.accept(iid, new_client_id())
        app = make_app(NativeBackend(url, token=token), username="agent1", store_path=store, tz=UTC)
        async with app.run_test(size=(120, 40)) as pilot:
            await _until(pilot, lambda: app.desk is not None and iid in app.desk.views, "the tab")
            app.desk.activate(iid)
            composer = app.desk.views[iid].composer
            await _until(pilot, lambda: composer.has_focus_within and not composer.disabled_reason,
                         "composer ready")
            await pilot.press(*"Refund sent")
            await _until(pilot, lambda: (d := app.drafts.load(iid)) is not None
                         and d.text == "Refund sent", "draft saved")
        await app.backend.close()
        await setup.close()
    finally:
        assert stop_demo_server(server) is None
    assert world.world_file.exists()

    # Second demo: another port, the same world; the draft is in the composer.
    again_world = demo_world(args.seed, args.agents, 0)
    assert again_world == world
    port = _free_port()
    server = start_demo_server(args, port, 0, again_world.world_file)
    try:
        url = f"http://127.0.0.1:{port}"
        await _wait_until_up(url)
        app = make_app(NativeBackend(url), sign_in=("agent1", "demo"), username="agent1",
                       store_path=store_path_for(again_world.identity, "agent1"), tz=UTC)
        async with app.run_test(size=(120, 40)) as pilot:
            await _until(pilot, lambda: app.desk is not None and iid in app.desk.views,
                         "the same interaction after the restart")
            views = app.desk.views
            await _until(pilot, lambda: views[iid].composer.text == "Refund sent", "draft restored")
        await app.backend.close()
    finally:
        assert stop_demo_server(server) is None
    assert os.path.getsize(world.world_file) > 0
