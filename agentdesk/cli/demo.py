"""`agentdesk demo`: a simulated contact center and the desk (or, with
`--supervisor`, the monitor) signed in to it.

The desk's demo starts the mock server as a child process on a free loopback
port (bots work the other agents, so traffic is realistic), signs in as the
chosen demo agent and opens the desk; quitting stops the server. The
monitor's demo runs the server in a thread of this process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agentdesk.cli.desk import timezone_of
from agentdesk.store.demo_world import DemoWorld, claim, demo_world, forget, private_world
from agentdesk.store.paths import data_dir

if TYPE_CHECKING:
    from agentdesk.config import LoadedSettings

DEMO_PASSWORD = "demo"
DEMO_SERVER_NICENESS = 5  # the demo's server yields to the desk when cores are short


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_demo_server(args: argparse.Namespace, port: int, bots: int | None,
                      world_file: Path | None = None) -> subprocess.Popen[bytes]:
    """The mock server as a child process on `port`. The desk does not wait
    for it: it paints at once and signs in when the server answers. A process,
    not a thread: building the simulated world then runs on another core
    instead of competing with the desk's first frame for the GIL. It stops by
    itself if the desk's process dies, even by SIGKILL (`--exit-with-parent`).
    With `world_file` it keeps its state there (`--db`), so the next demo goes on
    where this one stopped."""
    command = [sys.executable, "-m", "agentdesk", "mock-server", "--port", str(port),
               "--seed", str(args.seed), "--speed", str(args.speed), "--agents", str(args.agents),
               "--exit-with-parent", str(os.getpid())]
    if bots is not None:
        command += ["--bots", str(bots)]
    if world_file is not None:
        command += ["--db", str(world_file)]
    log_path = demo_server_log()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=log)
    # The desk is the interactive process: when cores are short, it goes first.
    with contextlib.suppress(OSError, AttributeError):
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, server.pid, min(19, ours + DEMO_SERVER_NICENESS))
    return server


def demo_server_log() -> Path:
    return data_dir() / "demo-server.log"


def stop_demo_server(server: subprocess.Popen[bytes]) -> str | None:
    """Stop the child; a message if it had failed on its own, else None."""
    failed = server.poll()
    if failed is None:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        return None
    try:
        tail = demo_server_log().read_text(encoding="utf-8", errors="replace").strip().splitlines()[-5:]
    except OSError:
        tail = []
    return "\n".join([f"exit status {failed} (log: {demo_server_log()})", *tail])


def run_demo(args: argparse.Namespace) -> int:
    from agentdesk.config import load_settings
    from agentdesk.ui.launch import store_path_for

    supervisor = bool(getattr(args, "supervisor", False))
    user = "supervisor" if supervisor else getattr(args, "agent", "agent1")
    # Bots are the last agents; the demo agent is a human. For the monitor every
    # agent is a bot, so the floor works by itself.
    number = int(user[5:]) if user.startswith("agent") and user[5:].isdigit() else 1
    if supervisor:
        return _run_demo_monitor(args, load_settings())
    bots = None if number <= 1 else max(0, args.agents - number)
    loaded = load_settings()
    world = demo_world(args.seed, args.agents, bots)  # the same world as last time
    if getattr(args, "fresh", False):
        forget(world, store_path_for(world.identity, user))
    with claim(world) as ours:
        if ours:
            return _run_desk_demo(args, user, bots, world, loaded)
        world = private_world(world)
        loaded.problems.append("Another demo is running the same world: this one starts "
                               "a fresh world of its own and forgets it when you quit.")
        try:
            return _run_desk_demo(args, user, bots, world, loaded)
        finally:
            forget(world, store_path_for(world.identity, user))
            shutil.rmtree(world.world_file.parent, ignore_errors=True)


def _run_desk_demo(args: argparse.Namespace, user: str, bots: int | None, world: DemoWorld,
                   loaded: LoadedSettings) -> int:
    from agentdesk.ui.launch import run_desk_app

    port = _free_port()
    server = start_demo_server(args, port, bots, world.world_file)  # first: it starts while the desk loads
    try:
        code = run_desk_app(f"http://127.0.0.1:{port}", user, None, loaded, timezone_of(loaded),
                             sign_in=(user, DEMO_PASSWORD), demo=True, identity=world.identity)
    finally:
        failure = stop_demo_server(server)
    if failure:
        print(f"agentdesk demo: the simulated contact center failed: {failure}", file=sys.stderr)
        return 1
    return code


def _run_demo_monitor(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from agentdesk.backends.base import AgentDeskError
    from agentdesk.cli.connection import login
    from agentdesk.mockserver.in_thread import running_server
    from agentdesk.ui.launch import run_monitor_app

    tz = timezone_of(loaded)  # its problem, if any, joins the others shown in the monitor
    print("agentdesk demo: starting the simulated contact center…", file=sys.stderr)
    with running_server(seed=args.seed, speed=args.speed, agents=args.agents,
                        bots=args.agents) as server:
        try:
            token = asyncio.run(login(server.url, "supervisor", DEMO_PASSWORD))
        except AgentDeskError as exc:
            print(f"agentdesk demo: cannot sign in as supervisor: {exc.message}", file=sys.stderr)
            return 1
        return run_monitor_app(server.url, token, loaded, tz, password=DEMO_PASSWORD)
