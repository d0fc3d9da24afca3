"""Staffing now on the wallboard, against the real mock server: the Need column
shows the agents a queue needs (Erlang C on the arrival rate and AHT the
monitor saw over the window) against the agents staffed, and the figures it
is sized on are the server's own (GET /v1/stats at the window's two ends)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor, supervisor_get  # noqa: E402

from agentdesk.domain.models import Channel  # noqa: E402
from agentdesk.domain.staffing import agents_needed  # noqa: E402
from agentdesk.ui.monitor.queue_board import QueueBoard, sub_key  # noqa: E402
from tools.screenshots.monitor_scenes import SCENE_SCENARIO  # noqa: E402


def _voice(stats: dict, queue_id: str) -> dict:
    queue = next(q for q in stats["queues"] if q["queue_id"] == queue_id)
    return next(c for c in queue["channels"] if c["channel"] == "voice")


async def test_need_is_erlang_c_on_the_servers_own_figures(tmp_path: Path) -> None:
    busy = tmp_path / "busy.toml"
    busy.write_text(SCENE_SCENARIO, encoding="utf-8")
    async with open_monitor(agents=16, scenario=str(busy)) as mon:
        app = mon.app
        first = (await supervisor_get(mon.server.url, "/v1/stats"))["stats"]
        await mon.until(lambda: app.floor.stats_at == first["at"], what="floor at the snapshot")
        await mon.flushed()
        await mon.advance(600)  # ten simulated minutes
        last = (await supervisor_get(mon.server.url, "/v1/stats"))["stats"]
        await mon.until(lambda: app.floor.stats_at == last["at"], what="floor caught up")
        await mon.flushed()
        staffing = app.staffing("support")
        assert staffing is not None and staffing.needed is not None
        # The same sizing from the server's figures at both ends of the window.
        a, b = _voice(first, "support"), _voice(last, "support")
        span = last["at"] - first["at"]
        answered = b["answered"] - a["answered"]
        aht = ((b["aht_s"] or 0) * b["answered"] - (a["aht_s"] or 0) * a["answered"]) / answered
        queue = app.floor.queues["support"]
        expected = agents_needed((b["offered"] - a["offered"]) / span, aht,
                                 queue.sl_threshold_s, queue.sl_target_pct)
        voice = staffing.channels[Channel.VOICE]
        assert (voice.agents, voice.servers) == (expected.agents, expected.servers)
        assert voice.agents > 0
        board = app.screen.query_one(QueueBoard)
        assert board.get_cell("support", "need").plain == f"{staffing.needed}/{staffing.staffed}"
        assert board.get_cell(sub_key("support", Channel.VOICE), "need").plain == str(voice.agents)
        assert staffing.needed == sum(n.agents for n in staffing.channels.values())
