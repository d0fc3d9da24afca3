"""`agentdesk demo` paints the desk before its server is up and signs in as soon
as the server answers (the desk's `sign_in` path)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from agentdesk.backends.native import NativeBackend
from agentdesk.mockserver.testing import running_server
from agentdesk.ui.app import make_app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_desk_paints_first_then_signs_in_when_the_server_is_up(tmp_path: Path):
    port = _free_port()
    backend = NativeBackend(f"http://127.0.0.1:{port}")
    app = make_app(backend, username="agent1", store_path=tmp_path / "desk.db",
                   sign_in=("agent1", "demo"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        desk = app.desk
        assert desk is not None and desk.is_mounted  # interactive with no server yet
        assert "Starting the simulated contact center" in str(desk.query_one("#banner").render())
        assert desk.state.agent is None
        with running_server(port=port, agents=3, bots=0, traffic=False, manual_clock=True):
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 15
            while desk.state.agent is None:
                assert loop.time() < deadline, "never signed in"
                await pilot.pause(0.05)
            assert backend.token
            assert desk.state.agent.id == "agent1"
            await backend.close()
