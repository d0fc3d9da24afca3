"""Entry points the launcher wires: `agentdesk monitor` and `agentdesk demo --supervisor`.

    backend = NativeBackend(url); await backend.login("supervisor", "demo")
    app = make_monitor_app(backend)          # or run_monitor_with(backend) -> exit code
    app = make_monitor_app(backend, keymap=settings.keymap)   # the user's [keymap]
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import Backend
from agentdesk.ui.monitor.monitor_app import MonitorApp

if TYPE_CHECKING:
    from agentdesk.domain.alerts import AlertRules


def make_monitor_app(backend: Backend, *, clock: Callable[[], float] = time.time,
                     tz: tzinfo | None = None, theme: str | None = None,
                     keymap: Mapping[str, str] | None = None,
                     alert_rules: AlertRules | None = None) -> MonitorApp:
    """The monitor for a backend already signed in as a supervisor.

    `clock` is the floor clock (Unix seconds); time in state and waits are
    measured against it. With the default, a backend that knows the server's
    clock (`server_now()`, e.g. NativeBackend) is used instead, so a demo
    server running at another speed still shows the right durations.

    `keymap` is the user's `[keymap]` table (binding id -> "key1,key2"; the
    monitor's ids are in docs/monitor.md). It is checked against the
    monitor's bindings: the good entries are applied, each bad one (unknown
    id, no keys, a key Textual does not know) is left out and reported in a
    notification when the monitor starts; the desk's ids (the table is
    shared) are skipped."""
    if clock is time.time and callable(getattr(backend, "server_now", None)):
        clock = backend.server_now  # type: ignore[attr-defined]
    app = MonitorApp(backend, clock=clock, tz=tz, theme=theme, alert_rules=alert_rules)
    if keymap:
        apply_keymap(app, keymap)
    return app


def apply_alert_settings(app: MonitorApp, alerts: Any) -> None:
    """The config's `[monitor.alerts]` (config.MonitorAlertSettings) on the app:
    the thresholds, and whether a raised alert rings and notifies."""
    from agentdesk.domain.alerts import AlertBook, AlertRules
    from agentdesk.ui.monitor.alert_signals import AlertSignals

    app.alerts = AlertBook(AlertRules.from_settings(alerts))
    app.alert_signals = AlertSignals(app, bell=alerts.bell, desktop=alerts.desktop)


def apply_view_settings(app: MonitorApp, monitor: Any, user: str) -> None:
    """The config's teams and `[monitor.views.<user>]` (filter, columns, group) on
    the app; problems join the configuration toast."""
    from agentdesk.domain.teams import board_view
    from agentdesk.ui.monitor.agent_board import COLUMNS

    view, problems = board_view(monitor, user, [key for key, _, _ in COLUMNS])
    app.board_view = view
    app.keymap_problems.extend(problems)


def apply_keymap(app: MonitorApp, keymap: Mapping[str, str]) -> list[str]:
    """Apply the good entries of `keymap` to the monitor (before or while it
    runs) and report the bad ones once it is up; returns the problems."""
    from agentdesk.ui.keymap import check_monitor_keymap

    valid, problems = check_monitor_keymap(keymap)
    # Textual reads the keymap whenever it builds the binding chain, so it can
    # be set before the app runs (refreshing the footer is a no-op until then).
    app.set_keymap(valid)
    if problems:
        if app.is_running:
            app.report_problems(problems)
        else:  # joins the other configuration problems in the toast at mount
            app.keymap_problems.extend(problems)
    return problems


def run_monitor_with(backend: Backend, *, keymap: Mapping[str, str] | None = None) -> int:
    """Run the monitor in the terminal until the supervisor quits; closes the
    backend afterwards. Returns the exit code."""
    app = make_monitor_app(backend, keymap=keymap)
    result = app.run()
    try:
        asyncio.run(backend.close())
    except Exception:
        pass
    return int(result or 0)
