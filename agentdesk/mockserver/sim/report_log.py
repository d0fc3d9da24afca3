"""What the simulation keeps for interval reports (GET /v1/reports/intervals):
arrivals in a queue, transfers and agents' presence spans, as they happen;
outcomes and handled contacts are the engine's own records. Persisted with
`--db` (table `report_log`). The report itself: agentdesk/domain/reports.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from agentdesk.domain.models import Channel
from agentdesk.domain.reports import Arrival, PresenceSpan, Records, Transfer


class ReportLog:
    def __init__(self) -> None:
        self.arrivals: list[Arrival] = []
        self.transfers: list[Transfer] = []
        self.spans: list[PresenceSpan] = []
        self.new: list[tuple[str, float, str]] = []  # (kind, at, data) not yet saved

    def arrival(self, at: float, queue_id: str, channel: Channel) -> None:
        self.arrivals.append(Arrival(at, queue_id, channel))
        self.new.append(("arrival", at, json.dumps([queue_id, channel.value])))

    def transfer(self, at: float, queue_id: str, channel: Channel) -> None:
        self.transfers.append(Transfer(at, queue_id, channel))
        self.new.append(("transfer", at, json.dumps([queue_id, channel.value])))

    def presence(self, agent_id: str, presence: str, start: float, end: float) -> None:
        """An agent left `presence` (held since `start`) at `end`."""
        if end > start:
            self.spans.append(PresenceSpan(agent_id, presence, start, end))
            self.new.append(("presence", end, json.dumps([agent_id, presence, start])))

    def take_new(self) -> list[tuple[str, float, str]]:
        new, self.new = self.new, []
        return new

    def restore(self, rows: Iterable[tuple[str, float, str]]) -> None:
        for kind, at, data in rows:
            values = json.loads(data)
            if kind == "arrival":
                self.arrivals.append(Arrival(at, values[0], Channel(values[1])))
            elif kind == "transfer":
                self.transfers.append(Transfer(at, values[0], Channel(values[1])))
            elif kind == "presence":
                self.spans.append(PresenceSpan(values[0], values[1], values[2], at))

    def records(self, sim: Any) -> Records:
        return Records(sim.outcomes, sim.handled, self.arrivals, self.transfers)

    def spans_until(self, sim: Any, now: float) -> list[PresenceSpan]:
        """The closed spans and each agent's current one, up to `now`."""
        current = [PresenceSpan(a.id, a.presence.value, a.presence_since, now)
                   for a in sim.agents.values() if now > a.presence_since]
        return [*self.spans, *current]
