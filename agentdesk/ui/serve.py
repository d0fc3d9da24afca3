"""`agentdesk serve`: the desk, the monitor (`--monitor`) or the demo of either in
a web browser via textual-serve.

textual-serve has no authentication of its own, and every browser that can
reach the port gets a desk logged in with the configured credentials, so it
binds to localhost by default and warns loudly when told otherwise.
"""

from __future__ import annotations

import argparse
import shlex
import sys

LOOPBACK = {"localhost", "127.0.0.1", "::1"}

WARNING = """\
!!! agentdesk serve is bound to {host}, not to localhost.
!!! textual-serve has no login of its own: anyone who can reach http://{host}:{port}
!!! gets a working {what} with your credentials. Use an ssh tunnel instead
!!! (ssh -L {port}:localhost:{port} ...) unless this network is yours alone.
"""


def app_command(args: argparse.Namespace) -> str:
    """The command each browser session runs (one app process per connection)."""
    parts = [sys.executable, "-m", "agentdesk"]
    monitor = bool(getattr(args, "monitor", False))
    if args.demo:
        parts += ["demo", "--supervisor"] if monitor else ["demo", "--agent", args.agent]
    else:
        parts += ["monitor" if monitor else "desk"]
        if args.server:
            parts += ["--server", args.server]
        if args.profile:
            parts += ["--profile", args.profile]
        if monitor and getattr(args, "wall", False):
            parts += ["--wall"]
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("agentdesk serve needs textual-serve: pip install textual-serve", file=sys.stderr)
        return 2
    if args.host not in LOOPBACK:
        what = "supervisor monitor" if getattr(args, "monitor", False) else "agent desk"
        print(WARNING.format(host=args.host, port=args.port, what=what), file=sys.stderr)
    command = app_command(args)
    print(f"Serving `{command}` at http://{args.host}:{args.port}", file=sys.stderr)
    title = "agentdesk monitor" if getattr(args, "monitor", False) else "agentdesk"
    Server(command, host=args.host, port=args.port, title=title).serve()
    return 0
