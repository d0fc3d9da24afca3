"""`agentdesk serve` builds the right app command and warns off localhost."""

import argparse
import shlex

from agentdesk.cli import serve as serve_cli
from agentdesk.cli.parser import build_parser


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *argv])


def test_defaults_bind_localhost():
    args = _args()
    assert args.host == "localhost" and args.port == 8000


def test_demo_command():
    parts = shlex.split(serve_cli.app_command(_args("--demo", "--agent", "agent3")))
    assert parts[1:] == ["-m", "agentdesk", "demo", "--agent", "agent3"]


def test_desk_command_passes_server():
    parts = shlex.split(serve_cli.app_command(_args("--server", "https://cc.example")))
    assert parts[1:] == ["-m", "agentdesk.ui.web", "--server", "https://cc.example"]


def test_non_loopback_warns(monkeypatch, capsys):
    served = []

    class FakeServer:  # textual-serve itself is not started in a unit test
        def __init__(self, command, host, port, title):
            served.append((command, host, port))

        def serve(self):
            pass

    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    assert serve_cli.run(_args("--host", "0.0.0.0", "--port", "0", "--demo")) == 0
    assert "not to localhost" in capsys.readouterr().err
    assert served[0][1] == "0.0.0.0"
    serve_cli.run(_args("--port", "0", "--demo"))
    assert "not to localhost" not in capsys.readouterr().err


def test_monitor_commands():
    parts = shlex.split(serve_cli.app_command(_args("--monitor", "--server", "https://cc.example",
                                                    "--wall")))
    assert parts[1:] == ["-m", "agentdesk", "monitor", "--server", "https://cc.example", "--wall"]
    parts = shlex.split(serve_cli.app_command(_args("--monitor", "--demo")))
    assert parts[1:] == ["-m", "agentdesk", "demo", "--supervisor"]
    parts = shlex.split(serve_cli.app_command(_args("--monitor", "--profile", "work")))
    assert parts[-3:] == ["monitor", "--profile", "work"]


def test_serve_monitor_answers_on_localhost(tmp_path):
    """The real textual-serve, started by `agentdesk serve --monitor --demo`, serves
    its page on localhost (the monitor itself starts per browser connection)."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    proc = subprocess.Popen([sys.executable, "-m", "agentdesk", "serve", "--monitor", "--demo",
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    try:
        deadline = time.monotonic() + 30
        page = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert page is not None and page.status_code == 200, proc.poll()
        assert "agentdesk monitor" in page.text
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "demo --supervisor" in proc.stderr.read()
