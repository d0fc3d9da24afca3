"""A mock server with agent1 holding N active chats, for the load benchmarks."""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from urllib.parse import urlparse

from agentdesk.testing.mockserver import SubprocessServer
from bench.terminal.common import start_server


class Api:
    """A tiny keep-alive JSON client (http.client: cheap, so the load generator
    costs the machine little)."""

    def __init__(self, url: str, token: str | None = None) -> None:
        self._where = urlparse(url)
        self.conn = self._connect()
        self.token = token

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self._where.hostname, self._where.port, timeout=10)

    def call(self, method: str, path: str, body: object | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        except (ConnectionError, http.client.HTTPException):
            # the server closed an idle keep-alive connection: once more, afresh
            self.conn.close()
            self.conn = self._connect()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
        payload = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload) if payload else {}

    def login(self, user: str) -> str:
        self.token = self.call("POST", "/v1/login", {"username": user, "password": "demo"})["token"]
        return self.token


def floor_with_chats(chats: int) -> tuple[SubprocessServer, str, list[dict]]:
    """A server (scripted: no arrivals, no customer autonomy, no rate limit) where
    agent1 has `chats` active chats. Returns (server, agent1's token, interactions)."""
    server = start_server("--agents", "2", "--bots", "0", "--no-traffic", "--rate-limit", "0",
                    "--seed", "7", chats=chats)
    agent = Api(server.url)
    token = agent.login("agent1")
    agent.call("PUT", "/v1/me/presence", {"presence": "available"})
    sim = Api(server.url)
    for n in range(chats):
        iid = sim.call("POST", "/sim/contacts", {"channel": "chat", "text": f"hello {n}"})[
            "interaction_id"]
        agent.call("POST", f"/v1/interactions/{iid}/accept", {"client_id": str(uuid.uuid4())})
    interactions = agent.call("GET", "/v1/interactions")["interactions"]
    return server, token, interactions


class Load:
    """Customer messages at `rate`/s in total, round-robin over the interactions, from
    `threads` keep-alive connections. Messages to `probe_id` carry a stamp
    `ZQnnnnn`; `stamps[n]` is when that POST was sent."""

    def __init__(self, url: str, ids: list[str], rate: float, probe_id: str | None,
                 threads: int = 4) -> None:
        self.url, self.ids, self.rate, self.probe_id = url, ids, rate, probe_id
        self.stamps: dict[str, float] = {}
        self.sent = 0
        self.late = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._next = 0
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def start(self) -> None:
        self.t0 = time.monotonic()
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(5)

    def _run(self) -> None:
        api = Api(self.url)
        while not self._stop.is_set():
            with self._lock:
                n = self._next
                self._next += 1
            due = self.t0 + n / self.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.05:
                self.late += 1
            iid = self.ids[n % len(self.ids)]
            if iid == self.probe_id:
                stamp = f"ZQ{n:06d}"
                text = f"{stamp} is my order still on its way?"
                self.stamps[stamp] = time.monotonic()
            else:
                text = f"message {n}: the router keeps dropping the line"
            api.call("POST", f"/sim/interactions/{iid}/customer-message", {"text": text})
            self.sent += 1
