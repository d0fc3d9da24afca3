"""Mutable simulation state records (plain dataclasses, JSON-friendly for persistence)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from agentdesk.domain.models import Presence, RoutingState
from agentdesk.mockserver.sim.capacity_rule import DEFAULT_RULE, CapacityRule


@dataclass(slots=True)
class AgentState:
    id: str
    name: str
    index: int  # agentN -> N; tie-breaker for routing
    queues: list[str]
    bot: bool
    presence: Presence = Presence.OFFLINE
    presence_since: float = 0.0
    next_presence: Presence | None = None
    not_responding: bool = False
    routing_state: RoutingState = RoutingState.OFF_QUEUE
    routing_since: float = 0.0
    last_free_at: float = 0.0  # when the agent last became free: longest-idle first
    connections: int = 0  # open event sockets (not persisted)
    missed: int = 0
    handling_s: float = 0.0  # time with work in hand (busy or ACW)
    idle_s: float = 0.0  # time available with nothing to do (idle or offered)
    acct_kind: str = ""  # what the time since acct_since counts as: handling, idle or ""
    acct_since: float = 0.0
    capacity: CapacityRule = DEFAULT_RULE  # from the scenario (not persisted: set on start)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("connections")
        d.pop("capacity")
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AgentState:
        d = dict(d)
        d["presence"] = Presence(d["presence"])
        d["next_presence"] = Presence(d["next_presence"]) if d.get("next_presence") else None
        d["routing_state"] = RoutingState(d["routing_state"])
        d.pop("capacity", None)
        return cls(**d)


@dataclass(slots=True)
class InteractionMeta:
    """Server-side facts about an interaction that clients do not see."""

    queued_at: float
    declined_by: list[str] = field(default_factory=list)
    reject_reasons: dict[str, str] = field(default_factory=dict)  # agent id -> reason code
    followups_left: int = 0
    followup_pos: int = 0
    transcript_pos: int = 0
    consult_agent: str | None = None
    consult_expires_at: float | None = None
    consult_queue: str | None = None  # warm transfer to a queue: the queue it lands in
    awaiting_reply: bool = False  # the customer wrote and no agent replied yet
    nudges: int = 0  # "hello, anyone there?" messages sent because a reply was overdue
    wrapped_by_bot: bool = False
    for_agent: str | None = None  # kept for this (human) agent until for_agent_until (demo warm-up)
    for_agent_until: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> InteractionMeta:
        return cls(**d)
