"""Exponential backoff with full jitter: the one rule every retry loop of the
client uses (the event stream's reconnects, the desk's snapshot reloads), so a
restarted server is not stampeded by every desk at once."""

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

    def ceiling(self, attempt: int) -> float:
        return min(self.cap, self.base * 2 ** max(0, attempt - 1))
