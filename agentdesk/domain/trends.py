"""Trend series of the wallboard: service level and queue length per queue and for
the whole floor, in fixed time buckets. Pure, no IO.

The mock server and the monitor run the *same* `TrendRecorder` over the same
`stats.updated` samples, so the history the server hands out
(`GET /v1/stats/history`) and what the monitor records live are one series:

- a bucket keeps the service level of its latest sample and the peak queue
  length of all its samples;
- the service level is the rolling one (`QueueStats.rolling`, the contacts
  that left the queue in the last 15 minutes), or the cumulative one from a
  server that does not send it; the floor's is pooled over the queues'
  counts, not averaged.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from agentdesk.domain.models import QueueStats, Stats, StatsHistory, TrendSample

BUCKET_S = 30.0
OVERALL = ""  # series key of the whole floor


@dataclass(slots=True)
class TrendPoint:
    bucket: int  # int(at // bucket_s)
    sl_pct: float | None
    waiting: int
    at: float = 0.0  # the latest sample folded in


def _pct(part: int, whole: int) -> float | None:
    return round(part / whole * 100.0, 2) if whole > 0 else None


def queue_sl(qs: QueueStats) -> float | None:
    """The service level a trend shows for one queue: rolling when the server sends it."""
    return qs.rolling.sl_pct if qs.rolling is not None else qs.sl_pct


def floor_sl(queues: Iterable[QueueStats]) -> float | None:
    """The floor's trend service level: rolling counts pooled over the queues (every
    queue's, when the server sends them), else the cumulative ones."""
    queues = list(queues)
    rolling = all(q.rolling is not None for q in queues)
    within = whole = 0
    for q in queues:
        if rolling and q.rolling is not None:
            within += q.rolling.answered_in_sl
            whole += q.rolling.answered + q.rolling.abandoned
        else:
            within += q.answered_in_sl
            whole += q.answered + q.abandoned
    return _pct(within, whole)


def _clean_sl(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return min(100.0, max(0.0, value))


MAX_WAITING = 10**9  # a hostile count must not overflow a float when drawn


def _clean_waiting(value: int) -> int:
    return min(MAX_WAITING, max(0, int(value)))


class TrendRecorder:
    """Bucketed series keyed by queue id (`OVERALL` for the floor), each at most
    `keep` buckets long (older ones drop off)."""

    def __init__(self, keep: int, bucket_s: float = BUCKET_S) -> None:
        self.keep = keep
        self.bucket_s = bucket_s
        self.series: dict[str, deque[TrendPoint]] = {}

    def bucket_of(self, at: float) -> int:
        return int(at // self.bucket_s)

    def observe(self, stats: Stats) -> bool:
        """Fold one stats sample in; False (and nothing changes) for an unusable time."""
        if not math.isfinite(stats.at):
            return False
        bucket = self.bucket_of(stats.at)
        self.add(OVERALL, bucket, stats.at, floor_sl(stats.queues),
                 sum(q.waiting for q in stats.queues))
        for qs in stats.queues:
            self.add(qs.queue_id, bucket, stats.at, queue_sl(qs), qs.waiting)
        return True

    def add(self, key: str, bucket: int, at: float, sl_pct: float | None, waiting: int) -> None:
        """One sample: a newer bucket is appended; the open bucket keeps the worst
        queue length and the latest service level; an older bucket is merged in place."""
        series = self.series.get(key)
        if series is None:
            series = self.series[key] = deque()
        point = TrendPoint(bucket, _clean_sl(sl_pct), _clean_waiting(waiting), at)
        if not series or series[-1].bucket < bucket:
            series.append(point)
        elif series[-1].bucket == bucket:  # the open bucket: the common case, O(1)
            series[-1] = self._combine(series[-1], point)
        else:
            self._merge(series, point)
        newest = series[-1].bucket
        while series and series[0].bucket <= newest - self.keep:
            series.popleft()

    @staticmethod
    def _combine(old: TrendPoint, point: TrendPoint) -> TrendPoint:
        newer = point if point.at >= old.at else old
        return TrendPoint(old.bucket, newer.sl_pct, max(old.waiting, point.waiting), newer.at)

    def _merge(self, series: deque[TrendPoint], point: TrendPoint) -> None:
        for i, old in enumerate(series):
            if old.bucket == point.bucket:
                series[i] = self._combine(old, point)
                return
            if old.bucket > point.bucket:
                series.insert(i, point)
                return
        series.append(point)

    def backfill(self, history: StatsHistory, now: float) -> int:
        """Merge a server's history in (start-up, reconnect, resync). Points more than
        a bucket ahead of `now` (the client's view of the server clock) or older
        than the window are dropped: a hostile or confused server cannot push the
        live series aside. Returns the points taken."""
        if history.bucket_s != self.bucket_s:
            return 0  # another bucketing: not the same series
        newest = self.bucket_of(now) + 1 if math.isfinite(now) else None
        taken = 0
        for key, points in ((OVERALL, history.floor),
                            *((q.queue_id, q.points) for q in history.queues)):
            for p in points:
                bucket = self.bucket_of(p.at)
                if newest is not None and not newest - self.keep < bucket <= newest:
                    continue
                self.add(key, bucket, p.at, p.sl_pct, p.waiting)
                taken += 1
        return taken

    def samples(self, key: str, since_bucket: int) -> list[TrendSample]:
        return [TrendSample(at=p.at, sl_pct=p.sl_pct, waiting=p.waiting)
                for p in self.series.get(key, ()) if p.bucket >= since_bucket]

    def bucket_json(self, bucket: int) -> str:
        """Every series' point of one bucket as JSON (the server persists closed buckets)."""
        out = {key: [p.sl_pct, p.waiting, p.at] for key, series in self.series.items()
               for p in series if p.bucket == bucket}
        return json.dumps(out, separators=(",", ":"))

    def load_bucket_json(self, bucket: int, text: str) -> None:
        for key, (sl_pct, waiting, at) in json.loads(text).items():
            self.add(key, bucket, float(at), None if sl_pct is None else float(sl_pct),
                     int(waiting))
