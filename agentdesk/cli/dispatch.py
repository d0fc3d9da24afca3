"""The `agentdesk` command: parse, pick the handler, turn a failure into one line.

Subcommands dispatch lazily so that, for example, `agentdesk mock-server`
never imports Textual."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable

from agentdesk.cli.lean_imports import defer_httpx_cli
from agentdesk.cli.parser import build_parser

# subcommand -> "module:function"; each function takes the parsed namespace and
# returns an exit code.
HANDLERS: dict[str, str] = {
    "desk": "agentdesk.cli.desk:run_desk",
    "demo": "agentdesk.cli.demo:run_demo",
    "monitor": "agentdesk.cli.desk:run_monitor",
    "mock-server": "agentdesk.cli.mock_server:run",
    "kb": "agentdesk.cli.kb:run",
    "login": "agentdesk.cli.credentials:run_login",
    "logout": "agentdesk.cli.credentials:run_logout",
    "config": "agentdesk.cli.config_cmd:run_config",
    "serve": "agentdesk.cli.serve:run",
    "report": "agentdesk.cli.report:run_report",
    "export": "agentdesk.cli.export:run_export",
}


def _resolve(target: str) -> Callable[[argparse.Namespace], int]:
    module, func = target.split(":")
    handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), func)
    return handler


# Commands whose app turns the cyclic GC back on after its first frame
# (AgentDeskApp); see `main`.
_GC_AFTER_FIRST_FRAME = frozenset({"desk", "demo"})


def main(argv: list[str] | None = None) -> int:
    # Start-up time: no cyclic GC passes while ~700 modules load (about a tenth
    # of the desk's time to its first frame, docs/benchmarks.md); pydantic's
    # plugin discovery (an entry-point scan) is not used by agentdesk, nor is
    # httpx's command-line client (cli/lean_imports.py).
    gc.disable()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    defer_httpx_cli()
    try:
        return _main(argv)
    finally:
        gc.enable()  # whatever happened before the app's first frame


_GLOBAL_FLAGS = frozenset({"--debug"})
_TOP_LEVEL_ONLY = frozenset({"-h", "--help", "--version"})


def with_default_command(argv: list[str]) -> list[str]:
    """Plain `agentdesk` is the desk: `agentdesk --server URL` means
    `agentdesk desk --server URL` (the desk's options without the subcommand)."""
    for index, token in enumerate(argv):
        if token in _GLOBAL_FLAGS:
            continue
        if token in HANDLERS or token in _TOP_LEVEL_ONLY:
            return argv
        return [*argv[:index], "desk", *argv[index:]]
    return argv


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    argv = with_default_command(list(argv if argv is not None else sys.argv[1:]))
    args = parser.parse_args(argv)
    command = args.command or "desk"
    if command not in _GC_AFTER_FIRST_FRAME:
        gc.enable()
    if command == "desk" and args.command is None:
        args = parser.parse_args([*argv, "desk"])
    from agentdesk.extras import missing_extra

    problem = missing_extra(command, demo=bool(getattr(args, "demo", False)))
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        handler = _resolve(HANDLERS[command])
    except (ImportError, AttributeError) as exc:
        print(f"agentdesk {command}: not available in this build ({exc})", file=sys.stderr)
        return 2
    if command in ("desk", "demo", "monitor", "login", "logout"):
        from agentdesk.logging_setup import setup_logging

        setup_logging(debug=args.debug)
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        text = str(exc).strip().splitlines()
        print(f"agentdesk {command}: {type(exc).__name__}: {text[0] if text else 'failed'} "
              "(--debug shows where)", file=sys.stderr)
        return 1
