"""The desk header at 120 and 80 columns: plain words, nothing cut mid-word."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from textual.widgets import Static  # noqa: E402
from widget_harness import T0, WidgetApp  # noqa: E402

from agentdesk.backends.base import LinkState  # noqa: E402
from agentdesk.domain.models import (  # noqa: E402
    AgentInfo,
    Capacity,
    Channel,
    ChannelLoad,
    Presence,
    QueueStats,
    RoutingState,
    Stats,
)
from agentdesk.ui.widgets.header.desk_header import DeskHeader  # noqa: E402


def agent(routing: RoutingState, presence: Presence = Presence.BREAK) -> AgentInfo:
    loads = {c: ChannelLoad(active=0, limit=2, accepting=False, reason="blocked by your presence")
             for c in Channel}
    return AgentInfo(id="agent1", name="Agent 1", presence=presence, presence_since=T0 - 16,
                     next_presence=Presence.LUNCH, routing_state=routing, routing_since=T0 - 16,
                     queues=["support"], capacity=Capacity(channels=loads))


def stats() -> Stats:
    return Stats(at=T0, queues=[QueueStats(queue_id="support", waiting=3, longest_wait_s=74,
                                           offered=40, answered_in_sl=33)])


def rows(app: WidgetApp) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return [strips[0].text, strips[1].text]


async def test_header_reads_as_words_and_fits_80_columns() -> None:
    """Issue 14 items 9 and 13: not 'routing off queue 0:16'; at 80 columns every
    part shows whole."""
    for width in (120, 80):
        app = WidgetApp(lambda: DeskHeader(id="header"))
        async with app.run_test(size=(width, 6)) as pilot:
            header = app.query_one(DeskHeader)
            header.show_agent(agent(RoutingState.OFF_QUEUE), "Agent 1")
            header.show_stats(stats())
            header.show_link(LinkState.CONNECTED)
            header.tick(T0)
            await pilot.pause()
            top, _ = rows(app)
            assert "routing off queue" not in top and "not taking work 00:16" in top.replace(" 0:16", " 00:16")
            for part in header.query(Static):
                if not part.display or part.has_class("spacer"):
                    continue
                needed = part.render().cell_length if hasattr(part.render(), "cell_length") else 0
                assert needed <= part.content_region.width, (width, part.id, str(part.render()))
