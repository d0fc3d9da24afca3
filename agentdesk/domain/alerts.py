"""Supervisor alerts: thresholds on the floor's figures, raised and cleared on a
clock. Pure: no Textual, no IO, no wire events; it reads the `Floor`'s state
(queues, their stats, agents, live waits) and the floor clock.

Per queue (thresholds from `[monitor.alerts]`, overridden per queue id):

- `sl`: the day's service level below `sl_below_pct` (default: the queue's own
  SL target), once `sl_min_contacts` contacts have left the queue;
- `wait`: the longest current wait above `longest_wait_s` (default: twice the
  queue's SL threshold: the contact has long missed the goal);
- `length`: more than `queue_length` contacts waiting (default: the queue's
  agents signed in, at least 5: more waiting than people to take them);
- `abandon`: abandonment above `abandon_pct` (default 10%), once
  `sl_min_contacts` contacts have left the queue.

Per agent: Not Responding longer than `not_responding_s`, in ACW longer than
`acw_s`, and longer than `states[name]` in a presence or routing state of
that name (`break`, `lunch`, `offered` ...). A threshold of 0 is off.

`AlertBook.evaluate(floor, now)` returns what changed since the previous call
(raised, cleared); the active alerts tell the UI which cells, rows and the
header to colour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from agentdesk.domain.metrics import state_bucket
from agentdesk.domain.models import AgentInfo, Queue, QueueStats, RoutingState

DEFAULT_ABANDON_PCT = 10.0
MIN_QUEUE_LENGTH = 5
WAIT_FACTOR = 2.0  # default longest-wait alert: this many times the queue's SL threshold


class AlertKind(StrEnum):
    SL = "sl"
    WAIT = "wait"
    LENGTH = "length"
    ABANDON = "abandon"
    NOT_RESPONDING = "not_responding"
    ACW = "acw"
    STATE = "state"


QUEUE_KINDS = (AlertKind.SL, AlertKind.WAIT, AlertKind.LENGTH, AlertKind.ABANDON)

# The board column each alert colours (queues board / agents board).
COLUMN = {AlertKind.SL: "sl", AlertKind.WAIT: "longest", AlertKind.LENGTH: "waiting",
          AlertKind.ABANDON: "abandon", AlertKind.NOT_RESPONDING: "state",
          AlertKind.ACW: "state", AlertKind.STATE: "since"}


@dataclass(frozen=True, slots=True)
class QueueThresholds:
    """None: derive from the queue (see the module doc); 0: off."""

    sl_below_pct: float | None = None
    longest_wait_s: float | None = None
    queue_length: int | None = None
    abandon_pct: float | None = None


@dataclass(frozen=True, slots=True)
class AlertRules:
    enabled: bool = True
    queue: QueueThresholds = QueueThresholds()
    queues: Mapping[str, QueueThresholds] = field(default_factory=dict)
    sl_min_contacts: int = 5
    not_responding_s: float = 30.0
    acw_s: float = 180.0
    states: Mapping[str, float] = field(
        default_factory=lambda: {"break": 900.0, "lunch": 3600.0})

    @classmethod
    def from_settings(cls, s: Any) -> AlertRules:
        """From the config's `[monitor.alerts]` (config.MonitorAlertSettings)."""
        def thresholds(o: Any) -> QueueThresholds:
            return QueueThresholds(o.sl_below_pct, o.longest_wait_s, o.queue_length,
                                   o.abandon_pct)

        return cls(enabled=s.enabled, queue=thresholds(s), sl_min_contacts=s.sl_min_contacts,
                   queues={qid: thresholds(o) for qid, o in s.queues.items()},
                   not_responding_s=s.not_responding_s, acw_s=s.acw_s,
                   states={k.casefold(): v for k, v in s.states.items()})

    def for_queue(self, queue: Queue, agents_signed_in: int) -> dict[AlertKind, float]:
        """The effective thresholds of one queue (the alerts that are on)."""
        own = self.queues.get(queue.id, QueueThresholds())

        def pick(name: str, default: float) -> float:
            value = getattr(own, name)
            if value is None:
                value = getattr(self.queue, name)
            return float(default if value is None else value)

        out = {
            AlertKind.SL: pick("sl_below_pct", queue.sl_target_pct),
            # A queue without a goal (threshold 0) has no derived wait alert.
            AlertKind.WAIT: pick("longest_wait_s", WAIT_FACTOR * max(0.0, queue.sl_threshold_s)),
            AlertKind.LENGTH: pick("queue_length", max(MIN_QUEUE_LENGTH, agents_signed_in)),
            AlertKind.ABANDON: pick("abandon_pct", DEFAULT_ABANDON_PCT),
        }
        return {kind: value for kind, value in out.items() if value > 0}


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    subject_id: str  # queue id or agent id
    subject_name: str
    is_queue: bool
    value: float
    threshold: float
    since: float  # when it was raised (floor clock)
    state: str = ""  # AlertKind.STATE: the state's name

    @property
    def key(self) -> tuple[AlertKind, str, str]:
        return self.kind, self.subject_id, self.state

    @property
    def column(self) -> str:
        return COLUMN[self.kind]


@dataclass(frozen=True, slots=True)
class AlertChange:
    alert: Alert
    raised: bool  # False: cleared
    at: float


class FloorView(Protocol):
    """What the alerts read of `domain.floor.Floor`."""

    queues: dict[str, Queue]
    queue_stats: dict[str, QueueStats]
    agents: dict[str, AgentInfo]

    def longest_wait(self, queue_id: str) -> float: ...


