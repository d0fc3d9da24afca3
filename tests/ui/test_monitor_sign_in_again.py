"""An unattended monitor signs in again by itself when the server restarts.

The real mock server runs on loopback; it is stopped and started again on the
same port without `--db`, so it has forgotten every token: the monitor's
event stream is refused (401) and the monitor must sign in again with what it
has (the stored token read again, or the password typed at start), retrying
while the server does not answer, and say so in the header. Only refused
credentials end in "signed out".
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from typing import Any

import httpx

from agentdesk.backends.native import NativeBackend
from agentdesk.backends.stream import StreamPolicy
from agentdesk.testing.mockserver import ServerHandle, running_server
from agentdesk.ui.monitor.launch_monitor import make_monitor_app
from agentdesk.ui.monitor.monitor_app import SIGNED_OUT, MonitorApp
from agentdesk.ui.monitor.monitor_header import LinkBanner, MonitorHeader
from agentdesk.ui.monitor.sign_in_again import SignInAgain

FAST = StreamPolicy(backoff_base=0.05, backoff_cap=0.3, open_timeout=5.0)
SERVER = dict(agents=3, bots=3, traffic=False, manual_clock=True)


def _token(url: str, user: str = "supervisor") -> str:
    r = httpx.post(f"{url}/v1/login", json={"username": user, "password": "demo"}, timeout=10)
    r.raise_for_status()
    return r.json()["token"]


async def _until(pilot: Any, predicate: Any, what: str, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


def _port(server: ServerHandle) -> int:
    return int(server.url.rsplit(":", 1)[1])


@contextmanager
def _restartable() -> Iterator[dict[str, ServerHandle]]:
    """{"server": the running one}; `_restart` replaces it on the same port."""
    holder: dict[str, Any] = {}
    first = running_server(**SERVER)
    holder["server"] = first.__enter__()
    holder["ctx"] = first
    try:
        yield holder
    finally:
        holder["ctx"].__exit__(None, None, None)


def _stop(holder: dict[str, Any]) -> int:
    port = _port(holder["server"])
    holder["ctx"].__exit__(None, None, None)
    holder["ctx"] = None
    return port


def _start(holder: dict[str, Any], port: int) -> None:
    ctx = running_server(port=port, **SERVER)  # no --db: every token is forgotten
    holder["server"] = ctx.__enter__()
    holder["ctx"] = ctx


def _monitor(url: str, helper: SignInAgain | None) -> tuple[MonitorApp, NativeBackend]:
    backend = NativeBackend(url, token=_token(url), stream_policy=FAST)
    app = make_monitor_app(backend, tz=UTC)
    app.sign_in_again = helper
    app.login_command = f"agentdesk login --server {url} --user supervisor"
    return app, backend


def _header(app: MonitorApp) -> str:
    return str(app.screen.query_one(MonitorHeader).render())


async def test_a_restarted_server_gets_a_new_sign_in_with_the_password() -> None:
    helper = SignInAgain("supervisor", "demo", first_delay_s=0.05, max_delay_s=0.2)
    with _restartable() as holder:
        app, backend = _monitor(holder["server"].url, helper)
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                await _until(pilot, lambda: app.loaded and app.link_state == "connected", "live")
                old_token = backend.token
                port = _stop(holder)
                await _until(pilot, lambda: app.link_state == "reconnecting", "link lost")
                _start(holder, port)
                await _until(pilot, lambda: app.signed_in_again == 1
                             and app.link_state == "connected", "signed in again")
                assert backend.token and backend.token != old_token
                # The floor is the new server's (snapshots reloaded after the resync).
                await _until(pilot, lambda: app.floor.agents
                             and "signed in again" in _header(app), "header note")
                assert "signed out" not in _header(app)
                assert not app.screen.query_one(LinkBanner).display
                assert any("signed in again as supervisor" in n.message
                           for n in app._notifications)
                await pilot.press("q")
        finally:
            await backend.close()


async def test_a_new_stored_token_is_used_before_the_password() -> None:
    stored: dict[str, str | None] = {"token": None}
    helper = SignInAgain("supervisor", None, stored_token=lambda: stored["token"],
                         first_delay_s=0.05, max_delay_s=0.2)
    with _restartable() as holder:
        app, backend = _monitor(holder["server"].url, helper)
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                await _until(pilot, lambda: app.loaded and app.link_state == "connected", "live")
                port = _stop(holder)
                await _until(pilot, lambda: app.link_state == "reconnecting", "link lost")
                _start(holder, port)
                # As if the supervisor had run `agentdesk login` against the new server.
                stored["token"] = _token(holder["server"].url)
                await _until(pilot, lambda: app.signed_in_again == 1
                             and app.link_state == "connected", "signed in again")
                assert backend.token == stored["token"]
                assert any("stored token" in n.message for n in app._notifications)
        finally:
            await backend.close()


async def test_refused_credentials_need_a_person() -> None:
    helper = SignInAgain("supervisor", "not-the-password", first_delay_s=0.05)
    with _restartable() as holder:
        app, backend = _monitor(holder["server"].url, helper)
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                await _until(pilot, lambda: app.loaded and app.link_state == "connected", "live")
                port = _stop(holder)
                await _until(pilot, lambda: app.link_state == "reconnecting", "link lost")
                _start(holder, port)
                await _until(pilot, lambda: app.link_state == SIGNED_OUT, "signed out")
                await pilot.pause(0.2)
                assert app.signed_in_again == 0
                banner = str(app.screen.query_one(LinkBanner).render())
                assert "password of supervisor was refused" in banner
                assert "agentdesk login --server" in banner
                assert "signed out" in _header(app)
        finally:
            await backend.close()


def test_the_backoff_doubles_up_to_its_cap() -> None:
    helper = SignInAgain("supervisor", "x", first_delay_s=1.0, max_delay_s=8.0, jitter=0.0)
    assert [helper.delay(n) for n in range(1, 7)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    jittered = SignInAgain("supervisor", "x", first_delay_s=1.0, jitter=0.1)
    assert all(1.0 <= jittered.delay(1) <= 1.1 for _ in range(50))
