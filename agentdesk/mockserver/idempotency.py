"""`client_id` idempotency: the first response to (user, client_id) is kept and
replayed verbatim for every repeat, so a retried command never applies twice."""

from __future__ import annotations

from collections import OrderedDict

MAX_KEYS = 100_000


class IdempotencyStore:
    def __init__(self, limit: int = MAX_KEYS) -> None:
        self.limit = limit
        self._responses: OrderedDict[tuple[str, str], tuple[int, bytes]] = OrderedDict()
        self.new: list[tuple[str, str, int, bytes]] = []  # for persistence

    def get(self, user_id: str, client_id: str) -> tuple[int, bytes] | None:
        return self._responses.get((user_id, client_id))

    def put(self, user_id: str, client_id: str, status: int, body: bytes,
            persist: bool = True) -> None:
        self._responses[(user_id, client_id)] = (status, body)
        if len(self._responses) > self.limit:
            self._responses.popitem(last=False)
        if persist:
            self.new.append((user_id, client_id, status, body))
