"""The frozen clock of tests and screenshot scenes: time moves only when the
test sets `now` (apps take any `() -> float` as their clock)."""

from __future__ import annotations


class FrozenClock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
