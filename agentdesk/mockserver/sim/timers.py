"""A heap of named deadlines. Scheduling (kind, key) again replaces the earlier
deadline; cancelled or replaced entries are skipped when popped."""

from __future__ import annotations

import heapq
from typing import Any


class Timers:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, str, str]] = []
        self._live: dict[tuple[str, str], int] = {}
        self._n = 0

    def schedule(self, kind: str, key: str, due: float) -> None:
        self._n += 1
        self._live[(kind, key)] = self._n
        heapq.heappush(self._heap, (due, self._n, kind, key))

    def cancel(self, kind: str, key: str) -> None:
        self._live.pop((kind, key), None)

    def pending(self, kind: str, key: str) -> bool:
        return (kind, key) in self._live

    def pop_due(self, now: float) -> tuple[float, str, str] | None:
        """The earliest live deadline at or before `now`, removed; else None."""
        while self._heap and self._heap[0][0] <= now:
            due, n, kind, key = heapq.heappop(self._heap)
            if self._live.get((kind, key)) == n:
                del self._live[(kind, key)]
                return due, kind, key
        return None

    def next_due(self) -> float | None:
        while self._heap and self._live.get((self._heap[0][2], self._heap[0][3])) != self._heap[0][1]:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def to_json(self) -> dict[str, Any]:
        live = [e for e in self._heap if self._live.get((e[2], e[3])) == e[1]]
        return {"n": self._n, "entries": [list(e) for e in live]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Timers:
        t = cls()
        t._n = int(d.get("n", 0))
        for due, n, kind, key in d.get("entries", []):
            t._heap.append((float(due), int(n), str(kind), str(key)))
            t._live[(kind, key)] = int(n)
        heapq.heapify(t._heap)
        return t
