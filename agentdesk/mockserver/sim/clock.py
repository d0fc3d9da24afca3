"""The simulation clock: real time scaled by a speed factor, or manual.

Manual clocks start at a fixed epoch and move only through `advance()`
(`POST /sim/clock`), so tests are deterministic. All `at`/`*_at` fields the
server sends are times of this clock.
"""

from __future__ import annotations

import time

MANUAL_EPOCH = 1772442000.0  # 2026-03-02 09:00:00 UTC


class SimClock:
    def __init__(self, *, manual: bool = False, speed: float = 1.0,
                 start: float | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.manual = manual
        self.speed = speed
        self._base = start if start is not None else (MANUAL_EPOCH if manual else time.time())
        self._mono0 = time.monotonic()

    def now(self) -> float:
        if self.manual:
            return self._base
        return self._base + (time.monotonic() - self._mono0) * self.speed

    def advance(self, seconds: float) -> float:
        """Move a manual clock forward; returns the new time."""
        if not self.manual:
            raise RuntimeError("only a manual clock can be advanced")
        if seconds < 0:
            raise ValueError("time does not go backwards")
        self._base += seconds
        return self._base

    def restore(self, at: float) -> None:
        """Continue from a persisted time (never earlier than it)."""
        if self.manual:
            self._base = at
        else:
            self._base = max(at, time.time())
            self._mono0 = time.monotonic()
