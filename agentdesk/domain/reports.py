"""Interval reports of a contact-center day (pure: no IO, no Textual).

From what happened, as the server records it (domain/metrics.py records and
the arrivals, transfers and presence spans below), per interval of 15, 30 or
60 minutes, per queue and channel: offered, answered, abandoned, SL %, ASA,
AHT and transfers, with the same formulas as the live figures (so the totals
of a day agree with them); the same figures for the same time yesterday; and
per agent, the time spent in each away reason (break, lunch, training ...).

Which interval a contact counts in: offered when it entered the queue (an
`Arrival`, requeues to another queue included, as the live `offered`),
answered/abandoned and its wait when it left the queue, its handle time when
it closed, a transfer when it was transferred.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agentdesk.domain.metrics import ContactOutcome, HandledContact, Totals
from agentdesk.domain.models import Channel, Queue

INTERVALS_S = (900, 1800, 3600)
DAY_S = 86400.0
AWAY_PRESENCES = ("break", "lunch", "training", "away")


@dataclass(frozen=True, slots=True)
class Arrival:
    at: float
    queue_id: str
    channel: Channel


@dataclass(frozen=True, slots=True)
class Transfer:
    at: float
    queue_id: str  # the queue it was in when transferred
    channel: Channel


@dataclass(frozen=True, slots=True)
class PresenceSpan:
    agent_id: str
    presence: str
    start: float
    end: float


@dataclass(slots=True)
class Row:
    """One interval (or a whole period) of one queue, one channel or all (None)."""

    start: float
    queue_id: str
    channel: Channel | None
    offered: int = 0
    transfers: int = 0
    totals: Totals = field(default_factory=Totals)

    def as_json(self, threshold_s: float) -> dict[str, object]:
        t = self.totals
        left = t.answered + t.abandoned
        return {
            "start": self.start, "queue_id": self.queue_id,
            "channel": self.channel.value if self.channel is not None else None,
            "offered": self.offered, "answered": t.answered, "abandoned": t.abandoned,
            "answered_in_sl": t.answered_in_sl,
            "sl_pct": round(t.answered_in_sl / left * 100, 2) if left else None,
            "asa_s": round(t.wait_sum / t.answered, 2) if t.answered else None,
            "aht_s": round(t.handle_sum / t.handled, 2) if t.handled else None,
            "handled": t.handled, "transfers": self.transfers,
            "threshold_s": threshold_s,
        }


def day_start(now: float) -> float:
    """Midnight (UTC, the server's clock) of the day `now` is in."""
    return now - now % DAY_S


@dataclass(frozen=True, slots=True)
class Records:
    outcomes: Iterable[ContactOutcome]
    handled: Iterable[HandledContact]
    arrivals: Iterable[Arrival]
    transfers: Iterable[Transfer]


def interval_rows(queues: Mapping[str, Queue], records: Records, start: float, end: float,
                  interval_s: float) -> list[Row]:
    """Rows per (interval, queue, channel) for [start, end), channel None = the
    queue's total; only intervals with something in them."""
    rows: dict[tuple[float, str, Channel | None], Row] = {}

    def rows_for(at: float, queue_id: str, channel: Channel | None) -> list[Row]:
        if not start <= at < end or queue_id not in queues:
            return []
        slot = start + (at - start) // interval_s * interval_s
        keys = [(slot, queue_id, None)] + ([(slot, queue_id, channel)] if channel else [])
        return [rows.setdefault(k, Row(k[0], k[1], k[2])) for k in keys]

    for o in records.outcomes:
        for row in rows_for(o.at, o.queue_id, o.channel):
            row.totals.add_outcome(o, queues[o.queue_id].sl_threshold_s)
    for h in records.handled:
        for row in rows_for(h.at, h.queue_id, h.channel):
            row.totals.add_handled(h)
    for a in records.arrivals:
        for row in rows_for(a.at, a.queue_id, a.channel):
            row.offered += 1
    for x in records.transfers:
        for row in rows_for(x.at, x.queue_id, x.channel):
            row.transfers += 1
    order = {qid: n for n, qid in enumerate(queues)}
    return sorted(rows.values(), key=lambda r: (
        r.start, order[r.queue_id], "" if r.channel is None else r.channel.value))


def period_totals(queues: Mapping[str, Queue], records: Records, start: float,
                  end: float) -> list[Row]:
    """One row per queue (and channel) for the whole of [start, end)."""
    span = max(end - start, 1.0)
    return interval_rows(queues, records, start, start + span, span)


def away_totals(spans: Iterable[PresenceSpan], start: float, end: float
                ) -> dict[str, dict[str, float]]:
    """agent id -> away reason -> seconds within [start, end)."""
    out: dict[str, dict[str, float]] = {}
    for s in spans:
        if s.presence not in AWAY_PRESENCES:
            continue
        seconds = min(s.end, end) - max(s.start, start)
        if seconds > 0:
            reasons = out.setdefault(s.agent_id, {})
            reasons[s.presence] = reasons.get(s.presence, 0.0) + seconds
    return out


def build_report(queues: Mapping[str, Queue], records: Records, spans: Iterable[PresenceSpan],
                 now: float, interval_s: float) -> dict[str, object]:
    """Today's interval report up to `now`, with the same time yesterday."""
    today = day_start(now)
    spans = list(spans)
    thresholds = {qid: q.sl_threshold_s for qid, q in queues.items()}
    return {
        "interval_s": interval_s, "day_start": today, "now": now,
        "rows": [r.as_json(thresholds[r.queue_id])
                 for r in interval_rows(queues, records, today, now, interval_s)],
        "totals": [r.as_json(thresholds[r.queue_id])
                   for r in period_totals(queues, records, today, now)],
        "yesterday": [r.as_json(thresholds[r.queue_id])
                      for r in period_totals(queues, records, today - DAY_S, now - DAY_S)],
        "away": [{"agent_id": aid, "reason": reason, "seconds": round(sec, 2)}
                 for aid, reasons in sorted(away_totals(spans, today, now).items())
                 for reason, sec in sorted(reasons.items())],
    }
