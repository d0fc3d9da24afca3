"""The monitor against the real mock server: trends are backfilled from
`GET /v1/stats/history` on open (and after a reconnect), the live part is the
same series as the server's, a server without history (404) or with a bad one
still works, and multi-channel queues show channel sub-rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import RecordingTransport, open_monitor, supervisor_get  # noqa: E402

from agentdesk.backends.http_wire import WireRequest, WireResponse  # noqa: E402
from agentdesk.domain.floor import OVERALL  # noqa: E402
from agentdesk.domain.models import Channel  # noqa: E402
from agentdesk.ui.monitor.queue_board import QueueBoard, sub_key  # noqa: E402
from agentdesk.ui.monitor.sparkline_panel import SparklinePanel  # noqa: E402
from tools.screenshots.monitor_scenes import SCENE_SCENARIO  # noqa: E402

HISTORY = "/v1/stats/history"


def history_requests(transport: RecordingTransport) -> int:
    return sum(1 for m, p in transport.requests if (m, p) == ("GET", HISTORY))


def series(floor, key: str) -> list[tuple[int, float | None, int]]:
    return [(p.bucket, p.sl_pct, p.waiting) for p in floor.trends.get(key, ())]


def server_series(history: dict, key: str) -> list[tuple[int, float | None, int]]:
    points = history["floor"] if key == OVERALL else next(
        q["points"] for q in history["queues"] if q["queue_id"] == key)
    return [(int(p["at"] // history["bucket_s"]), p["sl_pct"], p["waiting"]) for p in points]


def trend_text(app, which: str) -> str:
    value = app.screen.query_one(SparklinePanel).query_one(f"#trend-{which}", Static).content
    return value.plain if isinstance(value, Text) else str(value)


async def test_trends_are_backfilled_on_open() -> None:
    # 20 simulated minutes pass before the supervisor opens the monitor.
    async with open_monitor(agents=16, warmup_s=1200) as mon:
        history = (await supervisor_get(mon.server.url, HISTORY + "?minutes=30"))["history"]
        assert history_requests(mon.transport) == 1
        assert len(history["floor"]) >= 40  # 20 minutes of 30 s buckets
        for key in (OVERALL, "support", "email"):
            mine = series(mon.app.floor, key)
            # Everything the server had, up to the bucket the monitor opened in.
            assert mine[:-1] == server_series(history, key)[:len(mine) - 1], key
            assert len(mine) >= 40
        sl, waiting = mon.app.floor.trend()
        assert len(sl) == len(waiting) >= 40
        # The sparklines draw it at once, one bar per cell across the panel.
        width = mon.app.screen.query_one(SparklinePanel).size.width - 2
        assert width < 40
        assert len(trend_text(mon.app, "sl")) == len(trend_text(mon.app, "waiting")) == width
        assert "SL 15m" in trend_text(mon.app, "sl-label")


async def test_live_trends_are_the_same_series_as_the_servers_history(tmp_path: Path) -> None:
    busy = tmp_path / "busy.toml"  # more traffic than 16 bots take: SL moves
    busy.write_text(SCENE_SCENARIO, encoding="utf-8")
    async with open_monitor(agents=16, warmup_s=90, scenario=str(busy)) as mon:
        opened = max(p.bucket for p in mon.app.floor.trends[OVERALL])
        await mon.advance(600)  # 10 minutes followed live, in 30 s steps
        history = (await supervisor_get(mon.server.url, HISTORY + "?minutes=30"))["history"]
        await mon.until(lambda: mon.app.floor.stats_at == history["at"], what="latest stats")
        for key in (OVERALL, *mon.app.floor.queues):
            live = [p for p in series(mon.app.floor, key) if p[0] > opened]
            theirs = [p for p in server_series(history, key) if p[0] > opened]
            assert len(live) == 20 and live == theirs, key
        assert any(p[1] is not None and p[1] < 100 for p in series(mon.app.floor, OVERALL)), \
            "the seeded run never dipped below 100 %: the comparison proves little"


async def test_reconnect_backfills_again() -> None:
    async with open_monitor(agents=8, warmup_s=60) as mon:
        assert history_requests(mon.transport) == 1
        await mon.backend.reconnect()
        await mon.until(lambda: history_requests(mon.transport) == 2, what="a second backfill")
        await mon.until(lambda: mon.app.link_state == "connected", what="connected again")


class BrokenHistory(RecordingTransport):
    """The real server, except for the history endpoint."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__()
        self.status, self.body = status, body

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        if request.path == HISTORY:
            self.requests.append((request.method, request.path))
            return WireResponse(self.status, {"content-type": "application/json"}, self.body)
        return await super().send(request, timeout=timeout, max_body=max_body)


