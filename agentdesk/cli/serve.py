"""`agentdesk serve`: the desk, the monitor (`--monitor`) or the demo of either in
a web browser via textual-serve.

textual-serve has no authentication of its own: against a server, every
browser session gets a sign-in screen and works as whoever signs in there
(agentdesk/ui/web), never with the serving account's token; `--demo` gives
every browser a demo desk. It binds to localhost by default and warns loudly
when told otherwise.
"""

from __future__ import annotations

import argparse
import shlex
import sys

LOOPBACK = {"localhost", "127.0.0.1", "::1"}

WARNING = """\
!!! agentdesk serve is bound to {host}, not to localhost.
!!! textual-serve has no login of its own: anyone who can reach http://{host}:{port}
!!! gets {what}, and what they type travels unencrypted. Use an ssh tunnel
!!! instead (ssh -L {port}:localhost:{port} ...) unless this network is yours alone.
"""


def app_command(args: argparse.Namespace, server: str | None = None) -> str:
    """The command each browser session runs (one app process per connection).
    The desk against a server: each session signs in as the person at that
    browser (agentdesk/ui/web), never with the serving account's token. The
    monitor is read-only by protocol and is the wall-screen case (a browser on
    the supervisor's own machine), so it runs with the serving supervisor's
    credentials, like `agentdesk monitor` does (docs/security.md)."""
    parts = [sys.executable, "-m", "agentdesk"]
    monitor = bool(getattr(args, "monitor", False))
    if args.demo:
        parts += ["demo", "--supervisor"] if monitor else ["demo", "--agent", args.agent]
        return shlex.join(parts)
    if not monitor:
        return shlex.join([sys.executable, "-m", "agentdesk.ui.web",
                           "--server", server or args.server or ""])
    parts += ["monitor"]
    if server or args.server:
        parts += ["--server", server or args.server]
    if getattr(args, "profile", None):
        parts += ["--profile", args.profile]
    if getattr(args, "wall", False):
        parts += ["--wall"]
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("agentdesk serve needs textual-serve: pip install textual-serve", file=sys.stderr)
        return 2
    if args.host not in LOOPBACK:
        if getattr(args, "monitor", False):
            what = "the read-only supervisor monitor with your credentials"
        else:
            what = "a sign-in screen (or, with --demo, a demo desk)"
        print(WARNING.format(host=args.host, port=args.port, what=what), file=sys.stderr)
    problem = _port_problem(args.host, args.port)
    if problem:
        print(f"agentdesk serve: {problem}", file=sys.stderr)
        return 2
    server = None
    if not args.demo:
        from agentdesk.cli.connection import resolve_server

        server, _user = resolve_server(args)
        if not server:
            if not getattr(args, "profile_error", False):
                print("agentdesk serve: name the server with --server URL or --profile NAME "
                      "(or serve the demo with --demo)", file=sys.stderr)
            return 2
    command = app_command(args, server)
    print(f"Serving `{command}` at http://{args.host}:{args.port}", file=sys.stderr)
    title = "agentdesk monitor" if getattr(args, "monitor", False) else "agentdesk"
    try:
        Server(command, host=args.host, port=args.port, title=title).serve()
    except OSError as exc:  # lost a race for the port, or the address went away
        print(f"agentdesk serve: cannot listen on {args.host}:{args.port}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _port_problem(host: str, port: int) -> str | None:
    """Why `host`:`port` cannot be listened on (checked before textual-serve starts,
    so the answer is one line, not an asyncio traceback)."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot listen on {host!r}: unknown address ({exc})"
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return (f"port {port} is in use on {host} (another server is listening; "
                            "stop it or pick another port with --port)")
                return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None
