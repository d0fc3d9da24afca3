"""The mock server in a background thread of this process, on a free loopback
port: the floor of `agentdesk demo --supervisor` (the desk's demo runs it as a
child process instead), the screenshot scenes and the tests
(agentdesk/testing/mockserver.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from agentdesk.mockserver.server import MockServer, ServerOptions

START_TIMEOUT_S = 20.0


@dataclass
class ServerHandle:
    url: str
    server: MockServer  # the live state: read it only between requests (it is not locked)
    _stop: Any = field(repr=False, default=None)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None


def _options(**options: Any) -> ServerOptions:
    names = set(ServerOptions.__dataclass_fields__)
    unknown = set(options) - names
    if unknown:
        raise TypeError(f"unknown server options: {sorted(unknown)}")
    if options.get("db") is not None:
        options["db"] = str(options["db"])
    if options.get("scenario") is not None:
        options["scenario"] = str(options["scenario"])
    return ServerOptions(**options)


@contextlib.contextmanager
def running_server(**options: Any) -> Iterator[ServerHandle]:
    """The app on 127.0.0.1, port 0, served by uvicorn in a thread with its own loop.
    Options mirror the CLI: seed, speed, agents, bots, traffic, sim, manual_clock,
    db, scenario (and kb_dir, replay_limit); `rate_limit` requests/s per token
    (None: the default, 0: off, or a `ratelimit.RateLimit` for burst and the rest)."""
    from agentdesk.mockserver.app import build_app
    from agentdesk.mockserver.serving import bound_port, make_uvicorn

    rate_limit = options.pop("rate_limit", None)
    port = int(options.pop("port", 0))  # 0: any free port
    opts = _options(**options)
    opts.host = "127.0.0.1"
    state = MockServer(opts)
    server = make_uvicorn(build_app(server=state, rate_limit=rate_limit), "127.0.0.1", port)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            asyncio.run(server.serve())
        except BaseException as exc:  # reported to the waiting test below
            failure.append(exc)

    thread = threading.Thread(target=serve, name="agentdesk-mock-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if failure or not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"mock server did not start: {failure[:1]}")
        time.sleep(0.005)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=15)

    handle = ServerHandle(f"http://127.0.0.1:{bound_port(server)}", state, stop)
    try:
        yield handle
    finally:
        handle.stop()
