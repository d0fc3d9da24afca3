"""The stats history behind `GET /v1/stats/history`: the trend series a monitor
would have recorded had it been open, from the same `stats.updated` samples and
the same reducer (`domain/trends.py`), in a ring of the last hour.

With `--db` every closed bucket is saved (one row per bucket), so the history
survives a restart; the bucket open at the time of a crash is lost.
"""

from __future__ import annotations

from agentdesk.domain.metrics import SL_WINDOW_S
from agentdesk.domain.models import QueueTrend, Stats, StatsHistory
from agentdesk.domain.trends import BUCKET_S, OVERALL, TrendRecorder

KEEP_MINUTES = 60
KEEP_BUCKETS = int(KEEP_MINUTES * 60 // BUCKET_S)
DEFAULT_MINUTES = 30


class StatsHistoryRing:
    def __init__(self) -> None:
        self.recorder = TrendRecorder(KEEP_BUCKETS)

    def observe(self, stats: Stats) -> list[tuple[int, str]]:
        """Fold one emitted stats sample in; returns the buckets it closed as
        (bucket, JSON) for persistence."""
        floor = self.recorder.series.get(OVERALL)
        open_bucket = floor[-1].bucket if floor else None
        self.recorder.observe(stats)
        floor = self.recorder.series.get(OVERALL)
        if open_bucket is not None and floor and floor[-1].bucket > open_bucket:
            return [(open_bucket, self.recorder.bucket_json(open_bucket))]
        return []

    def restore(self, rows: list[tuple[int, str]]) -> None:
        for bucket, text in rows:
            self.recorder.load_bucket_json(bucket, text)

    def view(self, minutes: int, now: float, queue_ids: list[str]) -> StatsHistory:
        """The last `minutes` of every series (the open bucket included), oldest first."""
        rec = self.recorder
        since = rec.bucket_of(now) - int(minutes * 60 // rec.bucket_s) + 1
        return StatsHistory(
            at=now, bucket_s=rec.bucket_s, sl_window_s=SL_WINDOW_S,
            floor=rec.samples(OVERALL, since),
            queues=[QueueTrend(queue_id=q, points=rec.samples(q, since)) for q in queue_ids])