async def _trends_start_empty_then_fill(transport: BrokenHistory) -> None:
    async with open_monitor(agents=8, warmup_s=600, transport=transport) as mon:
        assert history_requests(transport) == 1
        assert mon.app.is_running
        assert len(mon.app.floor.trend()[0]) == 1  # only the snapshot taken on open
        await mon.advance(90)
        await mon.flushed()
        assert len(mon.app.floor.trend()[0]) == 4  # and live from there
        assert not [n for n in mon.app._notifications if n.severity == "error"]


async def test_a_server_without_history_still_works() -> None:
    body = json.dumps({"error": {"code": "not_found", "message": "no such path"}}).encode()
    await _trends_start_empty_then_fill(BrokenHistory(404, body))


async def test_a_bad_history_is_dropped() -> None:
    hostile = {"history": {"at": 1, "bucket_s": 30, "floor": [
        {"at": 1772442000.0, "sl_pct": 1e308, "waiting": 10**30}]}}
    await _trends_start_empty_then_fill(BrokenHistory(200, json.dumps(hostile).encode()))
    await _trends_start_empty_then_fill(BrokenHistory(200, b"{not json"))


def queue_rows(board: QueueBoard) -> list[str]:
    return [str(row.key.value) for row in board.ordered_rows]


async def test_channel_sub_rows_and_the_compact_board() -> None:
    async with open_monitor(agents=8, warmup_s=300, size=(80, 24)) as mon:
        board = mon.app.screen.query_one(QueueBoard)
        channels = [Channel.CHAT, Channel.SMS, Channel.SOCIAL, Channel.VOICE]
        # 80x24: the 16 rows do not fit, so only the cursor's queue is expanded.
        assert board.compact
        assert queue_rows(board) == ["support", *(sub_key("support", c) for c in channels),
                                     "billing", "sales", "email"]
        label = board.get_cell(sub_key("support", Channel.VOICE), "queue").plain
        assert label == "  ☎ Voice"
        await mon.pilot.press("1")  # focus the queues board
        await mon.pilot.press(*["down"] * 5)  # past support's channels, onto billing
        await mon.settle()
        assert board.selected_queue == "billing"
        assert queue_rows(board) == ["support", "billing",
                                     *(sub_key("billing", c) for c in channels), "sales", "email"]
        await mon.pilot.press("down")  # a channel row: Enter picks its queue's trend
        assert board.selected_key == sub_key("billing", Channel.CHAT)
        await mon.pilot.press("enter")
        await mon.settle()
        assert mon.app.screen.query_one(SparklinePanel).queue_id == "billing"
        await mon.pilot.resize_terminal(120, 40)
        await mon.settle(0.3)
        # Room for everything: every multi-channel queue expanded, the cursor kept.
        assert not board.compact
        assert len(queue_rows(board)) == 4 + 3 * 4
        assert board.selected_key == sub_key("billing", Channel.CHAT)
        # Rows are updated cell by cell as the floor moves; never rebuilt per event.
        rebuilds = board.rebuilds
        await mon.advance(120)
        await mon.flushed()
        assert board.rebuilds == rebuilds


def test_hostile_numbers_show_as_no_data() -> None:
    from agentdesk.ui.monitor.cells import fmt_duration, fmt_pct

    for bad in (float("inf"), float("-inf"), float("nan")):
        assert fmt_duration(bad) == "–" and fmt_pct(bad) == "–"
    assert (fmt_duration(75.0), fmt_pct(66.67)) == ("1:15", "67%")


def test_a_channel_listed_twice_gets_one_row() -> None:
    from agentdesk.domain.floor import Floor
    from agentdesk.domain.models import ChannelStats, Queue, QueueStats, Stats

    floor = Floor()
    chat, voice = ChannelStats(channel=Channel.CHAT, waiting=1), ChannelStats(channel=Channel.VOICE)
    stats = QueueStats(queue_id="q", channels=[chat, voice, ChannelStats(channel=Channel.CHAT)])
    floor.load([Queue(id="q", name="Q", channels=[Channel.CHAT, Channel.VOICE])], [],
               Stats(at=1.0, queues=[stats]), [], 1.0)
    board = QueueBoard(floor)
    assert board.channels_of("q") == [chat, voice]
    assert board.layout() == ["q", sub_key("q", Channel.CHAT), sub_key("q", Channel.VOICE)]
    floor.queue_stats["q"] = QueueStats(queue_id="q", channels=[chat, chat])
    assert board.layout() == ["q"]  # one channel left: no breakdown
