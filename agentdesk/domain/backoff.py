"""Exponential backoff with jitter: the one rule every retry loop of the client
uses (the event stream's reconnects, the desk's snapshot reloads, the outbox's
sender), so a restarted server is not stampeded by every desk at once."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 0.5  # the first pause's ceiling (seconds)
    cap: float = 10.0  # no pause is longer than this

    def delay(self, attempt: int) -> float:
        """The pause before try `attempt` (1 = the first retry): uniform in
        [0, min(cap, base * 2**(attempt-1))]."""
        return random.uniform(0, self.ceiling(attempt))

    def delay_from_half(self, attempt: int) -> float:
        """Equal jitter: uniform in [ceiling/2, ceiling]. For loops that must not
        retry almost at once (the outbox while the server is down)."""
        ceiling = self.ceiling(attempt)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def ceiling(self, attempt: int) -> float:
        return min(self.cap, self.base * 2 ** max(0, attempt - 1))
