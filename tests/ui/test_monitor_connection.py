"""The monitor's connection and sign-in, against the real mock server on loopback:

- a token the server refuses (at start, or revoked while the monitor is open)
  shows "signed out", a banner and a toast naming `agentdesk login`, and the
  monitor stops asking the server; it keeps running and quits normally;
- the drill-down shows when the floor is not live (server gone, signed out);
- `agentdesk monitor` / `agentdesk desk` refuse a user of the other role with
  one line and exit code 2;
- configuration problems (including a bad `ui.timezone`) are shown in the
  monitor as toasts, once, and a theme picked in the palette is saved, through
  the real launcher (`agentdesk.cli.desk`, `agentdesk.ui.launch`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from argparse import Namespace
from datetime import UTC
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.app import App

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor  # noqa: E402

from agentdesk.backends.native import NativeBackend  # noqa: E402
from agentdesk.config import load_settings  # noqa: E402
from agentdesk.testing.mockserver import running_server  # noqa: E402
from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen  # noqa: E402
from agentdesk.ui.monitor.launch_monitor import make_monitor_app  # noqa: E402
from agentdesk.ui.monitor.monitor_app import SIGNED_OUT, MonitorApp  # noqa: E402
from agentdesk.ui.monitor.monitor_header import LinkBanner, MonitorHeader  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


async def _until(pilot: Any, predicate: Any, what: str, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


def _banner(screen: Any) -> LinkBanner:
    return screen.query_one(LinkBanner)


def _banner_text(screen: Any) -> str:
    return str(_banner(screen).render())


def _messages(app: App) -> list[str]:
    return [n.message for n in app._notifications]


def _token(url: str, user: str) -> str:
    r = httpx.post(f"{url}/v1/login", json={"username": user, "password": "demo"}, timeout=10)
    r.raise_for_status()
    return r.json()["token"]


# -- a refused token -----------------------------------------------------------------------


async def test_a_refused_token_at_start_says_signed_out_and_stops_asking() -> None:
    with running_server(agents=4, bots=4, traffic=False, manual_clock=True) as server:
        backend = NativeBackend(server.url, token="bogus")
        app = make_monitor_app(backend, tz=UTC)
        app.login_command = f"agentdesk login --server {server.url} --user supervisor"
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                await _until(pilot, lambda: app.link_state == SIGNED_OUT, "signed out")
                await pilot.pause(0.3)
                screen = app.screen
                header = str(screen.query_one(MonitorHeader).render())
                assert "signed out" in header and "reconnecting" not in header
                banner = _banner_text(screen)
                assert _banner(screen).display
                assert "Not authorised: the token was refused" in banner
                assert f"agentdesk login --server {server.url} --user supervisor" in banner
                assert sum("Not authorised" in m for m in _messages(app)) == 1
                # Nothing more is asked of the server: the follow worker has ended and
                # the event stream was never opened with the refused token.
                workers = [w for w in app.workers if w.group == "monitor-events"]
                assert all(w.is_finished for w in workers)
                assert backend.diagnostics.reconnects == 0
                await pilot.pause(1.0)
                assert app.link_state == SIGNED_OUT
                # Still a working app: the keys still work, and q quits normally.
                await pilot.press("f1")
                await pilot.press("q")
            assert app.return_code == 0
        finally:
            await backend.close()


async def test_a_token_revoked_while_open_says_signed_out_on_both_screens() -> None:
    async with open_monitor(agents=6, traffic=False) as mon:
        agent_id = sorted(mon.app.floor.agents)[0]
        drill = await mon.drilldown(agent_id)
        assert not _banner(drill).display  # live: no banner
        native = mon.backend._inner
        native._api.token = "revoked"  # as if the server had revoked it
        await native.reconnect()  # the next handshake is refused (401)
        await mon.until(lambda: mon.app.link_state == SIGNED_OUT, what="signed out")
        await mon.settle(0.3)
        assert _banner(drill).display and "Not authorised" in _banner_text(drill)
        assert sum("Not authorised" in m for m in _messages(mon.app)) == 1
        # The stream is not retried with the refused token.
        workers = [w for w in mon.app.workers if w.group == "monitor-events"]
        assert all(w.is_finished for w in workers)
        reconnects = native.diagnostics.reconnects
        await mon.settle(1.5)
        assert native.diagnostics.reconnects == reconnects
        await mon.pilot.press("escape")  # back to the wallboard: it says so too
        await mon.until(lambda: not isinstance(mon.app.screen, DrilldownScreen), what="wallboard")
        await mon.flushed()
        wallboard = mon.app.screen
        assert "signed out" in str(wallboard.query_one(MonitorHeader).render())
        assert _banner(wallboard).display and "agentdesk login" in _banner_text(wallboard)


async def test_the_drilldown_shows_when_the_server_is_gone() -> None:
    async with open_monitor(agents=6, traffic=False) as mon:
        agent_id = sorted(mon.app.floor.agents)[0]
        drill = await mon.drilldown(agent_id)
        assert not _banner(drill).display
        mon.server.stop()
        await mon.until(lambda: mon.app.link_state == "reconnecting", what="link lost")
        await mon.settle(0.2)
        assert _banner(drill).display
        text = _banner_text(drill)
        assert "Connection lost" in text and "not live" in text
        # A drill-down opened while the server is away says it at once too.
        await mon.pilot.press("escape")
        await mon.until(lambda: not isinstance(mon.app.screen, DrilldownScreen), what="wallboard")
        assert _banner(mon.app.screen).display
        mon.app.open_agent(sorted(mon.app.floor.agents)[1])
        await mon.until(lambda: isinstance(mon.app.screen, DrilldownScreen)
                        and mon.app.screen.ready, what="second drill-down")
        assert _banner(mon.app.screen).display


# -- the wrong role is refused before the UI opens -------------------------------------------


def _cli(tmp_path: Path, *args: str, token: str | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, **{f"XDG_{d}_HOME": str(tmp_path / d.lower())
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    env.pop("AGENTDESK_TOKEN", None)
    if token is not None:
        env["AGENTDESK_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "agentdesk", *args], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=60)


def test_the_wrong_role_is_refused_with_one_line_and_exit_code_2(tmp_path: Path) -> None:
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as server:
        url = server.url
        out = _cli(tmp_path, "monitor", "--server", url, token=_token(url, "agent1"))
        assert out.returncode == 2, out.stderr
        assert out.stderr.strip().splitlines()[-1] == (
            "agentdesk monitor: agent1 is an agent, not a supervisor: use `agentdesk desk`")
        out = _cli(tmp_path, "desk", "--server", url, token=_token(url, "supervisor"))
        assert out.returncode == 2, out.stderr
        assert out.stderr.strip().splitlines()[-1] == (
            "agentdesk desk: supervisor is a supervisor, not an agent: use `agentdesk monitor`")
        # Signing in with a password: the login answer names the role, same refusal.
        out = _cli(tmp_path, "monitor", "--server", url, "--user", "agent2", stdin="demo\n")
        assert out.returncode == 2, out.stderr
        assert "agent2 is an agent, not a supervisor" in out.stderr
        assert "Traceback" not in out.stderr
        # Ctrl-D at the password prompt: a message, not a traceback.
        out = _cli(tmp_path, "desk", "--server", url, "--user", "agent2", stdin="")
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert "cancelled: no password given" in out.stderr


def test_the_role_check_gives_way_when_it_cannot_know(monkeypatch) -> None:
    """A refused token or a server that does not answer is not refused by the role
    check: the app opens and shows it (signed out / reconnecting)."""
    from agentdesk.cli import connection

    assert asyncio.run(connection.who_is("http://127.0.0.1:9", "whatever")) is None
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as server:
        assert asyncio.run(connection.who_is(server.url, "bogus")) is None
        user = asyncio.run(connection.who_is(server.url, _token(server.url, "supervisor")))
        assert user is not None and connection.wrong_role(user, "monitor") is None
        assert connection.wrong_role(user, "desk")


# -- configuration problems and the theme, through the real launcher -------------------------


def _isolate(tmp_path: Path, monkeypatch) -> Path:
    for d in ("CONFIG", "DATA", "STATE", "CACHE"):
        monkeypatch.setenv(f"XDG_{d}_HOME", str(tmp_path / d.lower()))
    config = tmp_path / "config" / "agentdesk" / "config.toml"
    config.parent.mkdir(parents=True)
    monkeypatch.setenv("AGENTDESK_CONFIG_FILE", str(config))
    # Two problems the loader reports, and a timezone only the launcher can check.
    config.write_text('# mine\n[ui]\ntheme = "agentdesk-dark"\ntimezone = "Mars/Olympus"\n'
                      'sort_tabs_by_urgency = "perhaps"\n', encoding="utf-8")
    return config


def _headless(monkeypatch, seen: dict[str, Any]) -> None:
    """Run the launcher's MonitorApp headless: wait for the floor, note the toasts,
    pick a theme as the palette does, quit."""

    async def drive(pilot: Any) -> None:
        app: MonitorApp = pilot.app
        await _until(pilot, lambda: app.loaded and app.link_state == "connected", "loaded",
                     timeout=30)
        await pilot.pause(0.3)
        seen["toasts"] = [(n.title, n.message) for n in app._notifications]
        app.theme = "agentdesk-colorblind"
        await pilot.pause(0.2)
        app.exit(0)

    def run(self: MonitorApp, **_kwargs: Any) -> Any:
        return App.run(self, headless=True, size=(120, 40), auto_pilot=drive)

    monkeypatch.setattr(MonitorApp, "run", run)


def _check(seen: dict[str, Any], config: Path) -> None:
    toasts = seen["toasts"]
    # One toast for all of them (its title counts them), one problem a line.
    config_toasts = [line for t, m in toasts if t.startswith("Configuration")
                     for line in m.splitlines()]
    assert sum("ui.timezone" in m and "Mars/Olympus" in m for m in config_toasts) == 1
    assert sum("sort_tabs_by_urgency" in m for m in config_toasts) == 1
    text = config.read_text(encoding="utf-8")
    assert "# mine" in text
    assert load_settings(config, {}).settings.ui.theme == "agentdesk-colorblind"


def test_monitor_shows_config_problems_and_saves_the_theme(tmp_path: Path, monkeypatch, capsys) -> None:
    from agentdesk.cli import desk

    config = _isolate(tmp_path, monkeypatch)
    seen: dict[str, Any] = {}
    _headless(monkeypatch, seen)
    with running_server(agents=3, bots=3, traffic=False, manual_clock=True) as server:
        monkeypatch.setenv("AGENTDESK_TOKEN", _token(server.url, "supervisor"))
        code = desk.run_monitor(Namespace(server=server.url, user=None, profile=None))
    assert code == 0
    _check(seen, config)
    # Printed before the UI too (it outlives the full-screen UI), the timezone included.
    assert "Mars/Olympus" in capsys.readouterr().err


def test_demo_supervisor_shows_config_problems_and_saves_the_theme(tmp_path: Path, monkeypatch) -> None:
    from agentdesk.cli import demo

    config = _isolate(tmp_path, monkeypatch)
    seen: dict[str, Any] = {}
    _headless(monkeypatch, seen)
    code = demo.run_demo(Namespace(supervisor=True, seed=7, speed=1.0, agents=3))
    assert code == 0
    _check(seen, config)


@pytest.mark.parametrize("state", ["connecting", "connected"])
def test_the_banner_is_hidden_while_live_or_first_connecting(state: str) -> None:
    banner = LinkBanner()
    banner.show(state)
    assert not banner.display
    banner.show("reconnecting", detail="cannot connect (OSError)")
    assert banner.display
