"""The mock server for tests: in a background thread or as a subprocess, and a
small synchronous client to drive it.

    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        httpx.post(f"{srv.url}/v1/login", json={...})

    proc = spawn_server("--db", str(path), "--manual-clock")  # restart/kill tests
    ... proc.kill(); proc = spawn_server("--db", str(path), "--manual-clock")

`running_server` itself is product code (`agentdesk demo --supervisor` runs
the floor in a thread): it lives in agentdesk/mockserver/in_thread.py and is
named here so that tests take every server fixture from one place.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from typing import Any

from agentdesk.mockserver.in_thread import START_TIMEOUT_S, ServerHandle, running_server

__all__ = ["DemoClient", "ServerHandle", "SubprocessServer", "read_frames", "running_server",
           "spawn_server"]


@dataclass
class SubprocessServer:
    url: str
    process: subprocess.Popen
    log_path: str

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1)

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM (clean shutdown, db flushed), then wait."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL: no chance to flush anything."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            return fh.read()


def spawn_server(*args: str) -> SubprocessServer:
    """`python -m agentdesk mock-server --port 0 *args`; waits for its URL line."""
    # The child writes its log straight into the file; ours is closed once it started.
    log_fd, log_path = tempfile.mkstemp(prefix="agentdesk-mock-", suffix=".log")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "agentdesk", "mock-server", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=log_fd, stdin=subprocess.DEVNULL, text=True, env=env)
    finally:
        os.close(log_fd)
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()),
                              daemon=True)
    reader.start()
    reader.join(START_TIMEOUT_S)
    line = result[0].strip() if result else ""
    if not line.startswith("http://"):
        process.kill()
        process.wait()
        with open(log_path, encoding="utf-8", errors="replace") as fh:
            raise RuntimeError(f"mock server did not start: {line!r}\n{fh.read()[-3000:]}")
    return SubprocessServer(line, process, log_path)


class DemoClient:
    """A small synchronous agentdesk/1 client for tests (httpx)."""

    def __init__(self, url: str, username: str | None = None) -> None:
        import httpx

        self.url = url
        self.http = httpx.Client(base_url=url, timeout=10)
        self.token: str | None = None
        self.user_id: str | None = None
        if username:
            self.login(username)

    def login(self, username: str, password: str = "demo") -> str:
        r = self.http.post("/v1/login", json={"username": username, "password": password})
        r.raise_for_status()
        self.token = r.json()["token"]
        self.user_id = username
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        return self.token

    def events_url(self, since: int | None = None) -> str:
        ws = self.url.replace("http://", "ws://", 1)
        query = f"token={self.token}" + (f"&since={since}" if since is not None else "")
        return f"{ws}/v1/events?{query}"

    def get(self, path: str, **kw: Any):
        return self.http.get(path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any):
        return self.http.post(path, json=body, **kw) if body is not None else \
            self.http.post(path, **kw)

    def put(self, path: str, body: Any, **kw: Any):
        return self.http.put(path, json=body, **kw)

    def available(self) -> dict:
        r = self.put("/v1/me/presence", {"presence": "available"})
        r.raise_for_status()
        return r.json()["agent"]

    def contact(self, channel: str, **fields: Any) -> str:
        r = self.post("/sim/contacts", {"channel": channel, **fields})
        r.raise_for_status()
        return r.json()["interaction_id"]

    def interaction(self, interaction_id: str) -> dict:
        """Peek at any interaction on the floor, as the supervisor sees it (agents may
        read only their own, and tests need to look at queued ones too)."""
        r = self._supervisor().get(f"/v1/interactions/{interaction_id}")
        r.raise_for_status()
        return r.json()["interaction"]

    def _supervisor(self):
        if getattr(self, "_peek", None) is None:
            self._peek = DemoClient(self.url, "supervisor")
        return self._peek.http

    def act(self, interaction_id: str, command: str, body: dict | None = None):
        body = dict(body or {})
        body.setdefault("client_id", _new_client_id())
        return self.post(f"/v1/interactions/{interaction_id}/{command}", body)

    def advance(self, seconds: float) -> float:
        r = self.post("/sim/clock", {"advance_s": seconds})
        r.raise_for_status()
        return r.json()["now"]

    def close(self) -> None:
        self.http.close()


def _new_client_id() -> str:
    import uuid

    return uuid.uuid4().hex


async def read_frames(ws: Any, *, until: Any = None, timeout: float = 5.0,
                      quiet: float = 0.3) -> list[dict]:
    """Decoded frames from an open websocket: stop when `until(frames)` is true,
    after `timeout` overall, or (without `until`) after `quiet` s of silence."""
    import json

    frames: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        left = deadline - loop.time()
        if left <= 0:
            return frames
        try:
            raw = await asyncio.wait_for(ws.recv(), min(left, quiet) if until is None else left)
        except TimeoutError:
            return frames
        frames.append(json.loads(raw))
        if until is not None and until(frames):
            return frames
