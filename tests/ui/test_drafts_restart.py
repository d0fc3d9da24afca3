"""Drafts (issue 6): saved as the agent types, one per interaction (switching tabs
never overwrites another tab's draft), and back after the app is restarted."""

from __future__ import annotations

import asyncio
from datetime import UTC

from agentdesk.backends.base import new_client_id
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import Presence
from agentdesk.testing.mockserver import running_server
from agentdesk.ui.app import make_app


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def _until(pilot, predicate, what: str, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_drafts_per_tab_survive_a_restart(tmp_path):
    store = tmp_path / "desk.db"
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as server:
        sim = SimControl(server.url)
        setup = NativeBackend(server.url)
        token = await setup.login("agent1", "demo")
        await setup.set_presence(Presence.AVAILABLE)
        first = await sim.new_contact("chat", text="first customer")
        await setup.accept(first, new_client_id())
        second = await sim.new_contact("chat", text="second customer")
        await setup.accept(second, new_client_id())
        clock = Clock(await sim.now())

        app = make_app(NativeBackend(server.url, token=token), clock=clock, username="agent1",
                       store_path=store, tz=UTC)
        async with app.run_test(size=(120, 40)) as pilot:
            await _until(pilot, lambda: app.desk is not None and {first, second} <= set(app.desk.views),
                         "both tabs")
            desk = app.desk
            for iid, text in ((first, "draft for the first"), (second, "draft for the second")):
                desk.activate(iid)
                await _until(pilot, lambda iid=iid: desk.views[iid].composer.has_focus_within,
                             f"composer of {iid} focused")
                await _type(pilot, text)
                await pilot.pause(0.8)  # the draft is saved debounced, as the agent types
            desk.activate(first)  # switching back must not overwrite either draft
            await pilot.pause(0.8)
            assert app.drafts.load(first).text == "draft for the first"
            assert app.drafts.load(second).text == "draft for the second"
        await app.backend.close()

        # A new app on the same store (as after a crash or a restart).
        again = make_app(NativeBackend(server.url, token=token), clock=clock, username="agent1",
                         store_path=store, tz=UTC)
        async with again.run_test(size=(120, 40)) as pilot:
            await _until(pilot, lambda: again.desk is not None and {first, second} <= set(again.desk.views),
                         "both tabs after restart")
            views = again.desk.views
            await _until(pilot, lambda: views[first].composer.text == "draft for the first"
                         and views[second].composer.text == "draft for the second", "drafts restored")
        await again.backend.close()
        await setup.close()
        await sim.aclose()
