"""Today's interval report in the monitor (`h`): the server's report, shown per
interval and queue, today against yesterday, away time per agent; `i`
changes the interval; Escape goes back. Read-only: a GET."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor, supervisor_get  # noqa: E402

from agentdesk.ui.monitor.history_screen import HistoryScreen  # noqa: E402
from agentdesk.ui.monitor.monitor_screen import MonitorScreen  # noqa: E402


def _plain(table, row: int) -> list[str]:
    return [c.plain if hasattr(c, "plain") else str(c) for c in table.get_row_at(row)]


async def test_h_shows_the_servers_interval_report() -> None:
    async with open_monitor(agents=8, warmup_s=1200) as mon:
        app = mon.app
        await mon.pilot.press("h")
        await mon.until(lambda: isinstance(app.screen, HistoryScreen)
                        and app.screen.report is not None, what="report loaded")
        screen = app.screen
        report = (await supervisor_get(mon.server.url, "/v1/reports/intervals"))["report"]
        assert screen.report["totals"] == report["totals"]
        intervals = screen.query_one("#hist-intervals")
        queue_rows = [r for r in report["rows"] if r["channel"] is None]
        assert intervals.row_count == len(queue_rows) > 0
        first = _plain(intervals, 0)
        assert first[0] == "09:00–09:15"
        assert first[2] == str(queue_rows[0]["offered"])
        compare = screen.query_one("#hist-compare-table")
        totals = [r for r in report["totals"] if r["channel"] is None]
        assert compare.row_count == 2 * len(totals)
        assert _plain(compare, 1)[1] == "yesterday" and _plain(compare, 1)[2] == "–"
        await mon.pilot.press("i")
        await mon.until(lambda: screen.report is not None and screen.report["interval_s"] == 1800,
                        what="30-minute intervals")
        assert _plain(intervals, 0)[0] == "09:00–09:30"
        assert ("POST", "/v1/reports/intervals") not in mon.transport.requests
        assert ("GET", "/v1/reports/intervals") in mon.transport.requests
        await mon.pilot.press("escape")
        await mon.until(lambda: isinstance(app.screen, MonitorScreen), what="wallboard")
