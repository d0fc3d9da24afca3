"""Rate limiting for the mock server: a token bucket per bearer token, and per
client address for requests without a valid token (login, /sim, bad tokens).

A bucket holds up to `burst` tokens and refills at `rps` tokens per second; each
HTTP request and each WebSocket connect takes one. An empty bucket answers 429
with the usual error body (code `rate_limited`) and a `Retry-After` header (whole
seconds until a token is back), before any handler runs: a refused request
changes nothing. A refused WebSocket connect gets the same answer as an HTTP 429
to its handshake.

The address bucket is `address_factor` times larger in both rate and burst than
a token's: one address may stand for many people (a NAT, an office, a test run
on loopback where 200 agents log in at once).

Time is the wall (monotonic) clock, never the simulation clock: a test server
with a manual clock is limited like any other. `clock` is injectable for tests.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_RPS = 50.0
BURST_FACTOR = 4  # default burst = 4 s worth of the sustained rate (200 at 50/s)
ADDRESS_FACTOR = 10
MAX_BUCKETS = 10_000  # beyond this, full (idle) buckets are forgotten
EXEMPT_PATHS = frozenset({"/healthz"})


@dataclass(frozen=True, slots=True)
class RateLimit:
    """`rps` sustained requests per second per token (0: no limit), `burst` at once."""

    rps: float = DEFAULT_RPS
    burst: float | None = None  # None: BURST_FACTOR * rps
    address_factor: float = ADDRESS_FACTOR

    @property
    def enabled(self) -> bool:
        return self.rps > 0

    @property
    def capacity(self) -> float:
        return max(1.0, self.burst if self.burst is not None else self.rps * BURST_FACTOR)

    @classmethod
    def of(cls, value: RateLimit | float | int | None) -> RateLimit:
        """A RateLimit from an option: None = default, a number = that rps, 0 = off."""
        if value is None:
            return cls()
        if isinstance(value, RateLimit):
            return value
        rps = float(value)
        if rps < 0 or math.isnan(rps) or math.isinf(rps):
            raise ValueError(f"rate limit must be a finite number >= 0, not {value!r}")
        return cls(rps=rps)


class _Bucket:
    __slots__ = ("tokens", "stamp")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens, self.stamp = tokens, stamp


class RateLimiter:
    """Token buckets keyed by string; `take(key)` returns 0 if allowed, else the
    seconds to wait for the next token."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self.refused = 0  # requests answered 429 since start (diagnostics)

    def _shape(self, key: str) -> tuple[float, float]:
        factor = self.limit.address_factor if key.startswith("addr:") else 1.0
        return self.limit.rps * factor, self.limit.capacity * factor

    def take(self, key: str) -> float:
        if not self.limit.enabled:
            return 0.0
        rate, capacity = self._shape(key)
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(capacity, now)
        else:
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
        if bucket.tokens >= 1.0 - 1e-9:  # float refills must not refuse a whole token
            bucket.tokens = max(0.0, bucket.tokens - 1.0)
            return 0.0
        self.refused += 1
        return (1.0 - bucket.tokens) / rate

    def _prune(self, now: float) -> None:
        for key in list(self._buckets):
            rate, capacity = self._shape(key)
            bucket = self._buckets[key]
            if bucket.tokens + (now - bucket.stamp) * rate >= capacity:
                del self._buckets[key]
        if len(self._buckets) >= MAX_BUCKETS:  # all busy: drop the oldest half
            for key in sorted(self._buckets, key=lambda k: self._buckets[k].stamp)[
                    : MAX_BUCKETS // 2]:
                del self._buckets[key]


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _token(scope: dict[str, Any]) -> str | None:
    auth = _header(scope, b"authorization")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    if scope["type"] == "websocket":  # the events socket also takes ?token=
        from urllib.parse import parse_qs

        query = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
        values = query.get("token")
        return values[0] if values else None
    return None


def _refusal(wait: float) -> tuple[list[tuple[bytes, bytes]], bytes]:
    retry_after = max(1, math.ceil(wait))
    body = json.dumps({"error": {"code": "rate_limited",
                                 "message": f"too many requests; retry in {retry_after}s"}},
                      separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode()),
               (b"retry-after", str(retry_after).encode())]
    return headers, body


class RateLimitMiddleware:
    """Pure ASGI middleware (HTTP and WebSocket); `valid_token(token)` says whether
    a token is valid, so that it gets its own bucket; made-up tokens share
    their address's bucket, so inventing tokens buys nothing."""

    def __init__(self, app: Any, limiter: RateLimiter,
                 valid_token: Callable[[str], bool]) -> None:
        self.app = app
        self.limiter = limiter
        self.valid_token = valid_token

    def key(self, scope: dict[str, Any]) -> str:
        token = _token(scope)
        if token and self.valid_token(token):
            return "token:" + token
        client = scope.get("client")
        return "addr:" + (client[0] if client else "?")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (scope["type"] not in ("http", "websocket") or not self.limiter.limit.enabled
                or scope.get("path") in EXEMPT_PATHS):
            await self.app(scope, receive, send)
            return
        wait = self.limiter.take(self.key(scope))
        if not wait:
            await self.app(scope, receive, send)
            return
        headers, body = _refusal(wait)
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 429, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        # WebSocket: refuse the handshake with an HTTP 429 where the server supports
        # it (uvicorn does); otherwise accept and close at once with 1013 "try again
        # later" (closing before accepting would read as a 403, i.e. a bad token).
        await receive()  # websocket.connect
        if "websocket.http.response" in (scope.get("extensions") or {}):
            await send({"type": "websocket.http.response.start", "status": 429,
                        "headers": headers})
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": 1013,
                        "reason": "rate limited"})
