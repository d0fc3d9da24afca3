"""`agentdesk desk` and `agentdesk monitor` against a real server.

The server comes from `--server`, `--profile` or the config's default
profile; the token from `AGENTDESK_TOKEN`, the OS keyring (`agentdesk login`)
or a password prompt for `--user`. A user of the other role (an agent's token
for the monitor, a supervisor's for the desk) is refused before the UI opens,
with exit code 2 (agentdesk/cli/connection.py). The apps themselves are built
in agentdesk/ui/launch.py.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from agentdesk.backend_choice import NATIVE
from agentdesk.cli.connection import choose, connect

if TYPE_CHECKING:
    from agentdesk.config import LoadedSettings


def timezone_of(loaded: LoadedSettings) -> Any:
    """`ui.timezone` as a tzinfo (None: local time). An unknown name is added to
    `loaded.problems`: call this before reporting them or handing them to an app."""
    name = loaded.settings.ui.timezone
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        loaded.problems.append(f"{loaded.path}: ui.timezone: unknown timezone {name!r} (using local time)")
        return None


def report_problems(loaded: LoadedSettings) -> None:
    for problem in loaded.problems:
        print(f"agentdesk: {problem}", file=sys.stderr)


def run_desk(args: argparse.Namespace) -> int:
    from agentdesk.config import load_settings
    from agentdesk.ui.launch import run_desk_app

    choice = choose(args, "desk")
    if choice is None:
        return 2
    loaded = load_settings()
    tz = timezone_of(loaded)
    report_problems(loaded)
    connected = connect(args, "desk", None, choice)
    if isinstance(connected, int):
        return connected
    url, user, token = connected
    return run_desk_app(url, user, token, loaded, tz, choice=choice)


def run_monitor(args: argparse.Namespace) -> int:
    from agentdesk.config import load_settings
    from agentdesk.ui.launch import run_monitor_app

    choice = choose(args, "monitor")
    if choice is None:
        return 2
    loaded = load_settings()
    tz = timezone_of(loaded)
    report_problems(loaded)  # also shown in the monitor (toasts): this copy outlives the UI
    secrets: dict[str, str] = {}
    # agentdesk/1's supervisor is called "supervisor"; other backends name no one.
    default_user = "supervisor" if choice.name == NATIVE.name else None
    connected = connect(args, "monitor", default_user, choice, secrets)
    if isinstance(connected, int):
        return connected
    url, user, token = connected
    return run_monitor_app(url, token, loaded, tz, user, choice, secrets.get("password"),
                            wall=bool(getattr(args, "wall", False)))
