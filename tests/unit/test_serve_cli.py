"""`agentdesk serve` builds the right app command and warns off localhost."""

import argparse
import shlex

from agentdesk.ui import serve as serve_cli
from agentdesk.cli import build_parser


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
