"""Exponential backoff with jitter: the one formula every retry loop uses.

Used by the HTTP retries, the event stream's reconnects, the outbox sender,
the snapshot reload and the monitor's re-sign-in. Jitter keeps a floor of
clients from reconnecting in lock-step when a restarted server comes back.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 0.5  # ceiling of the first retry's delay, seconds
    cap: float = 10.0  # no delay is ever longer
    # "full": anywhere in [0, ceiling] (spreads a crowd best); "equal": in
    # [ceiling/2, ceiling] (never retries at once, for loops that must pause).
    jitter: str = "full"

    def ceiling(self, attempt: int) -> float:
        """The longest delay before retry number `attempt` (1-based)."""
        return min(self.cap, self.base * 2.0 ** max(0, attempt - 1))

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        top = self.ceiling(attempt)
        if self.jitter == "equal":
            return top / 2 + rand() * top / 2
        return rand() * top
