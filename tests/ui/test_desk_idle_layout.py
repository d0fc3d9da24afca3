"""An update of the agent that leaves the desk's empty-state messages as they
are redraws nothing: those messages (the centre's "No open interactions." and
the customer panel's) followed every change of the agent with an update and a
layout pass of the whole screen, several a minute on an idle desk."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path

from agentdesk.domain.events import AgentChanged
from agentdesk.ui.app import make_app

sys.path.insert(0, str(Path(__file__).parents[1]))

from fake_backend import T0, FakeBackend
from pilot_wait import until


async def test_an_agent_update_that_changes_no_message_lays_nothing_out(tmp_path: Path) -> None:
    backend = FakeBackend()
    app = make_app(backend, clock=lambda: T0 + 5, username="ada", store_path=tmp_path / "desk.db",
                   tz=UTC)
    async with app.run_test(size=(120, 40)) as pilot:
        backend.connect()
        await until(pilot, lambda: app.desk is not None and app.desk.state.agent is not None
                    and "Available" in str(app.desk.query_one("#empty").render()), "the empty desk")
        await pilot.pause(0.2)
        screen = app.screen
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
        busier = backend.agent.model_copy(update={"queues": ["q1"]})  # shown nowhere
        backend.push(AgentChanged(busier, T0 + 2))
        await until(pilot, lambda: app.desk.state.agent == busier, "the agent update applied")
        await pilot.pause(0.2)
        assert layouts == []
