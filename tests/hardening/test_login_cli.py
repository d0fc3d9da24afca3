"""Issue 15, item 6: the opt-in token file is honoured once written; without a
keyring login says what to do before asking for a password (and never prints the
token unless asked); a bad server URL is found before the password prompt."""

from __future__ import annotations

import http.server
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from agentdesk.testing.mockserver import running_server


@pytest.fixture(scope="module")
def server():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    env.pop("AGENTDESK_TOKEN", None)
    env.pop("AGENTDESK_TOKEN_FILE", None)
    return env


def _cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    # keyrings.alt is installed in the test env: keyring picks its PlaintextKeyring,
    # which agentdesk refuses: this is "a host without a usable keyring".
    return subprocess.run([sys.executable, "-m", "agentdesk", *args], input=stdin,
                          capture_output=True, text=True, env=_env(tmp_path), timeout=60)


def _load_token_in_child(tmp_path: Path, url: str) -> str:
    code = ("from agentdesk.credentials import load_token; import sys; "
            f"print(load_token({url!r}, 'agent1') or '-')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=_env(tmp_path), timeout=60)
    return out.stdout.strip() + out.stderr


def test_without_a_keyring_login_refuses_before_the_password(server, tmp_path):
    before = len(server.server.auth.tokens)
    out = _cli(tmp_path, "login", "--server", server.url, "--user", "agent1", stdin="demo\n")
    assert out.returncode == 1
    assert "Password for" not in out.stderr  # never asked
    assert out.stderr.startswith("agentdesk login: not logged in: the keyring backend found")
    assert "--token-file" in out.stderr and "--print-token" in out.stderr
    assert "but The" not in out.stderr
    assert len(server.server.auth.tokens) == before  # no token was made for nobody


def test_the_token_file_is_honoured_without_the_environment_variable(server, tmp_path):
    out = _cli(tmp_path, "login", "--server", server.url, "--user", "agent1", "--token-file",
               stdin="demo\n")
    assert out.returncode == 0, out.stderr
    assert "tokens.json" in out.stdout and "0600" in out.stdout
    store = next(tmp_path.rglob("tokens.json"))
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    token = _load_token_in_child(tmp_path, server.url)  # no AGENTDESK_TOKEN_FILE here
    assert httpx.get(f"{server.url}/v1/me",
                     headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in out.stdout + out.stderr  # said where it went, not what it is
    store.chmod(0o644)  # someone made it readable: ignored, with the reason
    refused = _load_token_in_child(tmp_path, server.url)
    assert refused.startswith("-") and "readable by others" in refused


def test_print_token_shows_it_once_with_a_warning(server, tmp_path):
    out = _cli(tmp_path, "login", "--server", server.url, "--user", "agent2", "--print-token",
               stdin="demo\n")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1  # only the token on stdout, so `$(agentdesk login ...)` works
    token = lines[0]
    assert token not in out.stderr
    assert "shown once" in out.stderr and "AGENTDESK_TOKEN" in out.stderr
    assert httpx.get(f"{server.url}/v1/me",
                     headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert not list(tmp_path.rglob("tokens.json"))


def test_an_unreachable_server_is_found_before_the_password_prompt(tmp_path):
    out = _cli(tmp_path, "login", "--server", "http://127.0.0.1:9", "--user", "agent1",
               "--token-file", stdin="demo\n")
    assert out.returncode == 1
    assert "Password for" not in out.stderr and "Traceback" not in out.stderr
    assert out.stderr.startswith("agentdesk login: cannot reach http://127.0.0.1:9")
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_url_that_is_no_agentdesk_server_is_found_before_the_password_prompt(tmp_path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        out = _cli(tmp_path, "login", "--server", url, "--user", "agent1", "--token-file",
                   stdin="demo\n")
        bad = _cli(tmp_path, "login", "--server", "127.0.0.1:8640", "--user", "agent1",
                   "--token-file", stdin="demo\n")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert out.returncode == 1 and "Password for" not in out.stderr
    assert "does not look like an agentdesk/1 server" in out.stderr
    assert bad.returncode == 1 and "must start with http://" in bad.stderr
