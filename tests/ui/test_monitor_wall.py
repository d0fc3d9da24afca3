"""The wall layout: `w` toggles it, `--wall` opens on it; one tile per queue with
the server's figures, a red tile for a queue in alert, a grid that fits the
terminal. (Its looks: the wall snapshots in test_monitor_snapshots.py.)"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor  # noqa: E402

from agentdesk.domain.alerts import AlertRules, QueueThresholds  # noqa: E402
from agentdesk.ui.monitor.launch_monitor import make_monitor_app  # noqa: E402
from agentdesk.ui.monitor.monitor_screen import MonitorScreen  # noqa: E402
from agentdesk.ui.monitor.wall_screen import WallScreen, grid_shape  # noqa: E402
from agentdesk.ui.monitor.wall_tile import WallTile  # noqa: E402


@pytest.mark.parametrize(("queues", "width", "shape"), [
    (4, 80, (2, 2)), (4, 120, (2, 2)), (4, 200, (4, 1)), (1, 80, (1, 1)), (7, 200, (4, 2)),
    (3, 30, (1, 3)), (0, 80, (1, 1))])
def test_the_grid_fits_the_width(queues: int, width: int, shape: tuple[int, int]) -> None:
    assert grid_shape(queues, width) == shape


async def test_w_toggles_the_wall_with_the_floors_figures() -> None:
    rules = AlertRules(queue=QueueThresholds(queue_length=2), states={})
    factory = functools.partial(make_monitor_app, alert_rules=rules)
    async with open_monitor(agents=8, warmup_s=120, app_factory=factory) as mon:
        app = mon.app
        await mon.pilot.press("w")
        await mon.until(lambda: isinstance(app.screen, WallScreen) and app.screen.ready,
                        what="wall screen")
        await mon.flushed()
        tiles = {t.queue_id: t for t in app.screen.query(WallTile)}
        assert list(tiles) == list(app.floor.queues)
        for qid, tile in tiles.items():
            stats = app.floor.queue_stats[qid]
            shown = tile.shown()
            assert shown["waiting"] == str(stats.waiting)
            assert shown["available"] == str(stats.agents.get("available", 0))
            assert shown["sl"] == ("-" if stats.sl_pct is None else f"{stats.sl_pct:.0f}")
        # A queue in alert: its tile says so; the others do not.
        qid = next(iter(app.floor.queues))
        app.floor.queue_stats[qid] = app.floor.queue_stats[qid].model_copy(update={"waiting": 9})
        mon.clock.now += 1.0  # alerts are checked on the clock's tick
        await mon.flushed()
        await mon.until(lambda: tiles[qid].has_class("-alert"), what="tile in alert")
        assert tiles[qid].shown()["waiting"] == "9"
        assert app.screen.shape == (2, 2)
        await mon.pilot.resize_terminal(200, 60)
        await mon.until(lambda: app.screen.shape == (4, 1), what="one row of four")
        await mon.pilot.press("w")
        await mon.until(lambda: isinstance(app.screen, MonitorScreen), what="wallboard")


async def test_monitor_wall_opens_on_the_wall() -> None:
    def factory(*args, **kwargs):
        app = make_monitor_app(*args, **kwargs)
        app.start_wall = True
        return app

    async with open_monitor(agents=4, traffic=False, app_factory=factory) as mon:
        await mon.until(lambda: isinstance(mon.app.screen, WallScreen), what="wall first")
        await mon.pilot.press("escape")
        await mon.until(lambda: isinstance(mon.app.screen, MonitorScreen), what="wallboard")
