"""The supervisor monitor on the fake Chatwoot (REST + ActionCable), driven with
Pilot: the same MonitorApp as on agentdesk/1, fed by the Chatwoot monitor
source. An agent going offline shows on the board, a new conversation raises
its inbox's queue count, and the figures Chatwoot does not have (service
level, ACW, not responding, voice, capacity, time in state) are not on the
screen at all, rather than shown as zeros."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from agentdesk.backends.chatwoot.cable import CablePolicy
from agentdesk.backends.chatwoot.monitor import ChatwootMonitor
from agentdesk.backends.http import RetryPolicy
from agentdesk.testing.chatwoot import running_chatwoot
from agentdesk.ui.monitor.agent_board import AgentBoard
from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen
from agentdesk.ui.monitor.launch_monitor import make_monitor_app
from agentdesk.ui.monitor.monitor_header import MonitorHeader
from agentdesk.ui.monitor.monitor_screen import MonitorScreen
from agentdesk.ui.monitor.queue_board import QueueBoard
from agentdesk.ui.monitor.wall_tile import WallTile

sys.path.insert(0, str(Path(__file__).parents[1]))

from pilot_wait import until

FAST_CABLE = CablePolicy(stale_after=15.0, confirm_timeout=5.0, backoff_base=0.05,
                         backoff_cap=0.3, open_timeout=5.0)
WAIT = 10.0


def plain(table: Any, row: str, column: str) -> str:
    return table.get_cell(row, column).plain.strip()


@asynccontextmanager
async def chatwoot_monitor(size: tuple[int, int] = (120, 40)) -> AsyncIterator[Any]:
    async with running_chatwoot(ping_interval=1.0) as fake:
        await fake.new_conversation("Grace Hopper", "My invoice is wrong", assignee_id=7)
        await fake.new_conversation("Edsger Dijkstra", "Open on Sunday?", inbox_id=3)
        monitor = ChatwootMonitor(fake.url, retry=RetryPolicy(attempts=1),
                                  cable_policy=FAST_CABLE)
        await monitor.login("bob@example.com", "secret-bob")
        app = make_monitor_app(monitor)
        app.flush_s = 0.05
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: app.loaded and app.link_state == "connected",
                        "the floor loaded and the cable connected")
            await asyncio.wait_for(fake.subscribed.wait(), WAIT)
            yield fake, app, pilot
        await monitor.close()


async def test_agents_and_queues_follow_chatwoot_live() -> None:
    async with chatwoot_monitor() as (fake, app, pilot):
        agents = app.screen.query_one(AgentBoard)
        queues = app.screen.query_one(QueueBoard)
        await until(pilot, lambda: agents.row_count == 2 and queues.row_count == 6,
                    "two agents, four inboxes and two teams")
        assert plain(agents, "7", "state") == "busy"  # Ada holds Grace's chat
        assert plain(agents, "7", "ch-chat") == "1"
        assert plain(agents, "9", "state") == "idle"
        assert plain(queues, "inbox:3", "waiting") == "1"

        await fake.set_availability(7, "offline")
        await until(pilot, lambda: plain(agents, "7", "presence") == "Offline",
                    "Ada offline on the board")
        assert plain(agents, "7", "state") == "off queue"

        await fake.new_conversation("Alan Turing", "Where is my parcel?", inbox_id=3)
        await until(pilot, lambda: plain(queues, "inbox:3", "waiting") == "2",
                    "the SMS inbox's queue count up to 2")
        header = app.screen.query_one(MonitorHeader).header_text().plain
        assert "queue 2 " in header


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_figures_chatwoot_lacks_are_not_shown(size: tuple[int, int]) -> None:
    async with chatwoot_monitor(size) as (_fake, app, pilot):
        agents = app.screen.query_one(AgentBoard)
        queues = app.screen.query_one(QueueBoard)
        await until(pilot, lambda: agents.row_count == 2, "the agents")
        queue_columns = {key for key, _, _ in queues.columns_spec}
        agent_columns = {key for key, _, _ in agents.columns_spec}
        assert queue_columns.isdisjoint({"sl", "target", "asa", "aht", "abandon", "acw",
                                         "not_responding", "need"})
        assert agent_columns.isdisjoint({"capacity", "since", "aht", "occupancy", "missed",
                                         "ch-voice"})
        assert {"waiting", "longest", "available", "busy", "away"} <= queue_columns
        assert {"name", "state", "ch-chat", "handled"} <= agent_columns
        header = app.screen.query_one(MonitorHeader).header_text().plain
        assert " SL " not in header and "ACW" not in header and " NR" not in header
        assert "avail" in header and "away" in header
        # The wall layout: Chatwoot's queue ids (inbox:1) make valid tiles, without SL.
        await pilot.press("w")
        await until(pilot, lambda: bool(app.screen.query(WallTile)), "the wall")
        tile = app.screen.query(WallTile).first()
        assert set(tile.shown()) == {"waiting", "longest", "available"}
        await pilot.press("escape")
        # The drill-down says neither since when nor a capacity Chatwoot does not have.
        await until(pilot, lambda: isinstance(app.screen, MonitorScreen), "the wallboard")
        app.open_agent("7")
        await until(pilot, lambda: isinstance(app.screen, DrilldownScreen), "the drill-down")
        await pilot.pause(0.1)
        status = str(app.screen.query_one("#dd-agent").render())
        assert "Ada" in status and " for " not in status and "capacity" not in status