class AlertBook:
    """The active alerts; `evaluate` raises and clears them."""

    def __init__(self, rules: AlertRules | None = None) -> None:
        self.rules = rules or AlertRules()
        self.active: dict[tuple[AlertKind, str, str], Alert] = {}

    def evaluate(self, floor: FloorView, now: float) -> list[AlertChange]:
        """Compare the floor at `now` with the thresholds; returns the alerts raised
        and cleared since the previous call (cleared first, then raised)."""
        if not self.rules.enabled:
            return []
        found = {a.key: a for a in (*self._queue_breaches(floor),
                                    *self._agent_breaches(floor, now))}
        changes: list[AlertChange] = []
        for key in [k for k in self.active if k not in found]:
            changes.append(AlertChange(self.active.pop(key), False, now))
        for key, template in found.items():
            old = self.active.get(key)
            if old is None:
                alert = _with(template, since=now)
                changes.append(AlertChange(alert, True, now))
            else:
                alert = _with(template, since=old.since)
            self.active[key] = alert
        return changes

    # -- views for the UI ---------------------------------------------------------------------

    def queue_alerts(self, queue_id: str) -> list[Alert]:
        return [a for a in self.active.values() if a.is_queue and a.subject_id == queue_id]

    def agent_alerts(self, agent_id: str) -> list[Alert]:
        return [a for a in self.active.values() if not a.is_queue and a.subject_id == agent_id]

    def cell_alerted(self, subject_id: str, column: str) -> bool:
        return any(a.subject_id == subject_id and a.column == column
                   for a in self.active.values())

    def __len__(self) -> int:
        return len(self.active)

    # -- breaches ----------------------------------------------------------------------------

    def _queue_breaches(self, floor: FloorView) -> list[Alert]:
        out: list[Alert] = []
        rules = self.rules
        for qid, queue in floor.queues.items():
            stats = floor.queue_stats.get(qid)
            signed_in = sum(1 for a in floor.agents.values()
                            if qid in a.queues and state_bucket(a.presence, a.routing_state))
            limits = rules.for_queue(queue, signed_in)
            left = (stats.answered + stats.abandoned) if stats is not None else 0
            waiting = stats.waiting if stats is not None else 0
            longest = floor.longest_wait(qid) if waiting else 0.0
            values: dict[AlertKind, float | None] = {
                AlertKind.SL: stats.sl_pct if stats is not None
                and left >= rules.sl_min_contacts else None,
                AlertKind.WAIT: longest,
                AlertKind.LENGTH: float(waiting),
                AlertKind.ABANDON: stats.abandon_pct if stats is not None
                and left >= rules.sl_min_contacts else None,
            }
            for kind, limit in limits.items():
                value = values[kind]
                if value is None:
                    continue
                breached = value < limit if kind is AlertKind.SL else value > limit
                if breached:
                    out.append(Alert(kind, qid, queue.name, True, value, limit, 0.0))
        return out

    def _agent_breaches(self, floor: FloorView, now: float) -> list[Alert]:
        out: list[Alert] = []
        rules = self.rules
        for aid, agent in floor.agents.items():
            if not state_bucket(agent.presence, agent.routing_state):
                continue  # signed out: nothing to watch
            in_routing = max(0.0, now - agent.routing_since)
            in_presence = max(0.0, now - agent.presence_since)
            if agent.routing_state is RoutingState.NOT_RESPONDING and rules.not_responding_s > 0 \
                    and in_routing > rules.not_responding_s:
                out.append(Alert(AlertKind.NOT_RESPONDING, aid, agent.name, False, in_routing,
                                 rules.not_responding_s, 0.0))
            if agent.routing_state is RoutingState.ACW and rules.acw_s > 0 \
                    and in_routing > rules.acw_s:
                out.append(Alert(AlertKind.ACW, aid, agent.name, False, in_routing,
                                 rules.acw_s, 0.0))
            for name, since in ((agent.presence.value, in_presence),
                                (agent.routing_state.value, in_routing)):
                limit = rules.states.get(name)
                if limit and since > limit:
                    out.append(Alert(AlertKind.STATE, aid, agent.name, False, since, limit,
                                     0.0, state=name))
        return out


def _with(alert: Alert, *, since: float) -> Alert:
    return Alert(alert.kind, alert.subject_id, alert.subject_name, alert.is_queue, alert.value,
                 alert.threshold, since, alert.state)


def describe(alert: Alert) -> str:
    """One line for the feed and notifications: "Billing: SL 62% < 80%"."""
    v, t = alert.value, alert.threshold
    text = {
        AlertKind.SL: f"SL {v:.0f}% < {t:.0f}%",
        AlertKind.WAIT: f"longest wait {_short(v)} > {_short(t)}",
        AlertKind.LENGTH: f"{v:.0f} waiting > {t:.0f}",
        AlertKind.ABANDON: f"abandoned {v:.0f}% > {t:.0f}%",
        AlertKind.NOT_RESPONDING: f"not responding for {_short(v)} > {_short(t)}",
        AlertKind.ACW: f"in ACW for {_short(v)} > {_short(t)}",
        AlertKind.STATE: f"{alert.state.replace('_', ' ')} for {_short(v)} > {_short(t)}",
    }[alert.kind]
    return f"{alert.subject_name}: {text}"


def _short(seconds: float) -> str:
    s = int(max(0.0, seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
