"""Issue 15: a load-and-abuse run of the mock server, bounded in time.

50 agents work through the real API (poll their interactions, accept, reply three
times, wrap up) while, from the same host: a flood of logins (good and bad), the
largest /sim bursts allowed (and more than allowed), oversized bodies (declared
and chunked), bodies and headers trickled slowly (slowloris on loopback
sockets), and a health probe all along. Afterwards: every probe was answered,
no request got a 5xx, memory grew within a generous bound, the slow sockets were
closed by the server, and every message the server accepted is in its
customer's timeline.

The server runs as a subprocess so its memory is measured alone. No assertion
on speed: only on answers (each with a generous timeout) and on what was kept.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from agentdesk.mockserver import routes_sim
from agentdesk.mockserver.slow_clients import HEADER_TIMEOUT_S
from agentdesk.testing.mockserver import spawn_server

AGENTS = 50
CONTACTS = 100  # chats created for the agents during the run
REPLIES = 3
TIMEOUT = 30.0  # per request: generous, a frozen server never answers
RSS_GROWTH_LIMIT_MB = 400  # generous: the bursts fill replay buffers (bounded) on purpose

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # transport errors and 5xx
    accepted: list[tuple[str, str, str]] = field(default_factory=list)  # (customer, iid, client_id)
    closed: set[str] = field(default_factory=set)
    probes: int = 0

    def note(self, what: str, response: httpx.Response) -> None:
        self.statuses[(what, response.status_code)] += 1
        if response.status_code >= 500:
            self.errors.append(f"{what}: {response.status_code} {response.text[:200]}")


async def _retrying(send, tally: Tally, what: str) -> httpx.Response:
    """A well-behaved client: waits out 429s (the floods share our address)."""
    while True:
        response = await send()
        tally.note(what, response)
        if response.status_code != 429:
            return response
        await asyncio.sleep(min(5.0, float(response.headers.get("Retry-After", "1"))))


async def _agent(http: httpx.AsyncClient, token: str, n: int, tally: Tally,
                 done: asyncio.Event) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    seq = itertools.count()
    while not done.is_set():
        r = await _retrying(lambda: http.get("/v1/interactions", headers=auth), tally, "list")
        mine = r.json()["interactions"]
        if not mine:
            await asyncio.sleep(0.5)
            continue
        for ix in mine:
            iid = ix["id"]
            if ix["state"] == "offered":
                r = await _retrying(lambda iid=iid: http.post(
                    f"/v1/interactions/{iid}/accept", headers=auth,
                    json={"client_id": f"a{n}-{next(seq)}"}), tally, "accept")
                if r.status_code != 200:
                    continue
            for _ in range(REPLIES):
                client_id = f"m{n}-{next(seq)}"
                body = {"client_id": client_id, "kind": "reply", "body": f"reply {client_id}"}
                r = await _retrying(lambda iid=iid, body=body: http.post(
                    f"/v1/interactions/{iid}/messages", headers=auth, json=body),
                    tally, "reply")
                if r.status_code == 201:
                    tally.accepted.append((ix["customer_id"], iid, client_id))
            r = await _retrying(lambda iid=iid: http.post(
                f"/v1/interactions/{iid}/wrapup", headers=auth,
                json={"client_id": f"w{n}-{next(seq)}", "disposition": "resolved"}),
                tally, "wrapup")
            if r.status_code == 200:
                tally.closed.add(iid)


async def _customers(http: httpx.AsyncClient, tally: Tally) -> list[str]:
    async def one(n: int) -> str:
        r = await _retrying(lambda: http.post("/sim/contacts", json={
            "channel": "chat", "text": f"customer {n} needs help"}), tally, "contact")
        assert r.status_code == 201, r.text
        return r.json()["interaction_id"]
    ids: list[str] = []
    for start in range(0, CONTACTS, 10):
        ids += await asyncio.gather(*(one(n) for n in range(start, start + 10)))
    return ids


async def _login_flood(http: httpx.AsyncClient, tally: Tally) -> None:
    async def one(k: int) -> None:
        password = "demo" if k % 2 else "wrong"
        try:
            r = await http.post("/v1/login", json={"username": f"agent{k % AGENTS + 1}",
                                                   "password": password})
            tally.note("flood-login", r)
        except httpx.HTTPError as exc:
            tally.errors.append(f"flood-login: {type(exc).__name__}")
    for start in range(0, 1200, 100):
        await asyncio.gather(*(one(k) for k in range(start, start + 100)))


async def _bursts(http: httpx.AsyncClient, tally: Tally) -> None:
    big = {"count": routes_sim.MAX_BURST_COUNT // 2, "rate": routes_sim.MAX_BURST_RATE}
    for body in [big, big, big, {"count": 10_000_000, "rate": 1e9}]:
        r = await http.post("/sim/burst", json=body)
        tally.note("burst", r)
        assert r.status_code in (202, 409, 422, 429), r.text


async def _oversized(http: httpx.AsyncClient, tally: Tally) -> None:
    blob = b"x" * (2 * 1024 * 1024)

    async def chunks():
        for _ in range(64):
            yield b"y" * 32 * 1024

    for _ in range(10):
        r = await http.post("/sim/contacts", content=blob,
                            headers={"Content-Type": "application/json"})
        tally.note("oversized", r)
        assert r.status_code in (413, 429)
        r = await http.post("/v1/login", content=chunks())  # no Content-Length: counted
        tally.note("oversized-chunked", r)
        assert r.status_code in (413, 429)


def _slowloris(port: int, count: int) -> list[socket.socket]:
    socks = []
    for k in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        if k % 2:  # headers never finished
            sock.sendall(b"GET /v1/me HTTP/1.1\r\nHost: x\r\nX-a: ")
        else:  # a body promised and never sent
            sock.sendall(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                         b"\r\nContent-Length: 100\r\n\r\n{")
        socks.append(sock)
    return socks


async def _trickle(socks: list[socket.socket], done: asyncio.Event) -> None:
    while not done.is_set():
        for sock in socks:
            try:
                sock.send(b"a")
            except OSError:
                pass  # closed by the server: what we want
        await asyncio.sleep(1.0)  # deliberate: a slowloris trickles one byte a second


async def _probe(http: httpx.AsyncClient, token: str, tally: Tally, done: asyncio.Event) -> None:
    while not done.is_set():
        assert (await http.get("/healthz")).status_code == 200
        me = await http.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code in (200, 429), me.text
        tally.probes += 1
        await asyncio.sleep(0.2)  # deliberate: a well-behaved client's pace beside the abuse


def _closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(HEADER_TIMEOUT_S + 40.0)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


async def test_the_real_api_survives_floods_bursts_big_and_slow_requests():
    server = spawn_server("--agents", str(AGENTS + 2), "--bots", "0", "--no-traffic",
                          "--manual-clock")
    tally = Tally()
    try:
        port = int(server.url.rsplit(":", 1)[1])
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
        async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT, limits=limits) as http:
            tokens = []
            for n in range(1, AGENTS + 1):
                r = await http.post("/v1/login", json={"username": f"agent{n}", "password": "demo"})
                tokens.append(r.json()["token"])
                r = await http.put("/v1/me/presence", json={"presence": "available"},
                                   headers={"Authorization": f"Bearer {tokens[-1]}"})
                assert r.status_code == 200
            prober = (await http.post("/v1/login", json={
                "username": f"agent{AGENTS + 1}", "password": "demo"})).json()["token"]
            rss_before = _rss_mb(server.process.pid)

            done = asyncio.Event()
            slow = await asyncio.to_thread(_slowloris, port, 200)
            background = [asyncio.create_task(_trickle(slow, done)),
                          asyncio.create_task(_probe(http, prober, tally, done)),
                          *(asyncio.create_task(_agent(http, token, n, tally, done))
                            for n, token in enumerate(tokens))]
            abuse = asyncio.gather(_login_flood(http, tally), _bursts(http, tally),
                                   _oversized(http, tally))
            contact_ids = await _customers(http, tally)
            await abuse
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 240
            while not set(contact_ids) <= tally.closed:
                assert loop.time() < deadline, f"{len(tally.closed)}/{CONTACTS} closed"
                await asyncio.sleep(0.2)
            done.set()
            await asyncio.gather(*background)
            rss_after = _rss_mb(server.process.pid)

            closed = await asyncio.gather(*(asyncio.to_thread(_closed_by_server, s)
                                            for s in slow))
            for sock in slow:
                sock.close()

            # Nothing lost: every accepted reply is in its customer's timeline.
            token = tokens[0]
            by_customer: dict[str, set[str]] = {}
            for customer, _iid, client_id in tally.accepted:
                by_customer.setdefault(customer, set()).add(client_id)
            for customer, wanted in by_customer.items():
                r = await http.get(f"/v1/customers/{customer}/timeline?limit=500",
                                   headers={"Authorization": f"Bearer {token}"})
                assert r.status_code == 200
                seen = {item.get("client_id") for item in r.json()["items"]}
                assert wanted <= seen, f"{customer}: lost {sorted(wanted - seen)[:5]}"
            health = (await http.get("/healthz")).json()
    finally:
        server.stop()

    assert tally.errors == [], tally.errors[:10]
    assert len(tally.accepted) == CONTACTS * REPLIES
    assert tally.probes > 0 and health["ok"] is True
    assert tally.statuses[("oversized", 413)] > 0
    assert tally.statuses[("burst", 202)] >= 1 and tally.statuses[("burst", 422)] == 1
    assert tally.statuses[("flood-login", 401)] > 0  # wrong passwords were told so
    assert all(closed), f"{closed.count(False)} slow sockets still open"
    print(f"server RSS {rss_before:.0f} MB -> {rss_after:.0f} MB; {tally.probes} probes; "
          f"{sum(tally.statuses.values())} requests: {dict(tally.statuses)}")
    assert rss_after - rss_before < RSS_GROWTH_LIMIT_MB, (rss_before, rss_after)
    assert server.process.returncode == 0
