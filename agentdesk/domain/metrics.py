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


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def service_level(waits_answered: Iterable[float], abandoned: int, threshold_s: float
                  ) -> float | None:
    waits = list(waits_answered)
    within = sum(1 for w in waits if w <= threshold_s)
    return _pct(within, len(waits) + abandoned)


def queue_stats(queue: Queue, outcomes: Iterable[ContactOutcome],
                handled: Iterable[HandledContact], waiting_since: Iterable[float], now: float,
                offered: int = 0, agents: Mapping[str, int] | None = None) -> QueueStats:
    """Stats of one queue. `waiting_since`: queue-entry times of contacts still waiting."""
    mine = [o for o in outcomes if o.queue_id == queue.id]
    answered = [o.wait_s for o in mine if o.answered]
    abandoned = sum(1 for o in mine if not o.answered)
    handle = [h.handle_s for h in handled if h.queue_id == queue.id]
    waits = [now - t for t in waiting_since]
    return QueueStats(
        queue_id=queue.id,
        waiting=len(waits),
        longest_wait_s=round(max(waits), 2) if waits else 0.0,
        offered=offered,
        answered=len(answered),
        answered_in_sl=sum(1 for w in answered if w <= queue.sl_threshold_s),
        abandoned=abandoned,
        sl_pct=service_level(answered, abandoned, queue.sl_threshold_s),
        asa_s=_mean(answered),
        aht_s=_mean(handle),
        abandon_pct=_pct(abandoned, len(answered) + abandoned),
        agents=dict(agents or {}),
    )


def agent_stats(agent_id: str, handled: Iterable[HandledContact], missed: int,
                handling_s: float, idle_s: float) -> AgentStats:
    """Per-agent stats; `handling_s` is time with work in hand (incl. ACW),
    `idle_s` time available with nothing to do."""
    handle = [h.handle_s for h in handled if h.agent_id == agent_id]
    return AgentStats(
        agent_id=agent_id,
        handled=len(handle),
        aht_s=_mean(handle),
        occupancy_pct=_pct(handling_s, handling_s + idle_s),
        missed=missed,
    )


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

