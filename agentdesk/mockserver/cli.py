"""`agentdesk mock-server`: run the simulated contact center.

Prints exactly one line to stdout, the base URL with the real bound port, once
the server accepts connections; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import sqlite3
import sys
import threading
from collections.abc import Iterator

import uvicorn

from agentdesk.mockserver.app import build_app
from agentdesk.mockserver.routes_sim import is_loopback
from agentdesk.mockserver.server import MockServer, ServerOptions

log = logging.getLogger("agentdesk.mockserver")


def options_from_args(args: argparse.Namespace) -> ServerOptions:
    return ServerOptions(
        seed=args.seed, speed=args.speed, agents=max(1, args.agents), bots=args.bots,
        traffic=not args.no_traffic, sim=not args.no_sim, manual_clock=args.manual_clock,
        db=args.db, scenario=args.scenario, host=args.host,
        token_ttl_s=getattr(args, "token_ttl", None) or 12 * 3600.0,
        capacity=getattr(args, "capacity", None),
        calling_window=getattr(args, "calling_window", None))


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGINT/SIGTERM after its graceful shutdown, which turns a
    clean stop into exit status -15; we stop cleanly and exit 0 instead."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        signals = (signal.SIGINT, signal.SIGTERM)
        originals = {sig: signal.signal(sig, self.handle_exit) for sig in signals}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)


def make_uvicorn(app, host: str, port: int) -> uvicorn.Server:
    ws = os.environ.get("AGENTDESK_MOCK_WS", "websockets-sansio")  # the fastest here (bench)
    from agentdesk.mockserver.slow_clients import HeaderDeadlineProtocol

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=3, ws_max_size=1 << 20,
                            ws=ws, http=HeaderDeadlineProtocol)
    return _Server(config)


class ListenError(Exception):
    """The server cannot listen where asked (port in use, bad address): a message
    for the user, not a traceback."""


def listen_sockets(host: str, port: int) -> list[socket.socket]:
    """Bind the listening sockets for `host`:`port` (every address the host name
    resolves to, as asyncio's create_server does), before anything else starts:
    a port in use is reported at once, and before the database is opened."""
    if not 0 <= port <= 65535:
        raise ListenError(f"{port} is not a port number (0-65535; 0 picks a free one)")
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise ListenError(f"cannot listen on {host!r}: unknown address ({exc})") from None
    sockets: list[socket.socket] = []
    seen: set[tuple[object, ...]] = set()
    try:
        for family, kind, proto, _, address in infos:
            if (family, address) in seen:
                continue
            seen.add((family, address))
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if os.name == "posix":  # as asyncio: rebinding after a restart (TIME_WAIT)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and sockets[1:]:  # one free port for every address of the host
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            sock.bind(address)
            sock.setblocking(False)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        where = url_for(host, port).removeprefix("http://")
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(
                f"port {port} is in use (another server is listening on {where}; stop it, "
                "or pick another port with --port, 0 picks a free one)") from None
        raise ListenError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    return sockets


def bound_port(server: uvicorn.Server) -> int:
    return int(server.servers[0].sockets[0].getsockname()[1])


def _banner(server: MockServer, url: str) -> str:
    o = server.options
    bots = server.sim.options.bot_count
    humans = [a.id for a in server.sim.agents.values() if not a.bot]
    lines = [
        f"agentdesk mock server (Brightline) at {url}",
        f"  demo users: agent1..agent{o.agents} and supervisor, password 'demo'",
        f"  human-controlled agents: {', '.join(humans) or 'none'}; simulated: {bots}",
        f"  clock: {'manual (POST /sim/clock)' if o.manual_clock else f'real x{o.speed}'}, "
        f"seed {o.seed}, traffic {'on' if o.traffic else 'off'}, "
        f"/sim {'on' if o.sim else 'off'}, db {o.db or 'none (in memory)'}",
        f"  protocol: {url}/openapi.json   events: {url.replace('http', 'ws', 1)}/v1/events",
    ]
    return "\n".join(lines)


async def _serve(options: ServerOptions, rate_limit: float | None = None,
                 parent_pid: int | None = None,
                 sockets: list[socket.socket] | None = None) -> int:
    state = MockServer(options)
    server = make_uvicorn(build_app(server=state, rate_limit=rate_limit), options.host,
                          options.port_hint)
    task = asyncio.create_task(server.serve(sockets=sockets))
    # Held here: the loop keeps only weak references to tasks.
    watcher = asyncio.create_task(_exit_with_parent(server, parent_pid)) if parent_pid else None
    while not server.started:
        if task.done():
            try:
                await task
            except SystemExit:  # uvicorn's start-up failure; it has logged why
                pass
            if watcher is not None:
                watcher.cancel()
            print("agentdesk mock-server: the server did not start (see above)",
                  file=sys.stderr, flush=True)
            return 1
        await asyncio.sleep(0.01)
    url = url_for(options.host, bound_port(server))
    print(url, flush=True)
    print(_banner(state, url), file=sys.stderr, flush=True)
    if not is_loopback(options.host):
        print("WARNING: bound to a non-loopback address: anyone who can reach this host can "
              "log in with the demo passwords" + (" and drive /sim (token required)"
                                                  if options.sim else ""),
              file=sys.stderr, flush=True)
    await task
    if watcher is not None:
        watcher.cancel()
    return 0


async def _exit_with_parent(server: uvicorn.Server, parent_pid: int) -> None:
    """Stop when the process that started us is gone (`agentdesk demo`, even if
    it was killed): we are re-parented, so our parent pid changes."""
    while os.getppid() == parent_pid:
        await asyncio.sleep(0.5)
    log.warning("parent process %d is gone: stopping", parent_pid)
    server.should_exit = True


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.DEBUG if getattr(args, "debug", False) else logging.INFO,
                        stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sockets: list[socket.socket] = []
    try:
        options = options_from_args(args)
        options.port_hint = args.port
        rate_limit = getattr(args, "rate_limit", None)  # requests/s per token; 0: off
        if rate_limit is not None and not 0 <= rate_limit < float("inf"):
            raise ValueError("--rate-limit must be a number >= 0 (0 turns it off)")
        # Listen first: a port in use is reported before the database is opened.
        sockets = listen_sockets(options.host, args.port)
        return asyncio.run(_serve(options, rate_limit, getattr(args, "exit_with_parent", None),
                                  sockets))
    except (ValueError, ListenError) as exc:
        for line in str(exc).splitlines():  # a scenario file: one line per problem
            print(f"agentdesk mock-server: {line}", file=sys.stderr)
        return 2
    except (sqlite3.Error, OSError) as exc:  # --db: a folder that does not exist, no rights
        print(f"agentdesk mock-server: cannot use the database {args.db}: {exc}"
              if args.db else f"agentdesk mock-server: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        for sock in sockets:
            sock.close()
