"""Issue 15, item 7: each browser session of `agentdesk serve --server URL` signs
in as its own user on a sign-in screen, never with the serving account's token."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from agentdesk.testing.mockserver import running_server
from agentdesk.ui.modals.relogin_dialog import ReloginDialog
from agentdesk.ui.web.session import build_app
from agentdesk.ui.web.sign_in_screen import SignInScreen

WAIT = 10.0


async def _until(pilot, predicate, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what} ({pilot.app.screen_stack}, "
                                 f"{getattr(pilot.app.screen, 'error', None)!r})")
        await pilot.pause(0.05)


async def _sign_in(pilot, user: str, password: str) -> None:
    await _until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen), "the sign-in screen")
    screen = pilot.app.screen
    await pilot.pause()  # mounted and laid out before it is typed into
    screen.query_one("#sign-in-user").value = user
    field = screen.query_one("#sign-in-password")
    field.value = password
    field.focus()
    await pilot.press("enter")
    await _until(pilot, lambda: pilot.app.screen is not screen, "the screen to close")


@pytest.fixture(scope="module")
def server():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


async def test_a_browser_session_signs_in_as_its_own_user(server, tmp_path, monkeypatch):
    # The serving account has a token in the environment: the session must not use it.
    serving = httpx.post(f"{server.url}/v1/login",
                         json={"username": "agent2", "password": "demo"}).json()["token"]
    monkeypatch.setenv("AGENTDESK_TOKEN", serving)
    app = build_app(server.url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "agent1", "wrong")
        await _until(pilot, lambda: isinstance(app.screen, SignInScreen)
                     and "wrong password" in str(app.screen.error), "the refusal shown")
        await _sign_in(pilot, "agent1", "demo")
        await _until(pilot, lambda: getattr(app.backend, "user", None) is not None
                     and not isinstance(app.screen, SignInScreen), "signed in")
        assert app.backend.user.id == "agent1"
        assert app.backend.token != serving
        assert not isinstance(app.screen, ReloginDialog)


async def test_a_supervisor_is_refused_and_asked_again(server, tmp_path):
    app = build_app(server.url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "supervisor", "demo")
        await _until(pilot, lambda: isinstance(app.screen, SignInScreen)
                     and "supervisor" in str(app.screen.error), "the refusal")
        await pilot.pause()
        await pilot.click("#quit")
        await _until(pilot, lambda: not app.is_running, "the app to quit")


async def test_an_unreachable_server_is_said_on_the_sign_in_screen(tmp_path):
    app = build_app("http://127.0.0.1:9", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "agent1", "demo")
        await _until(pilot, lambda: isinstance(app.screen, SignInScreen) and app.screen.error,
                     "the connection error")
        assert "Traceback" not in str(app.screen.error)
        await pilot.click("#quit")


def test_serve_runs_the_web_session_not_the_desk(tmp_path):
    from agentdesk.cli import serve
    from agentdesk.cli.parser import build_parser

    args = build_parser().parse_args(["serve", "--server", "http://cc.example"])
    command = serve.app_command(args, "http://cc.example")
    assert "agentdesk.ui.web" in command and " desk" not in command
    assert Path(serve.__file__).read_text().count("load_token") == 0
