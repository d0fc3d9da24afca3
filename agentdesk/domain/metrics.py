"""Contact-center metrics from what actually happened (pure functions, no IO).

Formulas (docs/mock-server.md repeats them):
- Service level SL% = answered within the threshold / (answered + abandoned) x 100.
  Abandoned contacts stay in the denominator, however short their wait, so a queue
  cannot look better by letting customers hang up.
- ASA = mean wait of answered contacts (queue entry to accept).
- AHT = (talk + hold + after-contact work) / handled contacts, i.e. the mean of
  (closed_at - accepted_at) over contacts closed in the period.
- Abandonment % = abandoned / (answered + abandoned) x 100.
- Occupancy = handling time / (handling time + idle available time) x 100.
- Per channel of a queue: the same formulas over that channel's contacts.
- Rolling SL: the SL formula over the contacts that left the queue (answered or
  abandoned) in the last `window_s` seconds (`RollingWindow`).
A metric with an empty denominator is None ("no data"), never 0.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agentdesk.domain.models import (
    AgentStats,
    Channel,
    ChannelStats,
    Presence,
    Queue,
    QueueStats,
    RoutingState,
    SlWindow,
)

# The rolling service level of the trends: a 15-minute interval, the usual
# workforce-management interval, reacts within minutes yet is not as noisy as
# the SL of a 30-second bucket (which holds 0-3 contacts per queue).
SL_WINDOW_S = 15 * 60.0


@dataclass(frozen=True, slots=True)
class ContactOutcome:
    """How one contact left a queue: answered (with its wait) or abandoned."""

    queue_id: str
    wait_s: float
    answered: bool  # False: abandoned
    channel: Channel | None = None  # None: a record saved before channels were kept
    at: float = 0.0  # when it left the queue (0: unknown)


@dataclass(frozen=True, slots=True)
class HandledContact:
    """A contact an agent finished: accept to close (talk + hold + ACW)."""

    queue_id: str
    agent_id: str
    handle_s: float
    channel: Channel | None = None
    at: float = 0.0  # when it closed (0: unknown)


def _pct(part: float, whole: float) -> float | None:
    return round(part / whole * 100.0, 2) if whole > 0 else None


def service_level(waits_answered: Iterable[float], abandoned: int, threshold_s: float
                  ) -> float | None:
    waits = list(waits_answered)
    within = sum(1 for w in waits if w <= threshold_s)
    return _pct(within, len(waits) + abandoned)


@dataclass(slots=True)
class Totals:
    """Running sums behind a queue's or an agent's stats, so a long simulation
    adds each finished contact once instead of re-reading its whole history."""

    answered: int = 0
    answered_in_sl: int = 0
    wait_sum: float = 0.0
    abandoned: int = 0
    handled: int = 0
    handle_sum: float = 0.0

    def add_outcome(self, outcome: ContactOutcome, threshold_s: float) -> None:
        if outcome.answered:
            self.answered += 1
            self.wait_sum += outcome.wait_s
            self.answered_in_sl += outcome.wait_s <= threshold_s
        else:
            self.abandoned += 1

    def add_handled(self, handled: HandledContact) -> None:
        self.handled += 1
        self.handle_sum += handled.handle_s


def _avg(total: float, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _figures(totals: Totals, waiting_since: Iterable[float], now: float, offered: int,
             agents: Mapping[str, int] | None) -> dict[str, Any]:
    """The fields a queue and one of its channels share, from the same formulas."""
    waits = [now - t for t in waiting_since]
    return {
        "waiting": len(waits),
        "longest_wait_s": round(max(waits), 2) if waits else 0.0,
        "offered": offered,
        "answered": totals.answered,
        "answered_in_sl": totals.answered_in_sl,
        "abandoned": totals.abandoned,
        "sl_pct": _pct(totals.answered_in_sl, totals.answered + totals.abandoned),
        "asa_s": _avg(totals.wait_sum, totals.answered),
        "aht_s": _avg(totals.handle_sum, totals.handled),
        "abandon_pct": _pct(totals.abandoned, totals.answered + totals.abandoned),
        "agents": dict(agents or {}),
    }


def queue_stats_from_totals(queue: Queue, totals: Totals, waiting_since: Iterable[float],
                            now: float, offered: int = 0,
                            agents: Mapping[str, int] | None = None) -> QueueStats:
    """Stats of one queue. `waiting_since`: queue-entry times of contacts still waiting.
    SL = answered within threshold / (answered + abandoned) x 100."""
    return QueueStats(queue_id=queue.id, **_figures(totals, waiting_since, now, offered, agents))


def channel_stats_from_totals(channel: Channel, totals: Totals, waiting_since: Iterable[float],
                              now: float, offered: int = 0,
                              agents: Mapping[str, int] | None = None) -> ChannelStats:
    """One channel of a queue: `totals` hold only that channel's records."""
    return ChannelStats(channel=channel, **_figures(totals, waiting_since, now, offered, agents))


