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
A metric with an empty denominator is None ("no data"), never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from agentdesk.domain.models import AgentStats, Presence, Queue, QueueStats, RoutingState


@dataclass(frozen=True, slots=True)
class ContactOutcome:
    """How one contact left a queue: answered (with its wait) or abandoned."""

    queue_id: str
    wait_s: float
    answered: bool  # False: abandoned


@dataclass(frozen=True, slots=True)
class HandledContact:
    """A contact an agent finished: accept to close (talk + hold + ACW)."""

    queue_id: str
    agent_id: str
    handle_s: float


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


def queue_stats_from_totals(queue: Queue, totals: Totals, waiting_since: Iterable[float],
                            now: float, offered: int = 0,
                            agents: Mapping[str, int] | None = None) -> QueueStats:
    """Stats of one queue. `waiting_since`: queue-entry times of contacts still waiting.
    SL = answered within threshold / (answered + abandoned) x 100."""
    waits = [now - t for t in waiting_since]
    return QueueStats(
        queue_id=queue.id,
        waiting=len(waits),
        longest_wait_s=round(max(waits), 2) if waits else 0.0,
        offered=offered,
        answered=totals.answered,
        answered_in_sl=totals.answered_in_sl,
        abandoned=totals.abandoned,
        sl_pct=_pct(totals.answered_in_sl, totals.answered + totals.abandoned),
        asa_s=_avg(totals.wait_sum, totals.answered),
        aht_s=_avg(totals.handle_sum, totals.handled),
        abandon_pct=_pct(totals.abandoned, totals.answered + totals.abandoned),
        agents=dict(agents or {}),
    )


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

