"""Entry points of the desk: `agentdesk demo`, `agentdesk desk`, `agentdesk monitor`.

`run_demo` starts the simulated contact center in a background thread on a
free loopback port (`agentdesk.mockserver.testing.running_server`) (bots work the other agents, so traffic is realistic),
signs in as the chosen demo agent and opens the desk; quitting the desk stops
the server. `run_desk` connects to a real server with a token from
`AGENTDESK_TOKEN`, the OS keyring, or a password prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import hashlib
import os
import sys
from pathlib import Path

from agentdesk.backends.base import AgentDeskError
from agentdesk.backends.native import NativeBackend
from agentdesk.store.paths import data_dir

DEMO_PASSWORD = "demo"
KEYRING_SERVICE = "agentdesk"


def store_path_for(url: str, user: str) -> Path:
    """One outbox/drafts file per server and user: queued commands must never
    be replayed against another account."""
    key = hashlib.sha256(f"{url}|{user}".encode()).hexdigest()[:16]
    return data_dir() / f"desk-{key}.db"


async def _login(url: str, user: str, password: str) -> str:
    backend = NativeBackend(url)
    try:
        return await backend.login(user, password)
    finally:
        await backend.close()


def _run_app(url: str, user: str, token: str) -> int:
    from agentdesk.ui.app import make_app

    backend = NativeBackend(url, token=token)
    # KB suggestions: an in-memory index of the server's articles (built by the desk).
    app = make_app(backend, username=user, store_path=store_path_for(url, user))
    result = app.run()
    try:
        asyncio.run(backend.close())
    except Exception:  # noqa: BLE001 - closing a dead connection is not an error
        pass
    return int(result or 0)


# --- subcommands ------------------------------------------------------------------------


def run_demo(args: argparse.Namespace) -> int:
    if getattr(args, "supervisor", False):
        return run_monitor(args)
    agent = getattr(args, "agent", "agent1")
    print("agentdesk demo: starting the simulated contact center…", file=sys.stderr)
    from agentdesk.mockserver.testing import running_server

    # In-process (a uvicorn loop in a daemon thread): starts faster than a
    # subprocess; bots work every agent but agent1 (the server's default).
    number = int(agent[5:]) if agent.startswith("agent") and agent[5:].isdigit() else 1
    bots = None if number <= 1 else max(0, args.agents - number)  # bots are the last agents
    with running_server(seed=args.seed, speed=args.speed, agents=args.agents, bots=bots) as server:
        try:
            token = asyncio.run(_login(server.url, agent, DEMO_PASSWORD))
        except AgentDeskError as exc:
            print(f"agentdesk demo: cannot sign in as {agent}: {exc.message}", file=sys.stderr)
            return 1
        return _run_app(server.url, agent, token)


def _stored_token(url: str, user: str | None) -> str | None:
    token = os.environ.get("AGENTDESK_TOKEN")
    if token:
        return token
    if not user:
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, f"{url}|{user}")
    except Exception:  # noqa: BLE001 - no keyring backend is a normal situation
        return None


def run_desk(args: argparse.Namespace) -> int:
    url = getattr(args, "server", None)
    if not url:
        print("agentdesk desk: give the server with --server URL "
              "(or try `agentdesk demo`)", file=sys.stderr)
        return 2
    user = getattr(args, "user", None)
    token = _stored_token(url, user)
    if token is None:
        if not user:
            print("agentdesk desk: no token (set AGENTDESK_TOKEN or use --user NAME to sign in)",
                  file=sys.stderr)
            return 2
        try:
            password = getpass.getpass(f"Password for {user} at {url}: ")
        except (EOFError, KeyboardInterrupt):
            return 130
        try:
            token = asyncio.run(_login(url, user, password))
        except AgentDeskError as exc:
            print(f"agentdesk desk: sign-in failed: {exc.message}", file=sys.stderr)
            return 1
    return _run_app(url, user or "", token)


def run_monitor(args: argparse.Namespace) -> int:
    print("supervisor monitor: not built yet", file=sys.stderr)
    return 2
