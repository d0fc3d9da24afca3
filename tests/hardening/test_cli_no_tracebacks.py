"""Issue 15, item 8: every CLI error is one plain line on stderr and a non-zero
exit, never a traceback (each case runs the real command in a subprocess)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def busy_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    env.pop("AGENTDESK_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "agentdesk", *args], capture_output=True,
                          text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)


def _bad_scenario(tmp_path: Path) -> str:
    path = tmp_path / "bad.toml"
    path.write_text('[arrivals]\nchat = "lots"\n')
    return str(path)


CASES = {
    "db in a missing folder": (lambda tmp, port: ["mock-server", "--port", "0", "--db",
                                                  "/nonexistent/dir/x.db"],
                               "cannot use the database /nonexistent/dir/x.db"),
    "mock-server port in use": (lambda tmp, port: ["mock-server", "--port", str(port)],
                                "is in use"),
    "serve port in use": (lambda tmp, port: ["serve", "--host", "127.0.0.1", "--port",
                                             str(port), "--demo"], "is in use"),
    "missing scenario": (lambda tmp, port: ["mock-server", "--port", "0", "--scenario",
                                            str(tmp / "none.toml")], "none.toml"),
    "bad scenario": (lambda tmp, port: ["mock-server", "--port", "0", "--scenario",
                                        _bad_scenario(tmp)], "arrivals.chat"),
    "bad capacity": (lambda tmp, port: ["mock-server", "--port", "0", "--capacity",
                                        "chat=lots"], "is not CHANNEL=LIMIT[@COST]"),
    "kb import of a missing folder": (lambda tmp, port: ["kb", "import", str(tmp / "none")],
                                      "not a folder"),
    "login to a bad URL": (lambda tmp, port: ["login", "--server", "nowhere", "--user", "a",
                                              "--token-file"], "must start with http://"),
    "desk without a token": (lambda tmp, port: ["desk", "--server", "http://127.0.0.1:9"],
                             "no token"),
    "unknown profile": (lambda tmp, port: ["logout", "--profile", "nope"], "no profile 'nope'"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_error_is_one_plain_line(tmp_path, busy_port, name):
    make_args, expected = CASES[name]
    out = _run(tmp_path, *make_args(tmp_path, busy_port))
    assert out.returncode != 0, out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("agentdesk")]
    assert errors and expected in errors[-1], out.stderr
    assert len(errors[-1]) < 400


def test_an_unexpected_error_is_one_line_unless_debug(tmp_path, monkeypatch, capsys):
    """The CLI's last resort: a bug in a command is one line (and --debug shows it)."""
    from agentdesk.cli import dispatch as cli

    def broken(args):
        raise RuntimeError("something broke\nsecond line")

    monkeypatch.setattr(cli, "_resolve", lambda target: broken)
    assert cli.main(["kb", "rebuild"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == ("agentdesk kb: RuntimeError: something broke (--debug shows where)")
    with pytest.raises(RuntimeError):
        cli.main(["--debug", "kb", "rebuild"])
