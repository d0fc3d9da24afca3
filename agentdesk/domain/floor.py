"""The contact-center floor as a supervisor sees it: pure state, no Textual, no IO.

`Floor` is loaded from snapshots (`load`) and then follows the supervisor's
event stream (`apply`). It keeps:

- queues and their latest `QueueStats` (the server's figures, never recomputed
  here, so the wallboard shows exactly what `GET /v1/stats` says);
- agents (`AgentInfo`) and their `AgentStats`;
- the open interactions (queued, offered, active, wrap-up);
- 30-minute trend series of service level and queue length, per queue and
  overall, in fixed buckets (`TREND_BUCKET_S`), recorded live from
  `stats.updated` and backfilled from the server's history (`backfill`) by the
  same reducer the server uses (`domain/trends.py`);
- a bounded live feed of notable events: offers missed, rejected, contacts
  abandoned, transferred, SLA breaches (a contact waiting longer than its
  queue's threshold; a queue's service level falling below its target), calls
  whose recording notice was not confirmed in time (`disclosure_overdue`, kept
  in `disclosure_overdue` until confirmed, declined or the call ends) and
  callbacks missed by their agent (back in the queue for anyone).

The UI never repaints per event: `apply` only records *what* changed in dirty
sets, and the UI drains them with `take_dirty()` on a timer (e.g. every
250 ms) and updates just those rows.

Times are Unix seconds of the server's clock; `tick(now)` must be called with
that clock so waits can be checked against thresholds between events.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from agentdesk.domain.events import (
    AgentChanged,
    CallbackChanged,
    CallChanged,
    DeskEvent,
    InteractionChange,
    InteractionChanged,
    ItemAdded,
    StatsChanged,
)
from agentdesk.domain.metrics import state_bucket
from agentdesk.domain.models import (
    AgentInfo,
    AgentStats,
    Channel,
    Interaction,
    InteractionState,
    Queue,
    QueueStats,
    Stats,
    StatsHistory,
    TimelineItem,
)
from agentdesk.domain.trends import BUCKET_S, OVERALL, TrendPoint, TrendRecorder

__all__ = ["OVERALL", "TrendPoint"]  # re-exported: the UI imports them from here

TREND_WINDOW_S = 30 * 60.0
TREND_BUCKET_S = BUCKET_S
TREND_POINTS = int(TREND_WINDOW_S // TREND_BUCKET_S)  # 60 points for 30 minutes
FEED_LIMIT = 500

OPEN_STATES = frozenset({InteractionState.QUEUED, InteractionState.OFFERED,
                         InteractionState.ACTIVE, InteractionState.WRAPUP})
WAITING_STATES = frozenset({InteractionState.QUEUED, InteractionState.OFFERED})

# Agent buckets of the floor totals (the same buckets as QueueStats.agents).
BUCKETS = ("available", "busy", "acw", "away", "not_responding")


class FeedKind(StrEnum):
    MISSED = "missed"
    REJECTED = "rejected"
    ABANDONED = "abandoned"
    TRANSFERRED = "transferred"
    SLA_BREACH = "sla_breach"  # one contact waited longer than the queue threshold
    SL_BELOW_TARGET = "sl_below_target"  # a queue's service level fell below target
    DISCLOSURE_OVERDUE = "disclosure_overdue"  # a call's recording notice not confirmed in time
    CALLBACK_MISSED = "callback_missed"  # its agent missed a callback: back in queue for anyone


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One line of the live feed. Every text field is untrusted (names come from
    the server); the UI renders them literally."""

    at: float
    kind: FeedKind
    queue_id: str = ""
    queue_name: str = ""
    agent_id: str = ""
    agent_name: str = ""
    interaction_id: str = ""
    customer_name: str = ""
    channel: Channel | None = None
    value: float | None = None  # wait seconds, SL %, a callback's time ...
    target: float | None = None  # threshold or target it is compared with


