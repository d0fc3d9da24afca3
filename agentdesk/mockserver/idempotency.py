"""`client_id` idempotency: the first response to (user, client_id) is kept and
replayed verbatim for every repeat, so a retried command never applies twice.

A key is bound to the request it answered (method and path): the same
`client_id` sent to another endpoint or interaction is a client bug, answered
409, never with the stored answer of a different request. The store is bounded
by count and by bytes (oldest keys go first), so a flood of commands with fresh
keys cannot grow memory without limit.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_KEYS = 100_000
MAX_BYTES = 64 * 1024 * 1024  # stored response bodies, all keys together


class IdempotencyStore:
    def __init__(self, limit: int = MAX_KEYS, max_bytes: int = MAX_BYTES) -> None:
        self.limit = limit
        self.max_bytes = max_bytes
        self.bytes = 0
        self._responses: OrderedDict[tuple[str, str], tuple[int, bytes, str]] = OrderedDict()
        self.new: list[tuple[str, str, int, bytes, str]] = []  # for persistence

    def get(self, user_id: str, client_id: str) -> tuple[int, bytes, str] | None:
        """(status, body, request) stored for the key; request is "METHOD /path"
        ("" for keys saved before requests were recorded)."""
        return self._responses.get((user_id, client_id))

    def put(self, user_id: str, client_id: str, status: int, body: bytes, request: str = "",
            persist: bool = True) -> None:
        old = self._responses.pop((user_id, client_id), None)
        if old is not None:
            self.bytes -= len(old[1])
        self._responses[(user_id, client_id)] = (status, body, request)
        self.bytes += len(body)
        while self._responses and (len(self._responses) > self.limit
                                   or self.bytes > self.max_bytes):
            _, (_, dropped, _) = self._responses.popitem(last=False)
            self.bytes -= len(dropped)
        if persist:
            self.new.append((user_id, client_id, status, body, request))
