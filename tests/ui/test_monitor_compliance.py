"""Supervisors see the rules broken or at risk (issue 17): a call whose
recording notice was not confirmed in time is a NOTICE line in the live feed,
a mark on its agent's row and in the drill-down (until the agent confirms),
and a callback its agent missed is a CB MISS line (back in the queue for
anyone). The real mock server, agent1 driven over HTTP, no bots."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.text import Text

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor  # noqa: E402

from agentdesk.domain.floor import FeedKind  # noqa: E402
from agentdesk.testing.mockserver import DemoClient  # noqa: E402
from agentdesk.ui.monitor.agent_board import AgentBoard  # noqa: E402
from agentdesk.ui.monitor.live_feed import LiveFeed  # noqa: E402


def feed_text(mon) -> str:
    feed = mon.app.screen.query_one(LiveFeed)
    # wrapped to the pane's width: one line of words, spaces normalised
    return " ".join(" ".join(strip.text for strip in feed.lines).split())


def state_cell(board: AgentBoard, agent_id: str) -> str:
    value = board.get_cell(agent_id, "state")
    assert isinstance(value, Text)
    return value.plain.strip()


async def test_a_call_without_the_recording_notice_is_flagged_until_confirmed() -> None:
    async with open_monitor(agents=3, bots=0, traffic=False) as mon:
        agent = DemoClient(mon.server.url, "agent1")
        try:
            agent.available()
            iid = agent.contact("voice", customer_id="c0010")
            assert agent.act(iid, "accept").status_code == 200
            name = agent.get(f"/v1/interactions/{iid}").json()["interaction"]["customer_name"]
            await mon.advance(35, step=5)  # connected, the notice never confirmed
            await mon.until(lambda: iid in mon.app.floor.disclosure_overdue, what="overdue")
            await mon.until(lambda: "NOTICE" in feed_text(mon), what="the feed line")
            assert f"NOTICE ☎ {name} recording notice not confirmed · Agent 1" in feed_text(mon)
            board = mon.app.screen.query_one(AgentBoard)
            await mon.until(lambda: state_cell(board, "agent1").endswith("⚠"), what="row mark")
            screen = await mon.drilldown("agent1")
            call = screen.query_one("#dd-call")
            await mon.until(lambda: "recording notice not confirmed" in str(call.render()),
                            what="drill-down mark")
            assert agent.act(iid, "disclosure", {"action": "confirm"}).status_code == 200
            await mon.until(lambda: iid not in mon.app.floor.disclosure_overdue, what="cleared")
            await mon.flushed()
            await mon.until(lambda: "recording notice" not in str(call.render()),
                            what="drill-down mark gone")
        finally:
            agent.close()


async def test_a_missed_callback_is_in_the_feed() -> None:
    async with open_monitor(agents=3, bots=0, traffic=False) as mon:
        agent = DemoClient(mon.server.url, "agent1")
        try:
            agent.available()
            at = mon.clock.now + 120
            made = agent.post("/v1/callbacks", {"client_id": "cb1", "customer_id": "c0010",
                                                "at": at, "note": "refund"})
            assert made.status_code == 201
            name = made.json()["callback"]["customer_name"]
            await mon.advance(150, step=30)  # due, offered to agent1, never answered
            await mon.until(lambda: any(e.kind is FeedKind.CALLBACK_MISSED
                                        for e in mon.app.floor.feed), what="missed")
            await mon.until(lambda: "CB MISS" in feed_text(mon), what="the feed line")
            assert (f"CB MISS ☎ {name} callback 09:02 missed by Agent 1 · Technical support · "
                    "back in the queue for anyone") in feed_text(mon)
        finally:
            agent.close()
