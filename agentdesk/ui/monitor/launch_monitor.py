"""Entry points the launcher wires: `agentdesk monitor` and `agentdesk demo --supervisor`.

    backend = NativeBackend(url); await backend.login("supervisor", "demo")
    app = make_monitor_app(backend)          # or run_monitor_with(backend) -> exit code
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import tzinfo

from agentdesk.backends.base import Backend
from agentdesk.ui.monitor.monitor_app import MonitorApp


def make_monitor_app(backend: Backend, *, clock: Callable[[], float] = time.time,
                     tz: tzinfo | None = None, theme: str | None = None) -> MonitorApp:
    """The monitor for a backend already signed in as a supervisor.

    `clock` is the floor clock (Unix seconds); time in state and waits are
    measured against it. With the default, a backend that knows the server's
    clock (`server_now()`, e.g. NativeBackend) is used instead, so a demo
    server running at another speed still shows the right durations."""
    if clock is time.time and callable(getattr(backend, "server_now", None)):
        clock = backend.server_now  # type: ignore[attr-defined]
    return MonitorApp(backend, clock=clock, tz=tz, theme=theme)


def run_monitor_with(backend: Backend) -> int:
    """Run the monitor in the terminal until the supervisor quits; closes the
    backend afterwards. Returns the exit code."""
    app = make_monitor_app(backend)
    result = app.run()
    try:
        asyncio.run(backend.close())
    except Exception:  # noqa: BLE001 - closing a dead connection is not an error
        pass
    return int(result or 0)
