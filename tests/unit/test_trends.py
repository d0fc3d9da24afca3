"""Trend series (agentdesk/domain/trends.py) and the floor's backfill: the live
recording and the server's history are one series; hostile history is dropped."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from agentdesk.domain.events import StatsChanged
from agentdesk.domain.floor import TREND_POINTS, Floor
from agentdesk.domain.models import (
    Channel,
    Queue,
    QueueStats,
    QueueTrend,
    SlWindow,
    Stats,
    StatsHistory,
    TrendSample,
)
from agentdesk.domain.trends import OVERALL, TrendRecorder, floor_sl, queue_sl

B = 30.0
T0 = 1772442000.0  # a bucket boundary (divisible by 30)
QUEUES = [Queue(id="a", name="A", channels=[Channel.CHAT]),
          Queue(id="b", name="B", channels=[Channel.VOICE])]


def qs(queue_id: str, *, waiting: int = 0, rolling: tuple[int, int, int] | None = None,
       cumulative: tuple[int, int, int] = (0, 0, 0)) -> QueueStats:
    answered, in_sl, abandoned = cumulative
    whole = answered + abandoned
    stats = QueueStats(queue_id=queue_id, waiting=waiting, answered=answered,
                       answered_in_sl=in_sl, abandoned=abandoned,
                       sl_pct=round(in_sl / whole * 100, 2) if whole else None)
    if rolling is not None:
        r_ans, r_in, r_ab = rolling
        r_whole = r_ans + r_ab
        stats.rolling = SlWindow(window_s=900, answered=r_ans, answered_in_sl=r_in,
                                 abandoned=r_ab,
                                 sl_pct=round(r_in / r_whole * 100, 2) if r_whole else None)
    return stats


def test_trend_sl_is_rolling_and_pooled_over_queues() -> None:
    a = qs("a", rolling=(3, 3, 1), cumulative=(100, 50, 0))   # rolling 75 %, day 50 %
    b = qs("b", rolling=(1, 0, 0), cumulative=(10, 10, 0))    # rolling 0 %, day 100 %
    assert queue_sl(a) == 75.0 and queue_sl(b) == 0.0
    # Pooled: (3 + 0) within / (4 + 1) = 60 %, not the mean of 75 and 0.
    assert floor_sl([a, b]) == 60.0
    # A server without rolling figures: the cumulative ones, pooled the same way.
    old_a, old_b = qs("a", cumulative=(100, 50, 0)), qs("b", cumulative=(10, 10, 0))
    assert queue_sl(old_a) == 50.0
    assert floor_sl([old_a, old_b]) == pytest.approx(54.55)
    assert floor_sl([]) is None


def test_recorder_keeps_latest_sl_and_peak_waiting_per_bucket() -> None:
    rec = TrendRecorder(keep=4)
    for at, waiting, rolling in [(T0 + 1, 2, (1, 1, 0)), (T0 + 10, 7, (2, 1, 0)),
                                 (T0 + 29, 3, (4, 1, 0)), (T0 + 31, 0, (4, 4, 0))]:
        rec.observe(Stats(at=at, queues=[qs("a", waiting=waiting, rolling=rolling)]))
    points = list(rec.series["a"])
    assert [(p.bucket, p.sl_pct, p.waiting) for p in points] == [
        (int(T0 // B), 25.0, 7),  # latest SL (1 of 4), peak waiting 7
        (int(T0 // B) + 1, 100.0, 0)]
    assert [p.waiting for p in rec.series[OVERALL]] == [7, 0]
    for k in range(10):  # bounded: only the last `keep` buckets stay
        rec.observe(Stats(at=T0 + 60 + k * B, queues=[qs("a", waiting=k)]))
    assert len(rec.series["a"]) == 4 and rec.series["a"][-1].waiting == 9


def test_recorder_ignores_unusable_samples() -> None:
    rec = TrendRecorder(keep=10)
    assert not rec.observe(Stats(at=math.nan, queues=[qs("a", waiting=1)]))
    assert not rec.observe(Stats(at=math.inf, queues=[qs("a", waiting=1)]))
    assert rec.series == {}
    rec.add("a", 5, T0, math.inf, -3)  # hostile values are clamped, not drawn
    assert (rec.series["a"][0].sl_pct, rec.series["a"][0].waiting) == (None, 0)
    rec.add("a", 5, T0, 250.0, 10**40)
    assert rec.series["a"][0].sl_pct == 100.0 and rec.series["a"][0].waiting == 10**9


def _history(points: list[tuple[float, float | None, int]], **extra) -> StatsHistory:
    samples = [TrendSample(at=at, sl_pct=sl, waiting=w) for at, sl, w in points]
    return StatsHistory(at=points[-1][0] if points else T0, bucket_s=B, sl_window_s=900,
                        floor=samples, queues=[QueueTrend(queue_id="a", points=samples)], **extra)


def test_backfill_fills_the_past_and_merges_with_live_points() -> None:
    floor = Floor()
    now = T0 + 10 * B + 5
    floor.load(QUEUES, [], Stats(at=now, queues=[qs("a", waiting=1, rolling=(1, 1, 0))]), [],
               now)
    assert len(floor.trend("a")[0]) == 1  # only the snapshot's sample
    history = _history([(T0 + k * B + 20, 50.0 + k, k) for k in range(11)])
    assert floor.backfill(history) == 22  # floor and queue "a"
    assert floor.take_dirty().trends
    sl, waiting = floor.trend("a")
    assert len(sl) == 11
    assert sl[:10] == [50.0 + k for k in range(10)]
    # Bucket 10 holds both: the live sample (at now = +5 s) and the history's (+20 s):
    # the later one's SL, the larger queue length.
    assert sl[-1] == 60.0 and waiting[-1] == 10.0
    # Live samples go on after the backfill, in the same series.
    floor.apply(StatsChanged(Stats(at=now + B, queues=[qs("a", waiting=4, rolling=(2, 1, 0))]), now + B))
    sl, waiting = floor.trend("a")
    assert (len(sl), sl[-1], waiting[-1]) == (12, 50.0, 4.0)


def test_backfill_drops_points_from_the_future_the_distant_past_and_other_buckets() -> None:
    floor = Floor()
    now = T0 + 100 * B
    floor.load(QUEUES, [], Stats(at=now, queues=[qs("a")]), [], now)
    far_future = _history([(now + 10 * B, 0.0, 99), (now + 1e9, 0.0, 99)])
    assert floor.backfill(far_future) == 0
    too_old = _history([(now - (TREND_POINTS + 5) * B, 0.0, 99)])
    assert floor.backfill(too_old) == 0
    other_buckets = StatsHistory(at=now, bucket_s=60.0, floor=[TrendSample(at=now, waiting=9)])
    assert floor.backfill(other_buckets) == 0
    assert floor.trend("a")[1] == [0.0]  # the live series is untouched
    # Live samples still land after a point one bucket ahead (clock skew is tolerated).
    floor.backfill(_history([(now + B + 1, 90.0, 2)]))
    floor.apply(StatsChanged(Stats(at=now + 2, queues=[qs("a", waiting=5)]), now + 2))
    assert floor.trend("a")[1] == [5.0, 2.0]


def test_history_model_refuses_hostile_values() -> None:
    for bad in ({"at": "nan", "sl_pct": 1, "waiting": 0}, {"at": 1, "sl_pct": 101, "waiting": 0},
                {"at": 1, "sl_pct": 1, "waiting": -1}, {"at": 1, "waiting": 10**12},
                {"at": 1e400}):
        with pytest.raises(ValidationError):
            TrendSample.model_validate(bad)
    with pytest.raises(ValidationError):
        StatsHistory.model_validate({"at": 1, "bucket_s": 0})
    # Forward compatibility: unknown fields are ignored.
    h = StatsHistory.model_validate({"at": 1, "bucket_s": 30, "new": 1,
                                     "floor": [{"at": 1, "extra": "x"}]})
    assert h.floor[0].waiting == 0 and h.queues == []