@dataclass(slots=True)
class Dirty:
    """What changed since the last `take_dirty()`."""

    agents: set[str] = field(default_factory=set)
    queues: set[str] = field(default_factory=set)
    interactions: set[str] = field(default_factory=set)
    feed: list[FeedEntry] = field(default_factory=list)
    items: list[TimelineItem] = field(default_factory=list)  # messages + transcript segments
    trends: bool = False
    reloaded: bool = False  # snapshots replaced everything: rebuild

    def __bool__(self) -> bool:
        return bool(self.agents or self.queues or self.interactions or self.feed or self.items
                    or self.trends or self.reloaded)


@dataclass(slots=True)
class Totals:
    agents: int = 0
    logged_in: int = 0
    by_bucket: dict[str, int] = field(default_factory=dict)
    waiting: int = 0
    longest_wait_s: float = 0.0
    sl_pct: float | None = None
    answered: int = 0
    abandoned: int = 0
    open_interactions: int = 0


def agent_bucket(agent: AgentInfo) -> str:
    """The server's own bucketing of an agent (see domain/metrics.state_bucket)."""
    return state_bucket(agent.presence, agent.routing_state)


def overall_sl(stats: Iterable[QueueStats]) -> float | None:
    """Floor service level: answered within threshold / (answered + abandoned)."""
    within = whole = 0
    for s in stats:
        within += s.answered_in_sl
        whole += s.answered + s.abandoned
    return round(within / whole * 100.0, 2) if whole else None


