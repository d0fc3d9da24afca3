"""Alerts on the wallboard, against the real mock server: a breached threshold
turns its cell, the queue's row and the header red, rings the bell once, sends
one OSC 9/777 notification and is listed in the live feed; a cleared alert
says so. (The thresholds themselves: tests/unit/test_alerts.py.)"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor  # noqa: E402

from agentdesk.domain.alerts import AlertRules, QueueThresholds  # noqa: E402
from agentdesk.ui.monitor.cells import theme_style  # noqa: E402
from agentdesk.ui.monitor.launch_monitor import make_monitor_app  # noqa: E402
from agentdesk.ui.monitor.live_feed import LiveFeed  # noqa: E402
from agentdesk.ui.monitor.monitor_header import MonitorHeader  # noqa: E402
from agentdesk.ui.monitor.queue_board import QueueBoard  # noqa: E402

RULES = AlertRules(queue=QueueThresholds(queue_length=3), states={})


def _feed(app) -> str:
    """The feed's text, its wrapped lines joined again."""
    return " ".join(strip.text.strip() for strip in app.screen.query_one(LiveFeed).lines)


async def test_a_breach_is_seen_heard_and_listed_and_its_end_too() -> None:
    factory = functools.partial(make_monitor_app, alert_rules=RULES)
    async with open_monitor(agents=4, traffic=False, app_factory=factory) as mon:
        app = mon.app
        floor = app.floor
        qid = next(iter(floor.queues))
        name = floor.queues[qid].name
        header = app.screen.query_one(MonitorHeader)
        board = app.screen.query_one(QueueBoard)
        assert not header.has_class("-alert") and len(app.alerts) == 0
        calm = floor.queue_stats[qid]
        # Five contacts waiting where the rule says three at most.
        floor.queue_stats[qid] = calm.model_copy(update={"waiting": 5})
        mon.clock.now += 1.0  # alerts are checked on the clock's tick
        await mon.flushed()
        await mon.until(lambda: len(app.alerts) == 1, what="alert raised")
        await mon.flushed()
        breach = theme_style(app.theme_variables, "sla-breach", bold=True)
        assert board.get_cell(qid, "waiting").style == breach
        assert board.get_cell(qid, "queue").style == breach  # the row
        assert board.get_cell(qid, "sl").style != breach  # only what is breached
        assert header.has_class("-alert") and "▲ 1 ALERT" in header.header_text().plain
        written = app.alert_signals.written
        assert written.count("\x07") == 1
        osc = [w for w in written if w.startswith("\x1b]9;")]
        assert len(osc) == 1 and f"{name}: 5 waiting > 3" in osc[0] and "\x1b]777;notify;" in osc[0]
        assert f"ALERT   {name}: 5 waiting > 3" in _feed(app)
        # Still breached on the next ticks: no second bell, no second line.
        for _ in range(2):
            mon.clock.now += 1.0
            await mon.flushed()
        assert len(app.alerts) == 1 and written.count("\x07") == 1
        assert _feed(app).count("ALERT ") == 1
        # Back to calm: cleared, said in the feed, the colours go.
        floor.queue_stats[qid] = floor.queue_stats[qid].model_copy(update={"waiting": 0})
        mon.clock.now += 1.0
        await mon.flushed()
        await mon.until(lambda: len(app.alerts) == 0, what="alert cleared")
        await mon.flushed()
        assert f"CLEARED {name}: 5 waiting > 3 · cleared after" in _feed(app)
        assert not header.has_class("-alert")
        assert board.get_cell(qid, "waiting").style != breach
        assert written.count("\x07") == 1  # a cleared alert makes no sound
