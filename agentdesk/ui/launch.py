"""Entry points: `agentdesk demo`, `agentdesk desk`, `agentdesk monitor`.

`run_demo` starts the simulated contact center as a child process on a
free loopback port (bots work the other agents, so traffic is realistic),
signs in as the chosen demo agent (or the supervisor) and opens the desk (or
the monitor); quitting stops the server. `run_desk` and `run_monitor` connect
to a real server named by `--server`, `--profile` or the config's default
profile, with a token from `AGENTDESK_TOKEN`, the OS keyring (`agentdesk
login`), or a password prompt for `--user`; a user of the other role (an
agent's token for the monitor, a supervisor's for the desk) is refused before
the UI opens, with exit code 2.

Backends are built only through the registry (`--backend NAME`, the profile's
`backend`, default `agentdesk`): `registry.load(name).create(url, ...)`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentdesk.backend_choice import BackendChoice
from agentdesk.store.demo_world import demo_world
from agentdesk.store.paths import data_dir

if TYPE_CHECKING:
    from datetime import tzinfo

    from agentdesk.backends.base import Backend
    from agentdesk.backends.registry import BackendSpec
    from agentdesk.config import LoadedSettings
    from agentdesk.domain.models import User

# Start-up time matters (docs/benchmarks.md "## Desk"): the client stack
# (httpx, websockets) and the keyring are imported where they are first
# needed, so `agentdesk demo` paints its desk before loading them.

DEMO_PASSWORD = "demo"
DEMO_SERVER_NICENESS = 5  # the demo's server yields to the desk when cores are short
WHO_TIMEOUT_S = 3.0  # the role check before the UI: a server that does not answer is not waited for


NATIVE = BackendChoice("agentdesk")  # the demo's backend


def store_path_for(server: str, user: str, backend: str = "agentdesk") -> Path:
    """One outbox/drafts file per backend, server identity and user: queued
    commands must never be replayed against another account. A server's
    identity is its URL, except the demo's, whose port changes every start
    (store/demo_world.py). (agentdesk/1 keeps its file name of before backends
    had names, so nothing queued is orphaned by an upgrade.)"""
    import hashlib

    name = f"{server}|{user}" if backend == "agentdesk" else f"{backend}|{server}|{user}"
    key = hashlib.sha256(name.encode()).hexdigest()[:16]
    return data_dir() / f"desk-{key}.db"


def _spec(choice: BackendChoice) -> BackendSpec:
    from agentdesk.backends.registry import load

    return load(choice.name)


async def _login(url: str, user: str, password: str, choice: BackendChoice = NATIVE) -> str:
    token, _user = await _sign_in(url, user, password, choice)
    return token


async def _sign_in(url: str, user: str, password: str,
                   choice: BackendChoice = NATIVE) -> tuple[str, User | None]:
    """A token for user/password, and who it belongs to (with the role)."""
    backend = _spec(choice).create(url, options=choice.options())
    try:
        token = await backend.login(user, password)
        return token, backend.user
    finally:
        await backend.close()


async def _who(url: str, token: str, choice: BackendChoice = NATIVE) -> User | None:
    """Who a token belongs to, or None when that cannot be known now (a refused
    token, a server that does not answer): the app then shows it as it does for
    a token that stops working later."""
    from agentdesk.backends.base import AgentDeskError

    backend = _spec(choice).create(url, token=token, options=choice.options(
        timeout_s=WHO_TIMEOUT_S, retry_attempts=1))
    try:
        user, _agent = await backend.me()
        return user
    except AgentDeskError:
        return None
    finally:
        await backend.close()


def wrong_role(user: User, command: str) -> str | None:
    """The one-line refusal when `user` cannot use `command` ("desk" or "monitor")."""
    role = str(getattr(user.role, "value", user.role))
    if command == "monitor" and role != "supervisor":
        return f"{user.id} is an agent, not a supervisor: use `agentdesk desk`"
    if command == "desk" and role == "supervisor":
        return f"{user.id} is a supervisor, not an agent: use `agentdesk monitor`"
    return None


def _timezone(loaded: LoadedSettings) -> Any:
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


def _persist_theme(loaded: LoadedSettings):
    def save(name: str) -> None:
        from agentdesk.config import save_setting

        try:
            save_setting("ui", "theme", name, loaded.path)
        except (OSError, ValueError):
            pass  # an unwritable config must not break a theme switch

    return save


def _persist_sort(loaded: LoadedSettings):
    def save(by_urgency: bool) -> None:
        from agentdesk.config import save_setting

        try:
            save_setting("ui", "sort_tabs_by_urgency", by_urgency, loaded.path)
        except (OSError, ValueError):
            pass  # an unwritable config must not break the tab sort

    return save


def _close(backend: Backend | None) -> None:
    if backend is None:  # never built: the desk quit before it connected
        return
    try:
        asyncio.run(backend.close())
    except Exception:
        pass


def _run_desk_app(url: str, user: str, token: str | None, loaded: LoadedSettings,
                  tz: tzinfo | None, sign_in: tuple[str, str] | None = None,
                  choice: BackendChoice = NATIVE, demo: bool = False,
                  identity: str | None = None) -> int:
    from agentdesk.ui.app import make_app
    from agentdesk.ui.keymap import check_desk_keymap

    settings = loaded.settings
    # Bad [keymap] entries are dropped (the default keys stay) and reported
    # with the config's other problems.
    keymap, keymap_problems = check_desk_keymap(settings.keymap)
    built: list[Backend] = []

    def backend() -> Backend:
        # Called by the app after its first frame (see AgentDeskApp.backend): the
        # registry and the adapter's imports stay off the start-up path.
        built.append(_spec(choice).create(url, token=token, options=choice.options()))
        return built[0]

    app = make_app(
        backend,
        sign_in=sign_in,
        username=user,
        store_path=store_path_for(identity or url, user, choice.name),
        keymap=keymap,
        notifications=settings.notifications.as_options(),
        theme=settings.ui.theme,
        sort_by_urgency=settings.ui.sort_tabs_by_urgency,
        tz=tz,
        startup_problems=[*loaded.problems, *keymap_problems],
        on_theme_change=_persist_theme(loaded),
        demo=demo,
        on_sort_change=_persist_sort(loaded),
    )
    result = app.run()
    _close(built[0] if built else None)
    return int(result or 0)


def _run_monitor_app(url: str, token: str, loaded: LoadedSettings, tz: tzinfo | None,
                     user: str = "supervisor", choice: BackendChoice = NATIVE,
                     password: str | None = None, wall: bool = False) -> int:
    from agentdesk.credentials import load_token
    from agentdesk.ui.monitor.launch_monitor import (
        apply_alert_settings,
        apply_view_settings,
        make_monitor_app,
    )
    from agentdesk.ui.monitor.sign_in_again import SignInAgain

    backend = _spec(choice).create(url, token=token, options=choice.options())
    app = make_monitor_app(backend, theme=loaded.settings.ui.theme, tz=tz,
                           keymap=loaded.settings.keymap)
    # As the desk: config problems as toasts (stderr is covered by the full-screen
    # UI), a theme picked in the palette saved to the config, and the command
    # that signs in again should the server refuse the token.
    app.startup_problems = list(loaded.problems)
    apply_alert_settings(app, loaded.settings.monitor.alerts)
    apply_view_settings(app, loaded.settings.monitor, user)
    app.start_wall = wall
    app.on_theme_change = _persist_theme(loaded)
    flag = "" if choice.name == NATIVE.name else f" --backend {choice.name}"
    app.login_command = f"agentdesk login{flag} --server {url} --user {user or 'NAME'}"
    # An unattended wall screen signs in again by itself when the server drops
    # the session (docs/monitor.md "Signing in"): stored token, else the password.
    if user:
        app.sign_in_again = SignInAgain(user, password,
                                        stored_token=lambda: load_token(url, user, choice.name))
    result = app.run()
    _close(backend)
    return int(result or 0)


def _report(loaded: LoadedSettings) -> None:
    for problem in loaded.problems:
        print(f"agentdesk: {problem}", file=sys.stderr)


# --- subcommands ------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo_server(args: argparse.Namespace, port: int, bots: int | None,
                      world_file: Path | None = None) -> subprocess.Popen:
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


def stop_demo_server(server: subprocess.Popen) -> str | None:
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

    supervisor = bool(getattr(args, "supervisor", False))
    user = "supervisor" if supervisor else getattr(args, "agent", "agent1")
    # Bots are the last agents; the demo agent is a human. For the monitor every
    # agent is a bot, so the floor works by itself.
    number = int(user[5:]) if user.startswith("agent") and user[5:].isdigit() else 1
    if supervisor:
        return _run_demo_monitor(args, load_settings())
    bots = None if number <= 1 else max(0, args.agents - number)
    port = _free_port()
    world = demo_world(args.seed, args.agents, bots)  # the same world as last time
    server = start_demo_server(args, port, bots, world.world_file)  # first: it starts while the desk loads
    try:
        loaded = load_settings()
        code = _run_desk_app(f"http://127.0.0.1:{port}", user, None, loaded, _timezone(loaded),
                             sign_in=(user, DEMO_PASSWORD), demo=True, identity=world.identity)
    finally:
        failure = stop_demo_server(server)
    if failure:
        print(f"agentdesk demo: the simulated contact center failed: {failure}", file=sys.stderr)
        return 1
    return code


def _run_demo_monitor(args: argparse.Namespace, loaded: LoadedSettings) -> int:
    from agentdesk.backends.base import AgentDeskError
    from agentdesk.mockserver.testing import running_server

    tz = _timezone(loaded)  # its problem, if any, joins the others shown in the monitor
    print("agentdesk demo: starting the simulated contact center…", file=sys.stderr)
    with running_server(seed=args.seed, speed=args.speed, agents=args.agents,
                        bots=args.agents) as server:
        try:
            token = asyncio.run(_login(server.url, "supervisor", DEMO_PASSWORD))
        except AgentDeskError as exc:
            print(f"agentdesk demo: cannot sign in as supervisor: {exc.message}", file=sys.stderr)
            return 1
        return _run_monitor_app(server.url, token, loaded, tz, password=DEMO_PASSWORD)


def _connect(args: argparse.Namespace, command: str, default_user: str | None,
             choice: BackendChoice = NATIVE,
             secrets: dict[str, str] | None = None) -> tuple[str, str, str] | int:
    """(url, user, token) for desk and monitor, or an exit code after a clear message.

    The token's user must have the command's role (desk: an agent, monitor: a
    supervisor); otherwise a one-line refusal and exit code 2. A token the server
    refuses, or a server that does not answer, is left to the app to show."""
    import getpass

    from agentdesk.backends.base import AgentDeskError
    from agentdesk.credentials import load_token
    from agentdesk.credentials_cli import resolve_server

    url, user = resolve_server(args)
    if not url:
        print(f"agentdesk {command}: name the server with --server URL or --profile NAME "
              "(or try `agentdesk demo`)", file=sys.stderr)
        return 2
    user = user or default_user
    token = load_token(url, user, choice.name)
    who: User | None = None
    if token is None:
        if not user:
            flag = "" if choice.name == NATIVE.name else f" --backend {choice.name}"
            print(f"agentdesk {command}: no token for {url}: run `agentdesk login{flag} --server {url}`, "
                  "set AGENTDESK_TOKEN, or pass --user NAME to sign in now", file=sys.stderr)
            return 2
        try:
            password = getpass.getpass(f"Password for {user} at {url}: ")
            if secrets is not None:  # the monitor keeps it in memory to sign in again
                secrets["password"] = password
        except EOFError:  # Ctrl-D, or stdin at its end
            print(f"\nagentdesk {command}: cancelled: no password given", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return 130
        try:
            token, who = asyncio.run(_sign_in(url, user, password, choice))
        except AgentDeskError as exc:
            print(f"agentdesk {command}: sign-in failed: {exc.message}", file=sys.stderr)
            return 1
    else:
        who = asyncio.run(_who(url, token, choice))
    refusal = wrong_role(who, command) if who is not None else None
    if refusal:
        print(f"agentdesk {command}: {refusal}", file=sys.stderr)
        return 2
    return url, user or "", token


def _choose(args: argparse.Namespace, command: str) -> BackendChoice | None:
    """The backend for this command; None after one line on stderr (exit 2)."""
    from agentdesk.backend_choice import choose_backend, load_spec

    choice = choose_backend(args)
    spec = load_spec(choice, command)
    if spec is None:
        return None
    if command == "monitor" and not spec.capabilities.monitor:
        print(f"agentdesk monitor: {spec.capabilities.missing_reason('monitor')}", file=sys.stderr)
        return None
    return choice


def run_desk(args: argparse.Namespace) -> int:
    from agentdesk.config import load_settings

    choice = _choose(args, "desk")
    if choice is None:
        return 2
    loaded = load_settings()
    tz = _timezone(loaded)
    _report(loaded)
    connected = _connect(args, "desk", None, choice)
    if isinstance(connected, int):
        return connected
    url, user, token = connected
    return _run_desk_app(url, user, token, loaded, tz, choice=choice)


def run_monitor(args: argparse.Namespace) -> int:
    from agentdesk.config import load_settings

    choice = _choose(args, "monitor")
    if choice is None:
        return 2
    loaded = load_settings()
    tz = _timezone(loaded)
    _report(loaded)  # also shown in the monitor (toasts): this copy outlives the UI
    secrets: dict[str, str] = {}
    connected = _connect(args, "monitor", "supervisor", choice, secrets)
    if isinstance(connected, int):
        return connected
    url, user, token = connected
    return _run_monitor_app(url, token, loaded, tz, user, choice, secrets.get("password"),
                            wall=bool(getattr(args, "wall", False)))