class Floor:
    """The supervisor's model of the floor."""

    def __init__(self, *, feed_limit: int = FEED_LIMIT) -> None:
        self.queues: dict[str, Queue] = {}
        self.queue_stats: dict[str, QueueStats] = {}
        self.stats_at: float | None = None
        self.agents: dict[str, AgentInfo] = {}
        self.agent_stats: dict[str, AgentStats] = {}
        self.interactions: dict[str, Interaction] = {}
        self.waiting_since: dict[str, float] = {}  # interaction id -> queue entry time
        self.feed: deque[FeedEntry] = deque(maxlen=feed_limit)
        self._trends = TrendRecorder(TREND_POINTS, TREND_BUCKET_S)
        self.now = 0.0
        self.events_applied = 0
        self._breached: set[str] = set()  # interactions already reported as SLA breaches
        self._below_target: set[str] = set()  # queues whose SL is below target
        # calls whose recording notice is overdue (flagged by the server, not yet confirmed)
        self.disclosure_overdue: set[str] = set()
        self._dirty = Dirty()

    # -- loading ---------------------------------------------------------------------

    def load(self, queues: Iterable[Queue], agents: Iterable[AgentInfo], stats: Stats | None,
             interactions: Iterable[Interaction], now: float) -> None:
        """Replace everything with fresh snapshots (start-up and after a resync).
        The feed and the trend series are kept: they are history."""
        self.now = max(self.now, now)
        self.queues = {q.id: q for q in queues}
        self.agents = {a.id: a for a in agents}
        self.interactions = {}
        self.waiting_since = {}
        for ix in interactions:
            self._put_interaction(ix, ix.created_at)
        self.disclosure_overdue = {i for i in self.disclosure_overdue  # still open and pending
                                   if (open_ix := self.interactions.get(i)) is not None
                                   and open_ix.call is not None
                                   and open_ix.call.disclosure == "pending"}
        self.queue_stats = {}
        self.agent_stats = {}
        if stats is not None:
            self._apply_stats(stats, report=False)
        self._dirty = Dirty(reloaded=True, trends=True)

    # -- events ----------------------------------------------------------------------

    def apply(self, event: DeskEvent) -> None:
        """Apply one domain event of the supervisor's stream (others are ignored)."""
        self.events_applied += 1
        self.now = max(self.now, event.at)
        if isinstance(event, AgentChanged):
            agent = event.agent
            self.agents[agent.id] = agent
            self._dirty.agents.add(agent.id)
        elif isinstance(event, StatsChanged):
            self._apply_stats(event.stats, report=True)
        elif isinstance(event, InteractionChanged):
            self._apply_interaction(event.change, event.interaction, event.at)
            if event.reason == "disclosure_overdue":
                self._disclosure_overdue(event.interaction, event.at)
        elif isinstance(event, CallChanged):
            ix = self.interactions.get(event.interaction_id)
            if ix is not None:
                self.interactions[ix.id] = ix.model_copy(update={"call": event.call})
                self._dirty.interactions.add(ix.id)
                if event.call.disclosure != "pending" or event.call.ended_at is not None:
                    self._disclosure_done(ix.id, ix.agent_id)
        elif isinstance(event, CallbackChanged):
            if event.missed:
                self._callback_missed(event)
        elif isinstance(event, ItemAdded):
            self._dirty.items.append(event.item)

    def _apply_interaction(self, kind: InteractionChange, ix: Interaction, at: float) -> None:
        before = self.interactions.get(ix.id)
        self._dirty.interactions.add(ix.id)
        if before is not None and before.agent_id and before.agent_id != ix.agent_id:
            self._dirty.agents.add(before.agent_id)
        if ix.agent_id:
            self._dirty.agents.add(ix.agent_id)
        if kind is InteractionChange.MISSED:
            agent_id = (before.agent_id if before is not None else None) or ix.agent_id or ""
            self._report(FeedKind.MISSED, at, ix, agent_id=agent_id)
        elif kind is InteractionChange.REJECTED:
            agent_id = (before.agent_id if before is not None else None) or ix.agent_id or ""
            self._report(FeedKind.REJECTED, at, ix, agent_id=agent_id)
        elif kind is InteractionChange.ABANDONED:
            since = self.waiting_since.get(ix.id, ix.created_at)
            self._report(FeedKind.ABANDONED, at, ix, value=max(0.0, at - since))
        elif kind is InteractionChange.TRANSFERRED:
            agent_id = (before.agent_id if before is not None else None) or ""
            self._report(FeedKind.TRANSFERRED, at, ix, agent_id=agent_id)
        queue_changed = before is not None and before.queue_id != ix.queue_id
        if ix.state in OPEN_STATES:
            if ix.state in WAITING_STATES:
                if before is None:
                    self.waiting_since.setdefault(ix.id, min(ix.created_at, at))
                elif (queue_changed or kind is InteractionChange.TRANSFERRED
                      or before.state not in WAITING_STATES or ix.id not in self.waiting_since):
                    # A new wait starts: requeued after a transfer or from active work.
                    self.waiting_since[ix.id] = at
                    self._breached.discard(ix.id)
            else:
                self.waiting_since.pop(ix.id, None)
            self.interactions[ix.id] = ix
        else:
            self.interactions.pop(ix.id, None)
            self.waiting_since.pop(ix.id, None)
            self._breached.discard(ix.id)
            self.disclosure_overdue.discard(ix.id)

    def _disclosure_overdue(self, ix: Interaction, at: float) -> None:
        call = ix.call
        if call is None or call.disclosure != "pending" or ix.id not in self.interactions:
            return
        if ix.id not in self.disclosure_overdue:
            self.disclosure_overdue.add(ix.id)
            self._report(FeedKind.DISCLOSURE_OVERDUE, at, ix, agent_id=ix.agent_id or "")

    def _disclosure_done(self, interaction_id: str, agent_id: str | None) -> None:
        if interaction_id in self.disclosure_overdue:
            self.disclosure_overdue.discard(interaction_id)
            if agent_id:
                self._dirty.agents.add(agent_id)

    def _callback_missed(self, event: CallbackChanged) -> None:
        cb = event.callback
        queue = self.queues.get(cb.queue_id)
        agent = self.agents.get(cb.agent_id or "")
        entry = FeedEntry(
            at=event.at, kind=FeedKind.CALLBACK_MISSED, queue_id=cb.queue_id,
            queue_name=queue.name if queue else cb.queue_id, agent_id=cb.agent_id or "",
            agent_name=agent.name if agent else (cb.agent_id or ""),
            interaction_id=cb.interaction_id or "", customer_name=cb.customer_name,
            channel=Channel.VOICE, value=cb.at)
        self.feed.append(entry)
        self._dirty.feed.append(entry)

    def overdue_disclosures(self, agent_id: str) -> list[str]:
        """The agent's calls whose recording notice is overdue."""
        return sorted(i for i in self.disclosure_overdue
                      if (ix := self.interactions.get(i)) is not None and ix.agent_id == agent_id)

    def _put_interaction(self, ix: Interaction, since: float) -> None:
        if ix.state in OPEN_STATES:
            self.interactions[ix.id] = ix
            if ix.state in WAITING_STATES:
                self.waiting_since[ix.id] = since

    def _apply_stats(self, stats: Stats, *, report: bool) -> None:
        self.stats_at = stats.at
        self.now = max(self.now, stats.at)
        for qs in stats.queues:
            old = self.queue_stats.get(qs.queue_id)
            if old != qs:
                self._dirty.queues.add(qs.queue_id)
            self.queue_stats[qs.queue_id] = qs
            queue = self.queues.get(qs.queue_id)
            if queue is None:
                continue
            below = qs.sl_pct is not None and qs.sl_pct < queue.sl_target_pct
            if below and qs.queue_id not in self._below_target and report:
                self._report(FeedKind.SL_BELOW_TARGET, stats.at, None, queue_id=qs.queue_id,
                             value=qs.sl_pct, target=queue.sl_target_pct)
            if below:
                self._below_target.add(qs.queue_id)
            else:
                self._below_target.discard(qs.queue_id)
        for ags in stats.agents:
            if self.agent_stats.get(ags.agent_id) != ags:
                self._dirty.agents.add(ags.agent_id)
            self.agent_stats[ags.agent_id] = ags
        self._sample_trends(stats)

    # -- time --------------------------------------------------------------------------

    def tick(self, now: float) -> None:
        """Advance the floor clock: contacts waiting past their queue's threshold
        at `now` become SLA breaches (reported once per wait). Only `now` is
        compared, not the time of the latest event, so what is reported depends
        on the clock and the events, not on when the events were drained."""
        self.now = max(self.now, now)
        for iid, since in self.waiting_since.items():
            if iid in self._breached:
                continue
            ix = self.interactions.get(iid)
            queue = self.queues.get(ix.queue_id) if ix is not None else None
            if ix is None or queue is None or queue.sl_threshold_s <= 0:
                continue  # (no goal: no breach)
            wait = now - since
            if wait > queue.sl_threshold_s:
                self._breached.add(iid)
                # Reported at detection time so the feed stays in time order.
                self._report(FeedKind.SLA_BREACH, now, ix,
                             value=wait, target=queue.sl_threshold_s)
                self._dirty.queues.add(queue.id)

    # -- derived views -------------------------------------------------------------------

    def longest_wait(self, queue_id: str, channel: Channel | None = None) -> float:
        """Longest current wait in a queue (or one of its channels), live (the floor
        clock), from open contacts; the server's figure when none is known here."""
        waits = [self.now - since for iid, since in self.waiting_since.items()
                 if (ix := self.interactions.get(iid)) is not None and ix.queue_id == queue_id
                 and (channel is None or ix.channel is channel)]
        if waits:
            return max(0.0, max(waits))
        qs = self.queue_stats.get(queue_id)
        if qs is not None and channel is not None:
            cs = next((c for c in qs.channels if c.channel is channel), None)
            return cs.longest_wait_s if cs is not None and cs.waiting else 0.0
        return qs.longest_wait_s if qs is not None and qs.waiting else 0.0

    def waiting_by_channel(self, queue_id: str) -> dict[Channel, int]:
        counts: dict[Channel, int] = {}
        for iid in self.waiting_since:
            ix = self.interactions.get(iid)
            if ix is not None and ix.queue_id == queue_id:
                counts[ix.channel] = counts.get(ix.channel, 0) + 1
        return counts

    def agent_interactions(self, agent_id: str) -> list[Interaction]:
        """Open interactions of one agent, oldest first."""
        return sorted((ix for ix in self.interactions.values() if ix.agent_id == agent_id),
                      key=lambda ix: (ix.created_at, ix.id))

    def time_in_state(self, agent_id: str) -> float:
        agent = self.agents.get(agent_id)
        return max(0.0, self.now - agent.routing_since) if agent is not None else 0.0

    def totals(self) -> Totals:
        t = Totals(agents=len(self.agents), by_bucket={b: 0 for b in BUCKETS})
        for agent in self.agents.values():
            bucket = agent_bucket(agent)
            if bucket:
                t.logged_in += 1
                t.by_bucket[bucket] += 1
        stats = list(self.queue_stats.values())
        t.waiting = sum(s.waiting for s in stats)
        t.longest_wait_s = max((self.longest_wait(q) for q in self.queues), default=0.0)
        t.sl_pct = overall_sl(stats)
        t.answered = sum(s.answered for s in stats)
        t.abandoned = sum(s.abandoned for s in stats)
        t.open_interactions = len(self.interactions)
        return t

    @property
    def trends(self) -> dict[str, deque[TrendPoint]]:
        """The series by queue id (`OVERALL`: the floor), oldest bucket first."""
        return self._trends.series

    @property
    def sl_window_s(self) -> float | None:
        """The rolling window of the trend service level (None: the server sends only
        the cumulative one, which the trend then shows)."""
        windows = [qs.rolling.window_s for qs in self.queue_stats.values() if qs.rolling]
        return windows[0] if windows and len(windows) == len(self.queue_stats) else None

    def backfill(self, history: StatsHistory) -> int:
        """Merge the server's history into the trend series (on open, after a
        reconnect or resync); returns the points taken."""
        taken = self._trends.backfill(history, max(self.now, self.stats_at or 0.0))
        if taken:
            self._dirty.trends = True
        return taken

    def trend(self, queue_id: str = OVERALL) -> tuple[list[float | None], list[float]]:
        """(service level %, waiting) over the last 30 minutes, one value per
        bucket, oldest first; buckets without a sample repeat the previous one.
        The service level is the rolling one when the server sends it (see
        `domain/trends.py`); None where there is no data yet (no contact has
        left the queue in the window): no data, not 100%."""
        points = self.trends.get(queue_id)
        if not points:
            return [], []
        last = points[-1].bucket
        first = max(points[0].bucket, last - TREND_POINTS + 1)
        by_bucket = {p.bucket: p for p in points}
        sl: list[float | None] = []
        waiting: list[float] = []
        current: TrendPoint | None = None
        for b in range(first, last + 1):
            current = by_bucket.get(b, current)
            if current is None:
                continue
            sl.append(current.sl_pct)
            waiting.append(float(current.waiting))
        return sl, waiting

    # -- draining -------------------------------------------------------------------------

    def take_dirty(self) -> Dirty:
        dirty, self._dirty = self._dirty, Dirty()
        return dirty

    def mark_all_dirty(self) -> None:
        self._dirty.agents.update(self.agents)
        self._dirty.queues.update(self.queues)
        self._dirty.trends = True

    # -- internals ------------------------------------------------------------------------

    def _sample_trends(self, stats: Stats) -> None:
        if self._trends.observe(stats):
            self._dirty.trends = True

    def _report(self, kind: FeedKind, at: float, ix: Interaction | None, *, agent_id: str = "",
                queue_id: str = "", value: float | None = None,
                target: float | None = None) -> None:
        qid = queue_id or (ix.queue_id if ix is not None else "")
        queue = self.queues.get(qid)
        agent = self.agents.get(agent_id) if agent_id else None
        entry = FeedEntry(
            at=at, kind=kind, queue_id=qid, queue_name=queue.name if queue else qid,
            agent_id=agent_id, agent_name=agent.name if agent else agent_id,
            interaction_id=ix.id if ix is not None else "",
            customer_name=ix.customer_name if ix is not None else "",
            channel=ix.channel if ix is not None else None, value=value, target=target)
        self.feed.append(entry)
        self._dirty.feed.append(entry)
