"""Read-only, for real: every binding of every monitor screen and every palette
command, run against the real mock server, sends no mutating request and calls
no backend command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import COMMAND_METHODS, Monitor, open_monitor  # noqa: E402

from agentdesk.ui.monitor.commands import MonitorCommands  # noqa: E402
from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen  # noqa: E402
from agentdesk.ui.monitor.monitor_screen import MonitorScreen  # noqa: E402

QUIT_ACTIONS = {"quit", "app.quit"}
# Keys that end up quitting: ctrl+c copies a selection and, with none, falls
# through to the app's quit binding. Pressed last, like the other quit keys.
QUIT_KEYS = {"ctrl+c", "ctrl+q"}
ALLOWED_CALLS = {"list_queues", "list_agents", "get_stats", "get_stats_history",
                 "list_interactions", "get_timeline", "events", "server_now", "me"}


async def _back_to(mon: Monitor, screen_type: type) -> None:
    """Undo navigation a key caused (a modal, the palette, a drill-down, the way back)."""
    for attempt in range(8):
        if isinstance(mon.app.screen, screen_type):
            return
        if isinstance(mon.app.screen, MonitorScreen) and screen_type is DrilldownScreen:
            await mon.drilldown(mon.extra["agent"])
            continue
        if isinstance(mon.app.screen, DrilldownScreen) and screen_type is MonitorScreen:
            mon.app.pop_screen()
        else:
            await mon.pilot.press("escape")
        await mon.settle(0.05 * (attempt + 1))
    assert isinstance(mon.app.screen, screen_type), f"stuck on {mon.app.screen!r}"


async def _walk_bindings(mon: Monitor, screen_type: type) -> list[str]:
    """Focus every focusable widget of the screen in turn and press every key
    bound in its focus chain (except quit, pressed last by the caller). Keys of
    the screen and the app are pressed once, a widget's own keys per widget."""
    pressed: list[str] = []
    shared_done: set[str] = set()
    focusables = [w.id or type(w).__name__ for w in mon.app.screen.query("*") if w.focusable]
    assert focusables
    for name in focusables:
        await _back_to(mon, screen_type)
        widget = mon.app.screen.query_one(f"#{name}" if name[0].islower() else name)
        widget.focus()
        await mon.settle(0.02)
        keys: set[str] = set()
        for key, active in mon.app.active_bindings.items():
            if active.binding.action in QUIT_ACTIONS or key in QUIT_KEYS:
                continue
            if active.node is widget:
                keys.add(key)
            elif key not in shared_done:
                keys.add(key)
                shared_done.add(key)
        for key in sorted(keys):
            await _back_to(mon, screen_type)
            widget = mon.app.screen.query_one(f"#{name}" if name[0].islower() else name)
            if not widget.has_focus:
                widget.focus()
                await mon.settle(0.02)
            await mon.pilot.press(key)
            await mon.settle(0.01)
            pressed.append(f"{type(widget).__name__}:{key}")
    await _back_to(mon, screen_type)
    return pressed


async def _run_palette(mon: Monitor, screen_type: type) -> list[str]:
    """Run every command the monitor's palette offers on this screen."""
    ran: list[str] = []
    provider = MonitorCommands(mon.app.screen)
    for text, callback, _help, _disc in provider._commands():
        await _back_to(mon, screen_type)
        mon.app.call_later(callback)
        await mon.settle(0.05)
        ran.append(text)
    for command in mon.app.get_system_commands(mon.app.screen):
        if command.title == "Quit":
            continue
        await _back_to(mon, screen_type)
        mon.app.call_later(command.callback)
        await mon.settle(0.2)
        ran.append(command.title)
    await _back_to(mon, screen_type)
    # And the palette itself, driven by keys.
    await mon.pilot.press("ctrl+p")
    await mon.settle(0.1)
    await mon.pilot.press(*"monitor")
    await mon.settle(0.3)
    await mon.pilot.press("down", "enter")
    await mon.settle(0.2)
    await _back_to(mon, screen_type)
    return ran


def _assert_read_only(mon: Monitor) -> None:
    called = set(mon.backend.calls)
    assert not called & COMMAND_METHODS, f"command methods called: {called & COMMAND_METHODS}"
    assert called <= ALLOWED_CALLS | {"close"}, f"unexpected calls: {called - ALLOWED_CALLS}"
    mutating = [(m, p) for m, p in mon.transport.requests
                if m != "GET" and not (m == "POST" and p == "/v1/login")]
    assert mutating == [], f"mutating requests sent: {mutating}"
    assert any(p == "/v1/customers" or p.startswith("/v1/customers/")
               for _m, p in mon.transport.requests), "the drill-down never loaded a timeline"
    assert ("GET", "/v1/stats/history") in mon.transport.requests, "trends were not backfilled"


async def test_every_binding_and_palette_command_is_read_only(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.chdir(tmp_path)  # the palette's screenshot command writes here
    async with open_monitor(agents=8, warmup_s=120) as mon:
        iid = await mon.sim.new_contact("voice")
        await mon.advance(30, step=3)
        await mon.flushed()
        assert isinstance(mon.app.screen, MonitorScreen)

        pressed = await _walk_bindings(mon, MonitorScreen)
        assert any(p.endswith(":s") for p in pressed) and any(p.endswith(":r") for p in pressed)
        ran = await _run_palette(mon, MonitorScreen)
        assert any(r.startswith("monitor: sort agents by") for r in ran)
        assert any(r.startswith("monitor: open agent") for r in ran)

        holder = mon.app.floor.interactions[iid].agent_id or next(iter(mon.app.floor.agents))
        mon.extra["agent"] = holder
        await mon.drilldown(holder)
        pressed_dd = await _walk_bindings(mon, DrilldownScreen)
        assert any(p.startswith("Timeline:") for p in pressed_dd)
        ran_dd = await _run_palette(mon, DrilldownScreen)
        assert "monitor: back to the wallboard" in ran_dd

        _assert_read_only(mon)
        # Quit last: it only ends the app.
        await mon.pilot.press("f10")
        await mon.settle()
        _assert_read_only(mon)