def queue_stats(queue: Queue, outcomes: Iterable[ContactOutcome],
                handled: Iterable[HandledContact], waiting_since: Iterable[float], now: float,
                offered: int = 0, agents: Mapping[str, int] | None = None) -> QueueStats:
    """Stats of one queue from its records (the same formulas as the running totals)."""
    totals = Totals()
    for o in outcomes:
        if o.queue_id == queue.id:
            totals.add_outcome(o, queue.sl_threshold_s)
    for h in handled:
        if h.queue_id == queue.id:
            totals.add_handled(h)
    return queue_stats_from_totals(queue, totals, waiting_since, now, offered, agents)


def channel_stats(queue: Queue, channel: Channel, outcomes: Iterable[ContactOutcome],
                  handled: Iterable[HandledContact], waiting_since: Iterable[float], now: float,
                  offered: int = 0, agents: Mapping[str, int] | None = None) -> ChannelStats:
    """One channel of a queue from its records (the queue's formulas, that channel only)."""
    totals = Totals()
    for o in outcomes:
        if o.queue_id == queue.id and o.channel is channel:
            totals.add_outcome(o, queue.sl_threshold_s)
    for h in handled:
        if h.queue_id == queue.id and h.channel is channel:
            totals.add_handled(h)
    return channel_stats_from_totals(channel, totals, waiting_since, now, offered, agents)


@dataclass(slots=True)
class _WindowCounts:
    answered: int = 0
    answered_in_sl: int = 0
    abandoned: int = 0


@dataclass(slots=True)
class RollingWindow:
    """Service level per queue over the last `window_s` seconds, kept incrementally:
    each outcome is added once and expires once, so a sample costs O(new records).
    Outcomes must be added in time order; a contact counts while now - at < window_s."""

    window_s: float = SL_WINDOW_S
    _entries: deque[tuple[float, str, bool, bool]] = field(default_factory=deque)
    _counts: dict[str, _WindowCounts] = field(default_factory=dict)

    def add(self, outcome: ContactOutcome, threshold_s: float) -> None:
        in_sl = outcome.answered and outcome.wait_s <= threshold_s
        self._entries.append((outcome.at, outcome.queue_id, outcome.answered, in_sl))
        self._bump(outcome.queue_id, outcome.answered, in_sl, +1)

    def expire(self, now: float) -> None:
        entries = self._entries
        while entries and now - entries[0][0] >= self.window_s:
            _at, queue_id, answered, in_sl = entries.popleft()
            self._bump(queue_id, answered, in_sl, -1)

    def _bump(self, queue_id: str, answered: bool, in_sl: bool, sign: int) -> None:
        c = self._counts.setdefault(queue_id, _WindowCounts())
        if answered:
            c.answered += sign
            c.answered_in_sl += sign * in_sl
        else:
            c.abandoned += sign

    def of(self, queue_id: str) -> SlWindow:
        c = self._counts.get(queue_id) or _WindowCounts()
        return sl_window(self.window_s, c.answered, c.answered_in_sl, c.abandoned)


def sl_window(window_s: float, answered: int, answered_in_sl: int, abandoned: int) -> SlWindow:
    return SlWindow(window_s=window_s, answered=answered, answered_in_sl=answered_in_sl,
                    abandoned=abandoned, sl_pct=_pct(answered_in_sl, answered + abandoned))


def rolling_sl(queue: Queue, outcomes: Iterable[ContactOutcome], now: float,
               window_s: float = SL_WINDOW_S) -> SlWindow:
    """The rolling service level of one queue from its records (what `RollingWindow`
    keeps incrementally): contacts that left in (now - window_s, now]."""
    answered = in_sl = abandoned = 0
    for o in outcomes:
        if o.queue_id != queue.id or not 0 <= now - o.at < window_s:
            continue
        if o.answered:
            answered += 1
            in_sl += o.wait_s <= queue.sl_threshold_s
        else:
            abandoned += 1
    return sl_window(window_s, answered, in_sl, abandoned)


def agent_stats_from_totals(agent_id: str, totals: Totals, missed: int,
                            handling_s: float, idle_s: float) -> AgentStats:
    """Per-agent stats; `handling_s` is time with work in hand (incl. ACW),
    `idle_s` time available with nothing to do."""
    return AgentStats(
        agent_id=agent_id,
        handled=totals.handled,
        aht_s=_avg(totals.handle_sum, totals.handled),
        occupancy_pct=_pct(handling_s, handling_s + idle_s),
        missed=missed,
    )


def agent_stats(agent_id: str, handled: Iterable[HandledContact], missed: int,
                handling_s: float, idle_s: float) -> AgentStats:
    totals = Totals()
    for h in handled:
        if h.agent_id == agent_id:
            totals.add_handled(h)
    return agent_stats_from_totals(agent_id, totals, missed, handling_s, idle_s)


_ROUTING_BUCKET = {
    RoutingState.IDLE: "available",
    RoutingState.OFFERED: "busy",
    RoutingState.BUSY: "busy",
    RoutingState.ACW: "acw",
    RoutingState.NOT_RESPONDING: "not_responding",
    RoutingState.OFF_QUEUE: "away",
}


def state_bucket(presence: Presence, routing_state: RoutingState) -> str:
    """The wallboard bucket of an agent: available / busy / acw / away /
    not_responding, or "" for logged out. Server stats and the monitor both use it."""
    if presence is Presence.OFFLINE and routing_state is RoutingState.OFF_QUEUE:
        return ""
    return _ROUTING_BUCKET[routing_state]

