"""The `agentdesk` argument parser: every command's options in one place.

Kept free of the commands' own modules, so parsing `agentdesk demo` loads
neither the mock server nor Textual; the handlers live beside this file, one
module per command group (agentdesk/cli/__init__.py lists them).
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

from agentdesk import __version__

# -- argument types: a bad value is an argparse usage error (exit 2, one line), not a
# traceback from deep inside the command.

def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def port_number(text: str) -> int:
    """A TCP port, 0-65535 (0: let the system pick a free one)."""
    value = _int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"{value} is not a port number (0-65535; 0 picks a free one)")
    return value


def at_least_one(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: it must be at least 1")
    return value


def not_negative(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: it must be 0 or more")
    return value


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text} must be a number greater than 0")
    return value


INTERVALS = {"15": 15, "15m": 15, "30": 30, "30m": 30, "60": 60, "60m": 60, "1h": 60}


def interval_minutes(text: str) -> int:
    """`report --interval`: 15m, 30m, 60m or 1h (minutes without a unit too)."""
    minutes = INTERVALS.get(text.strip().lower())
    if minutes is None:
        raise argparse.ArgumentTypeError(f"{text!r}: the interval is 15m, 30m or 60m")
    return minutes


def backend_name(text: str) -> str:
    """A backend name as registered (`agentdesk`, `chatwoot`, ...): checked when the
    command runs, so an unknown one is one line listing the known ones."""
    name = text.strip()
    if not name:
        raise argparse.ArgumentTypeError("the backend name is empty")
    return name


_AGE = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def since_time(text: str, now: Callable[[], float] = time.time) -> float:
    """`--since`: ISO 8601, Unix seconds or an age like 2h; ArgumentTypeError otherwise."""
    value = text.strip()
    age = _AGE.match(value.lower())
    if age:
        return now() - float(age.group(1)) * _UNITS[age.group(2)]
    try:
        return float(value)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give an ISO time (2026-03-02T09:00), Unix seconds or an age (2h)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def add_connection_args(p: argparse.ArgumentParser,
                         user_help: str = "log in as NAME (asks for the password)") -> None:
    p.add_argument("--backend", metavar="NAME", type=backend_name,
                   help="kind of backend: agentdesk (default) or chatwoot")
    p.add_argument("--server", metavar="URL", help="backend URL, e.g. http://127.0.0.1:8640")
    p.add_argument("--user", metavar="NAME", help=user_help)
    p.add_argument("--profile", metavar="NAME", help="server profile from the config file")


def _add_account_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--account", metavar="ID",
                   help="account id on backends with several (Chatwoot; default: your first)")


def _add_sim_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=7, help="simulation seed (default %(default)s)")
    p.add_argument("--speed", type=positive_number, default=1.0, metavar="FACTOR",
                   help="simulation clock factor, > 0 (default %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentdesk",
        description="A terminal agent desktop for blended contact-center agents.",
    )
    parser.add_argument("--version", action="version", version=f"agentdesk {__version__}")
    parser.add_argument("--debug", action="store_true", help="verbose debug log")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    desk = sub.add_parser("desk", help="the agent desk against a real backend (default)")
    add_connection_args(desk)
    _add_account_arg(desk)

    demo = sub.add_parser("demo", help="start a simulated contact center and open the desk")
    demo.add_argument("--agent", default="agent1", help="demo agent to log in as")
    demo.add_argument("--supervisor", action="store_true", help="open the monitor as supervisor")
    demo.add_argument("--fresh", action="store_true",
                      help="start the demo world afresh (forget its interactions and drafts)")
    demo.add_argument("--agents", type=at_least_one, default=12, metavar="N",
                      help="agents on the simulated floor, at least 1 (default %(default)s)")
    _add_sim_args(demo)

    monitor = sub.add_parser("monitor", help="supervisor monitor (read-only)")
    add_connection_args(monitor)
    _add_account_arg(monitor)
    monitor.add_argument("--wall", action="store_true",
                         help="open on the wall layout: huge figures per queue (w toggles)")

    report = sub.add_parser("report", help="today's interval report (supervisors)")
    add_connection_args(report)
    report.add_argument("--interval", type=interval_minutes, default=15, metavar="15m|30m|60m",
                        help="interval length (default 15m)")
    report.add_argument("--format", choices=("csv", "json"), default="csv",
                        help="output format (default %(default)s)")

    export = sub.add_parser("export", help="interactions and their events as JSON lines")
    add_connection_args(export, "the user whose stored token (agentdesk login) is used")
    export.add_argument("--since", type=since_time, default=None, metavar="TIME",
                        help="only interactions active since TIME: ISO time, Unix seconds or "
                             "an age (30m, 2h, 7d)")
    export.add_argument("--format", choices=("jsonl",), default="jsonl",
                        help="output format (default %(default)s)")

    ms = sub.add_parser("mock-server", help="run the simulated contact center")
    ms.add_argument("--host", default="127.0.0.1", help="bind address (default %(default)s)")
    ms.add_argument("--port", type=port_number, default=8640,
                    help="port, 0-65535; 0 picks a free one (default %(default)s)")
    ms.add_argument("--agents", type=at_least_one, default=12, metavar="N",
                    help="number of agents agent1..agentN, at least 1 (default %(default)s)")
    ms.add_argument("--db", metavar="PATH", help="SQLite file: keep state across restarts")
    ms.add_argument("--scenario", metavar="TOML", help="scenario config file")
    ms.add_argument("--capacity", metavar="SPEC",
                    help="per-agent capacity over the scenario's, e.g. chat=20@5,total=100 "
                         "(CHANNEL=LIMIT[@COST units])")
    ms.add_argument("--calling-window", metavar="HH:MM-HH:MM",
                    help="customers' local hours for outbound calls and callbacks, over the "
                         "scenario's (default 08:00-21:00)")
    ms.add_argument("--bots", type=not_negative, default=None, metavar="N",
                    help="how many agents the simulation works itself (default: all but agent1)")
    ms.add_argument("--no-traffic", action="store_true", help="no automatic arrivals")
    ms.add_argument("--no-sim", action="store_true", help="disable the /sim control endpoints")
    ms.add_argument("--rate-limit", type=float, default=50.0, metavar="RPS",
                    help="requests/s per token, burst 4x; 0: off (default %(default)s)")
    ms.add_argument("--manual-clock", action="store_true",
                    help="time only moves through POST /sim/clock (tests)")
    ms.add_argument("--token-ttl", type=positive_number, default=12 * 3600.0, metavar="SECONDS",
                    help="lifetime of a login token, wall time (default 43200: 12 hours)")
    ms.add_argument("--exit-with-parent", type=int, metavar="PID",
                    help="stop when process PID (the one that started the server) is gone")
    _add_sim_args(ms)

    kb = sub.add_parser("kb", help="knowledge base: import and search")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND")
    imp = kb_sub.add_parser("import", help="import a folder of Markdown/HTML articles")
    imp.add_argument("dir")
    search = kb_sub.add_parser("search", help="search the knowledge base")
    search.add_argument("query", help="the query, or - to read one query per line from stdin")
    search.add_argument("--kb", metavar="DIR", help="index and search this folder instead")
    search.add_argument("--json", action="store_true", help="JSON output")
    search.add_argument("-n", type=at_least_one, default=5, metavar="N",
                        help="number of results, at least 1 (default %(default)s)")
    kb_sub.add_parser("rebuild", help="rebuild the local index")

    login = sub.add_parser("login", help="log in and keep the token (OS keyring, or the opt-in private file)")
    add_connection_args(login)
    login.add_argument("--token", action="store_true",
                       help="paste a user access token instead of a password (backends that "
                            "have them, e.g. chatwoot); read from stdin when it is not a terminal")
    login.add_argument("--token-file", action="store_true",
                       help="without a usable keyring: keep the token in a private 0600 file")
    login.add_argument("--print-token", action="store_true",
                       help="print the token once on stdout (to pass as AGENTDESK_TOKEN)")
    logout = sub.add_parser("logout", help="revoke the token on the server and forget it")
    add_connection_args(logout, user_help="forget the token of NAME")

    serve = sub.add_parser("serve", help="run the desk in a web browser (textual-serve)")
    serve.add_argument("--host", default="localhost", help="bind address (default localhost)")
    serve.add_argument("--port", type=port_number, default=8000, help="port (default %(default)s)")
    serve.add_argument("--demo", action="store_true", help="serve the demo instead of the desk")
    serve.add_argument("--agent", default="agent1", help="demo agent (with --demo)")
    serve.add_argument("--server", metavar="URL", help="backend URL")
    serve.add_argument("--profile", metavar="NAME", help="server profile from the config file")
    serve.add_argument("--monitor", action="store_true",
                       help="serve the supervisor monitor (with --demo: the demo's)")
    serve.add_argument("--wall", action="store_true", help="the monitor on its wall layout")

    config = sub.add_parser("config", help="show the configuration")
    config_sub = config.add_subparsers(dest="config_command", metavar="CONFIG_COMMAND")
    config.set_defaults(config_help=config.format_help)  # bare `agentdesk config` shows it
    config_sub.add_parser("path", help="print the config file path")
    config_sub.add_parser("show", help="print the effective settings (no secrets are stored there)")
    return parser
