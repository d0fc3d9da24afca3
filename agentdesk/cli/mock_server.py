"""`agentdesk mock-server`: run the simulated contact center (its options:
agentdesk/cli/parser.py; the serving: agentdesk/mockserver/serving.py)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sqlite3
import sys

from agentdesk.mockserver.server import ServerOptions
from agentdesk.mockserver.serving import ListenError, listen_sockets, serve


def options_from_args(args: argparse.Namespace) -> ServerOptions:
    return ServerOptions(
        seed=args.seed, speed=args.speed, agents=max(1, args.agents), bots=args.bots,
        traffic=not args.no_traffic, sim=not args.no_sim, manual_clock=args.manual_clock,
        db=args.db, scenario=args.scenario, host=args.host,
        token_ttl_s=getattr(args, "token_ttl", None) or 12 * 3600.0,
        capacity=getattr(args, "capacity", None),
        calling_window=getattr(args, "calling_window", None))


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
        return asyncio.run(serve(options, rate_limit, getattr(args, "exit_with_parent", None),
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
