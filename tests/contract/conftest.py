"""Prism serving Chatwoot's own OpenAPI spec, for contract tests of the adapter.

`prism mock` validates every request against `../shared/chatwoot/application_swagger.json`
(read in place: the spec is never copied into this repository) and answers
with the spec's examples. A request Prism rejects (400/401/404/405/422, or a
`sl-violations` header of severity Error) fails the test that made it.

Skips, with the reason, when the spec, node or the Prism binary is missing
(`make test` installs Prism into .cache/npm when npm exists).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from agentdesk.backends.http_wire import ConnectionPool, WireRequest, WireResponse

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "chatwoot" / "application_swagger.json"
PRISM_LOCAL = ROOT / ".cache" / "npm" / "node_modules" / ".bin" / "prism"
START_TIMEOUT_S = 90.0  # prism parses a 300 KB spec; generous on a loaded 2-core machine


def _prism_binary() -> str | None:
    """$PRISM, else the Makefile's install in .cache/npm, else `prism` on PATH."""
    for candidate in (os.environ.get("PRISM"), str(PRISM_LOCAL), shutil.which("prism")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Prism:
    url: str
    log_path: str


def _absent(reason: str) -> None:
    """Skip on a user's machine; in CI (CI=true), which has everything, fail."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason}; CI must run the Chatwoot contract tests")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def prism() -> Iterator[Prism]:
    if not SPEC.exists():
        _absent(f"Chatwoot's OpenAPI spec is not at {SPEC} (a clone without ../shared)")
    if shutil.which("node") is None:
        _absent("node is not installed: Prism cannot run")
    binary = _prism_binary()
    if binary is None:
        _absent("Prism is not installed (make prism, or npm i -g @stoplight/prism-cli)")
        return
    port = _free_port()
    log_fd, log_path = tempfile.mkstemp(prefix="prism-", suffix=".log")
    try:
        proc = subprocess.Popen([binary, "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)],
                                stdout=log_fd, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    finally:
        os.close(log_fd)  # the child has its own copy
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prism exited ({proc.returncode}): "
                                   f"{Path(log_path).read_text(errors='replace')[-2000:]}")
            try:
                httpx.get(f"{url}/api/v1/profile", timeout=2.0)
                break  # any HTTP answer (401 here) means it is serving
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("prism did not answer within "
                                       f"{START_TIMEOUT_S:g}s") from None
                time.sleep(0.2)
        yield Prism(url, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.unlink(log_path)


@dataclass
class Call:
    method: str
    path: str
    query: str
    body: bytes
    status: int
    violations: list[dict]


@dataclass
class Recorder:
    """The client's real HTTP wire, recording what Prism said about every request."""

    calls: list[Call] = field(default_factory=list)
    inner: ConnectionPool = field(default_factory=ConnectionPool)

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        response = await self.inner.send(request, timeout=timeout, max_body=max_body)
        try:
            violations = json.loads(response.header("sl-violations") or "[]")
        except ValueError:
            violations = [{"severity": "Error", "message": "unreadable sl-violations"}]
        self.calls.append(Call(request.method, request.path, urlsplit(request.url).query,
                               request.body, response.status, violations))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def rejected(self) -> list[str]:
        """Every request Prism refused or flagged, one line each."""
        bad = []
        for c in self.calls:
            errors = [v.get("message", "?") for v in c.violations
                      if v.get("severity") == "Error"]
            if c.status >= 400 or errors:
                bad.append(f"{c.method} {c.path}?{c.query} -> {c.status} {errors} "
                           f"body={c.body[:200]!r}")
        return bad

    def made(self) -> set[tuple[str, str]]:
        """(method, path with ids as {id}) of every request."""
        out = set()
        for c in self.calls:
            parts = ["{id}" if p.isdigit() else p for p in c.path.split("/")]
            out.add((c.method, "/".join(parts)))
        return out
