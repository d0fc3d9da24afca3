"""The capacity rule the simulation routes by: units per agent, and per channel a
concurrency limit and a cost in units. The defaults are `domain/capacity.py`'s
(a call takes all 100 units, a chat 25, at most 3 chats ...); a scenario's
`[capacity]` table or `mock-server --capacity` changes them, e.g. for 20
concurrent chats at 5 units each. Hashable, so routing can memoise on it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agentdesk.domain.capacity import DEFAULT_COSTS, DEFAULT_LIMITS, TOTAL_UNITS
from agentdesk.domain.models import Channel


@dataclass(frozen=True, slots=True)
class CapacityRule:
    total: int = TOTAL_UNITS
    limits: tuple[tuple[Channel, int], ...] = tuple(sorted(DEFAULT_LIMITS.items()))
    costs: tuple[tuple[Channel, int], ...] = tuple(sorted(DEFAULT_COSTS.items()))

    @property
    def limit_map(self) -> dict[Channel, int]:
        return dict(self.limits)

    @property
    def cost_map(self) -> dict[Channel, int]:
        return dict(self.costs)

    def updated(self, *, total: int | None = None, limits: dict[str, int] | None = None,
                costs: dict[str, int] | None = None) -> CapacityRule:
        new_limits = self.limit_map | {Channel(k): v for k, v in (limits or {}).items()}
        new_costs = self.cost_map | {Channel(k): v for k, v in (costs or {}).items()}
        return CapacityRule(total=self.total if total is None else total,
                            limits=tuple(sorted(new_limits.items())),
                            costs=tuple(sorted(new_costs.items())))

    def problems(self) -> list[str]:
        """Channels this rule could never route (a cost above the total)."""
        return [f"{ch.value} costs {cost} units but an agent has {self.total}: "
                f"{ch.value} could never be routed"
                for ch, cost in self.costs if cost > self.total and self.limit_map.get(ch)]

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "limits": {c.value: n for c, n in self.limits},
                "costs": {c.value: n for c, n in self.costs}}


DEFAULT_RULE = CapacityRule()
_ITEM = re.compile(r"^\s*(?:(total)\s*=\s*(\d+)|([a-z]+)\s*=\s*(\d+)\s*(?:@\s*(\d+))?)\s*$")


def parse_capacity(spec: str, base: CapacityRule = DEFAULT_RULE) -> CapacityRule:
    """`chat=20@5,voice=1@100,total=100`: per channel LIMIT[@COST], and the total
    units. Raises ValueError with the reason."""
    total: int | None = None
    limits: dict[str, int] = {}
    costs: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = _ITEM.match(part)
        if not match:
            raise ValueError(f"{part!r} is not CHANNEL=LIMIT[@COST] or total=UNITS")
        if match[1]:
            total = int(match[2])
            if total < 1:
                raise ValueError("total must be at least 1")
            continue
        channel = match[3]
        if channel not in {c.value for c in Channel}:
            raise ValueError(f"{channel!r} is not a channel (chat, email, sms, social, voice)")
        limits[channel] = int(match[4])
        if match[5] is not None:
            costs[channel] = int(match[5])
    rule = base.updated(total=total, limits=limits, costs=costs)
    if problems := rule.problems():
        raise ValueError(problems[0])
    return rule
