"""`python -m agentdesk ...` as a subprocess: bad options and a port in use end
with one clear message and exit status 2, never a traceback; help texts say
what the options do and their defaults."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    # conftest points XDG_* at a per-test temp dir; the child inherits it.
    return subprocess.run([sys.executable, "-m", "agentdesk", *args], capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ),
                          stdin=subprocess.DEVNULL)


def assert_refused(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    for word in words:
        assert word in proc.stderr, proc.stderr


def test_port_in_use_is_one_message_and_the_db_is_not_opened(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    with socket.socket() as taken:  # another server listens on the port
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run("mock-server", "--port", str(port), "--db", str(db), "--no-traffic")
    assert_refused(proc, f"agentdesk mock-server: port {port} is in use")
    assert "SystemExit" not in proc.stderr
    assert "restored" not in proc.stderr
    assert not db.exists(), "the database was opened before the port was checked"
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_an_address_that_cannot_be_bound_is_one_message() -> None:
    proc = run("mock-server", "--host", "no-such-host.invalid", "--port", "0")
    assert_refused(proc, "agentdesk mock-server: cannot listen on")


@pytest.mark.parametrize("args, words", [
    (("mock-server", "--port", "99999"), ("--port", "0-65535")),
    (("mock-server", "--port", "-1"), ("--port", "0-65535")),
    (("mock-server", "--port", "http"), ("--port", "not a whole number")),
    (("serve", "--port", "70000"), ("--port", "0-65535")),
    (("mock-server", "--speed", "0"), ("--speed", "greater than 0")),
    (("mock-server", "--speed", "nan"), ("--speed", "greater than 0")),
    (("demo", "--supervisor", "--speed", "-5"), ("--speed", "greater than 0")),
    (("demo", "--agents", "0"), ("--agents", "at least 1")),
    (("mock-server", "--agents", "-3"), ("--agents", "at least 1")),
    (("mock-server", "--bots", "-1"), ("--bots", "0 or more")),
    (("kb", "search", "-n", "0", "refund"), ("-n", "at least 1")),
])
def test_bad_numbers_are_usage_errors(args: tuple[str, ...], words: tuple[str, ...]) -> None:
    proc = run(*args, timeout=30)
    assert_refused(proc, "usage:", "error: argument", *words)


def test_logout_help_describes_logout() -> None:
    proc = run("logout", "--help")
    assert proc.returncode == 0
    user = next(line for line in proc.stdout.splitlines() if "--user" in line and "NAME" in line
                and not line.startswith("usage"))
    assert "forget the token of NAME" in user
    assert "log in" not in proc.stdout
    login = run("login", "--help")
    assert "log in as NAME" in login.stdout


def test_mock_server_help_shows_the_defaults() -> None:
    proc = run("mock-server", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())  # argparse wraps lines
    assert "(default 8640)" in text
    assert "(default 12)" in text
    assert "(default 127.0.0.1)" in text
    assert "(default 7)" in text and "(default 1.0)" in text


@pytest.mark.parametrize("command", ["desk", "monitor", "login", "logout"])
def test_an_unknown_backend_is_one_line_listing_the_known_ones(command: str) -> None:
    proc = run(command, "--backend", "flex", "--server", "http://127.0.0.1:9", "--user", "a")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (f"agentdesk {command}: unknown backend 'flex'; "
                                   "known backends: agentdesk, chatwoot")


def test_a_registered_backend_that_cannot_load_says_so_in_one_line(tmp_path: Path) -> None:
    # A third-party backend whose package is half installed: its entry point is
    # registered (a dist-info on the path) but its module is missing.
    dist = tmp_path / "agentdesk_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: agentdesk-broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(
        "[agentdesk.backends]\nbroken = agentdesk_broken_missing.spec:SPEC\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]))
    proc = subprocess.run([sys.executable, "-m", "agentdesk", "desk", "--backend", "broken",
                           "--server", "http://127.0.0.1:9"], capture_output=True, text=True,
                          timeout=60, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert "backend 'broken' is registered" in line and "cannot be loaded" in line


@pytest.mark.parametrize("command", ["desk", "monitor"])
def test_backend_and_account_options_are_offered(command: str) -> None:
    proc = run(command, "--help")
    assert proc.returncode == 0
    assert "--backend NAME" in proc.stdout and "--account ID" in proc.stdout


def test_monitor_on_chatwoot_refuses_an_agent_in_one_line_before_the_ui() -> None:
    # The monitor needs an administrator of the account: Ada (an agent) is told so
    # in one line, exit 2, before any screen; without a token or user, how to get one.
    from agentdesk.testing.chatwoot.threaded import ThreadedFake

    running = ThreadedFake(port=0).start()
    try:
        ada = running.fake.world.users[7]
        env = dict(os.environ, AGENTDESK_TOKEN=ada.access_token)
        proc = subprocess.run([sys.executable, "-m", "agentdesk", "monitor", "--backend",
                               "chatwoot", "--server", running.url], capture_output=True,
                              text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
        assert_refused(proc)
        [line] = proc.stderr.strip().splitlines()
        assert line == ("agentdesk monitor: Ada: the monitor needs an administrator of the "
                        "Chatwoot account")
        env.pop("AGENTDESK_TOKEN")
        proc = subprocess.run([sys.executable, "-m", "agentdesk", "monitor", "--backend",
                               "chatwoot", "--server", running.url], capture_output=True,
                              text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
        assert_refused(proc, "agentdesk login --backend chatwoot", "--user NAME")
        assert "Password" not in proc.stderr
    finally:
        running.stop()
