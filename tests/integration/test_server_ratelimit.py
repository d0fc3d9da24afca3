"""Rate limiting: a token bucket per bearer token (per address without one).

Over the limit the server answers 429 `rate_limited` with Retry-After before any
handler runs (no state change); the client treats 429 as transient, and a command
retried with the same client_id is applied once. Buckets are exercised with a
fake clock; the live server with a tight limit and "keep going until refused"
loops, so nothing depends on how fast this machine is.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import InvalidStatus

from agentdesk.backends.base import LinkState, LinkStatus, new_client_id
from agentdesk.backends.http import RetryPolicy
from agentdesk.backends.native import NativeBackend
from agentdesk.mockserver.ratelimit import RateLimit, RateLimiter
from agentdesk.testing.mockserver import DemoClient, ServerHandle, running_server

from .conftest import FAST_STREAM, WAIT, Client

TIGHT = RateLimit(rps=1, burst=4, address_factor=3)  # token: 1/s burst 4; address: 3/s, 12
MAX_TRIES = 200  # "until refused" loops give up after this many requests


# -- the buckets, on a fake clock -------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_burst_then_sustained_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rps=10, burst=5), clock)
    assert [limiter.take("token:a") for _ in range(5)] == [0.0] * 5
    wait = limiter.take("token:a")
    assert wait == pytest.approx(0.1)  # one token comes back every 1/rps s
    assert limiter.take("token:b") == 0.0  # buckets are per key
    clock.now += 0.1
    assert limiter.take("token:a") == 0.0
    assert limiter.take("token:a") > 0
    clock.now += 60  # refills up to the burst, not beyond
    assert sum(limiter.take("token:a") == 0.0 for _ in range(20)) == 5
    assert limiter.refused == 2 + 15


def test_address_bucket_is_larger_and_zero_turns_it_off() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rps=1, burst=2, address_factor=10), clock)
    assert sum(limiter.take("addr:127.0.0.1") == 0.0 for _ in range(50)) == 20
    off = RateLimiter(RateLimit.of(0), clock)
    assert all(off.take("token:x") == 0.0 for _ in range(10_000))
    assert RateLimit.of(None).rps == 50 and RateLimit.of(None).capacity == 200
    with pytest.raises(ValueError):
        RateLimit.of(-1)


def test_bucket_table_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentdesk.mockserver import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_BUCKETS", 100)
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rps=1, burst=1), clock)
    for n in range(1000):
        limiter.take(f"addr:10.0.{n // 250}.{n % 250}")
        clock.now += 0.01
    assert len(limiter._buckets) <= 100


# -- the live server ------------------------------------------------------------------


@pytest.fixture
def tight() -> Iterator[ServerHandle]:
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True,
                        rate_limit=TIGHT) as handle:
        yield handle


def _until_refused(send) -> tuple[int, httpx.Response]:  # type: ignore[no-untyped-def]
    """Send until a 429 comes back; (how many went through, the 429)."""
    for n in range(MAX_TRIES):
        r = send()
        if r.status_code == 429:
            return n, r
        assert r.status_code < 400, r.text
    raise AssertionError(f"no 429 after {MAX_TRIES} requests")


def _login(url: str, user: str) -> DemoClient:
    """Log in, waiting out the address bucket if an earlier step emptied it."""
    for _ in range(MAX_TRIES):
        try:
            return DemoClient(url, user)
        except httpx.HTTPStatusError as exc:
            assert exc.response.status_code == 429
            time.sleep(float(exc.response.headers["Retry-After"]))
    raise AssertionError("login kept being refused")


def test_token_over_the_limit_gets_429_with_retry_after(tight: ServerHandle) -> None:
    a1 = _login(tight.url, "agent1")
    a2 = _login(tight.url, "agent2")
    try:
        passed, r = _until_refused(lambda: a1.get("/v1/me"))
        assert passed >= TIGHT.capacity  # the burst went through first
        assert r.json() == {"error": {"code": "rate_limited", "message": r.json()["error"]["message"]}}
        assert int(r.headers["Retry-After"]) >= 1
        assert r.headers["content-type"].startswith("application/json")
        # Another token has its own bucket; health checks are never limited.
        assert a2.get("/v1/me").status_code == 200
        assert all(a1.get("/healthz").status_code == 200 for _ in range(20))
    finally:
        a1.close()
        a2.close()


def test_refused_command_changes_nothing_and_its_retry_applies_once(tight: ServerHandle) -> None:
    agent = _login(tight.url, "agent1")
    try:
        agent.available()
        iid = agent.contact("chat", text="hello")  # /sim: the address bucket
        assert agent.act(iid, "accept").status_code == 200
        cid = new_client_id()
        body = {"client_id": cid, "kind": "reply", "body": "exactly once please"}
        # Empty the bucket, then send the command: refused, nothing happens.
        _until_refused(lambda: agent.get("/v1/me"))
        refused = agent.post(f"/v1/interactions/{iid}/messages", body)
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
        ix = agent.interaction(iid)  # the supervisor's token: its own bucket
        sup = agent._supervisor()
        timeline = sup.get(f"/v1/customers/{ix['customer_id']}/timeline",
                           params={"limit": 500}).json()["items"]
        assert not any(i["body"] == "exactly once please" for i in timeline)
        # Retried with the same client_id until it goes through: applied once.
        for _ in range(MAX_TRIES):
            r = agent.post(f"/v1/interactions/{iid}/messages", body)
            if r.status_code != 429:
                break
            time.sleep(float(r.headers["Retry-After"]) / 4)
        assert r.status_code == 201, r.text
        _until_refused(lambda: agent.get("/v1/me"))
        for _ in range(MAX_TRIES):  # and once more, after a 429 in between: a replay
            again = agent.post(f"/v1/interactions/{iid}/messages", body)
            if again.status_code != 429:
                break
            time.sleep(float(again.headers["Retry-After"]) / 4)
        assert again.status_code == 201 and again.headers.get("Idempotent-Replay") == "true"
        assert again.json() == r.json()
        timeline = sup.get(f"/v1/customers/{ix['customer_id']}/timeline",
                           params={"limit": 500}).json()["items"]
        assert sum(i["body"] == "exactly once please" for i in timeline) == 1
    finally:
        agent.close()


def test_unauthenticated_requests_share_the_address_bucket(tight: ServerHandle) -> None:
    with httpx.Client(base_url=tight.url, timeout=10) as http:
        passed, r = _until_refused(lambda: http.post("/sim/clock", json={"advance_s": 0.001}))
        assert passed >= TIGHT.capacity * TIGHT.address_factor
        assert r.json()["error"]["code"] == "rate_limited" and "Retry-After" in r.headers
        # A made-up token does not buy a fresh bucket: it counts against the address.
        forged = http.get("/v1/me", headers={"Authorization": "Bearer not-a-real-token"})
        assert forged.status_code == 429
        login = http.post("/v1/login", json={"username": "agent1", "password": "demo"})
        assert login.status_code == 429


async def test_websocket_connects_count_and_the_client_rides_out_429(
        tight: ServerHandle) -> None:
    backend = NativeBackend(tight.url, retry=RetryPolicy(attempts=8, base_delay=0.05,
                                                         max_delay=1.0),
                            stream_policy=FAST_STREAM, timeout=5.0)
    client = Client(backend)
    try:
        for _ in range(MAX_TRIES):
            try:
                await backend.login("agent1", "demo")  # 429 here is retried by http.py
                break
            except Exception:
                await asyncio.sleep(0.5)
        token = backend.token
        assert token
        events_url = tight.ws_url + f"/v1/events?token={token}"
        async with httpx.AsyncClient(base_url=tight.url, timeout=10,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            for _ in range(MAX_TRIES):
                if (await http.get("/v1/me")).status_code == 429:
                    break
            # The bucket is empty: a socket handshake is refused with 429 too.
            with pytest.raises(InvalidStatus) as refused:
                async with ws_connect(events_url, open_timeout=5):
                    pass
            assert refused.value.response.status_code == 429
            assert refused.value.response.headers.get("Retry-After")
            for _ in range(MAX_TRIES):  # keep it empty while the stream starts
                if (await http.get("/v1/me")).status_code == 429:
                    break
        # The client's stream sees the 429 as a transient failure and gets in later.
        await client.start(wait_connected=False)
        status = await client.link(LinkState.CONNECTED)
        assert status.state is LinkState.CONNECTED
        # A command issued through the client's own retry policy goes through once.
        me = await backend.me()
        assert me[0].id == "agent1"
        refusals = [i for i in client.log if isinstance(i, LinkStatus)
                    and i.state is LinkState.RECONNECTING]
        assert refusals and "429" in refusals[0].detail
    finally:
        await asyncio.wait_for(client.close(), WAIT)


def test_cli_refuses_a_negative_rate_limit() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "agentdesk", "mock-server", "--port", "0", "--rate-limit", "-1"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--rate-limit" in result.stderr
