"""The trend lines redraw without laying the monitor out again: each is one
row high and as wide as its panel whatever it says, and on a live floor they
are refreshed every second (a layout pass of the whole monitor each time, and
a repaint of most of the screen, before)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from test_monitor_harness import open_monitor

from agentdesk.ui.monitor.sparkline_panel import SparklinePanel


async def test_refreshing_the_trends_is_a_repaint_not_a_layout_pass() -> None:
    async with open_monitor(agents=4, traffic=False) as mon:
        screen = mon.app.screen
        panel = screen.query_one(SparklinePanel)
        await mon.pilot.pause()
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(panel, layouts.append, immediate=True)
        label = panel.query_one("#trend-waiting-label")
        before = str(label.render())
        panel.show_queue(next(iter(mon.app.floor.queues)))  # new scope: every line changes
        await mon.until(lambda: str(label.render()) != before, what="the trend lines redrawn")
        await mon.pilot.pause()
        assert layouts == []
