"""Issue 15, item 5: POST /v1/logout revokes the token; tokens expire after their
documented lifetime; `NativeBackend.logout()` and `agentdesk logout` use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from agentdesk.backends.base import BackendAuthError, BackendConnectionError
from agentdesk.backends.native import NativeBackend
from agentdesk.mockserver.auth import MAX_TOKENS_PER_USER, Auth
from agentdesk.testing.mockserver import running_server, spawn_server


@pytest.fixture(scope="module")
def server():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


def _login(url: str, user: str = "agent1") -> str:
    r = httpx.post(f"{url}/v1/login", json={"username": user, "password": "demo"})
    assert r.status_code == 200
    return r.json()["token"]


def test_logout_revokes_the_token_and_no_other(server):
    token, other = _login(server.url), _login(server.url)
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/v1/me", headers=auth).status_code == 200
    r = httpx.post(f"{server.url}/v1/logout", headers=auth)
    assert r.status_code == 200 and r.json() == {"logged_out": True}
    after = httpx.get(f"{server.url}/v1/me", headers=auth)
    assert after.status_code == 401 and after.json()["error"]["code"] == "unauthorized"
    assert httpx.post(f"{server.url}/v1/logout", headers=auth).status_code == 401
    still = httpx.get(f"{server.url}/v1/me", headers={"Authorization": f"Bearer {other}"})
    assert still.status_code == 200


def test_supervisor_may_log_out(server):
    token = _login(server.url, "supervisor")
    r = httpx.post(f"{server.url}/v1/logout", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def test_tokens_expire_after_their_lifetime():
    now = [1000.0]
    auth = Auth(1, token_ttl_s=60, clock=lambda: now[0])
    token, _ = auth.login("agent1", "demo")
    now[0] += 59.9
    assert auth.user_for(token) is not None
    now[0] += 0.2
    assert auth.user_for(token) is None
    assert token not in auth.tokens  # forgotten, not only refused


def test_token_lifetime_is_configurable_over_http():
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True,
                        token_ttl_s=0.001) as srv:
        token = _login(srv.url)
        # the lifetime is wall time; a millisecond has passed by the next request
        r = httpx.get(f"{srv.url}/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401


def test_a_login_flood_keeps_a_bounded_token_table():
    auth = Auth(1)
    tokens = [auth.login("agent1", "demo")[0] for _ in range(MAX_TOKENS_PER_USER + 50)]
    assert len(auth.tokens) == MAX_TOKENS_PER_USER
    assert auth.user_for(tokens[0]) is None and auth.user_for(tokens[-1]) is not None


def test_revocation_survives_a_restart(tmp_path):
    db = tmp_path / "state.db"
    proc = spawn_server("--db", str(db), "--manual-clock", "--no-traffic", "--agents", "2")
    try:
        gone, kept = _login(proc.url), _login(proc.url)
        httpx.post(f"{proc.url}/v1/logout", headers={"Authorization": f"Bearer {gone}"})
    finally:
        proc.stop()
    proc = spawn_server("--db", str(db), "--manual-clock", "--no-traffic", "--agents", "2")
    try:
        def me(t: str) -> httpx.Response:
            return httpx.get(f"{proc.url}/v1/me", headers={"Authorization": f"Bearer {t}"})

        assert me(gone).status_code == 401
        assert me(kept).status_code == 200
    finally:
        proc.stop()


async def test_native_backend_logout(server):
    backend = NativeBackend(server.url)
    try:
        token = await backend.login("agent1", "demo")
        await backend.logout()
        assert backend.token is None
    finally:
        await backend.close()
    r = httpx.get(f"{server.url}/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    stale = NativeBackend(server.url, token=token)  # already revoked: still fine
    try:
        await stale.logout()
        with pytest.raises(BackendAuthError):
            await stale.me()
    finally:
        await stale.close()


async def test_native_backend_logout_to_a_dead_server_raises():
    backend = NativeBackend("http://127.0.0.1:9", token="t", timeout=2.0)
    try:
        with pytest.raises(BackendConnectionError):
            await backend.logout()
        assert backend.token == "t"  # kept: the caller decides
    finally:
        await backend.close()


def _cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    env.pop("AGENTDESK_TOKEN", None)
    env.pop("AGENTDESK_TOKEN_FILE", None)
    return subprocess.run([sys.executable, "-m", "agentdesk", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60)


def test_cli_logout_revokes_on_the_server(server, tmp_path):
    login = _cli(tmp_path, "login", "--server", server.url, "--user", "agent1", "--token-file",
                 stdin="demo\n")
    assert login.returncode == 0, login.stderr
    files = list(tmp_path.rglob("tokens.json"))
    token = next(iter(__import__("json").loads(files[0].read_text()).values()))
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/v1/me", headers=auth).status_code == 200
    out = _cli(tmp_path, "logout", "--server", server.url, "--user", "agent1")
    assert out.returncode == 0, out.stderr
    assert "revoked" in out.stdout
    assert httpx.get(f"{server.url}/v1/me", headers=auth).status_code == 401
    assert token not in files[0].read_text()


def test_cli_logout_with_the_server_down_forgets_locally_and_says_so(tmp_path):
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True) as srv:
        url = srv.url
        login = _cli(tmp_path, "login", "--server", url, "--user", "agent1", "--token-file",
                     stdin="demo\n")
        assert login.returncode == 0, login.stderr
    out = _cli(tmp_path, "logout", "--server", url, "--user", "agent1")
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "could not be told" in out.stdout and "until it expires" in out.stdout
    store = next(tmp_path.rglob("tokens.json"))
    assert __import__("json").loads(store.read_text()) == {}
