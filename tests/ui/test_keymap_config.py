"""The user's `[keymap]` in the running apps: checked entries reach the desk
(the offer bar names the remapped keys) and the monitor (a remapped key works
and the footer shows it; bad entries are reported and the defaults stay); the
id lists used for checking equal the apps' bindings."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from pathlib import Path

from textual.widgets._footer import FooterKey

import agentdesk.ui
from agentdesk.ui.keymap import MONITOR_BINDING_IDS, check_desk_keymap, desk_binding_ids
from agentdesk.ui.monitor.launch_monitor import make_monitor_app
from agentdesk.ui.screens.desk_support import bound_key

sys.path[:0] = [str(Path(__file__).parent)]

from test_monitor_harness import open_monitor  # noqa: E402


def _binding_ids(prefix: str, skip: str | None = None) -> set[str]:
    """Every binding id declared by a class of the modules under `prefix`."""
    ids: set[str] = set()
    for info in pkgutil.walk_packages(agentdesk.ui.__path__, prefix="agentdesk.ui."):
        if not info.name.startswith(prefix) or (skip and info.name.startswith(skip)):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and obj.__module__ == module.__name__:
                for binding in obj.__dict__.get("BINDINGS", ()):
                    if getattr(binding, "id", None):
                        ids.add(binding.id)
    return ids


def test_desk_id_list_equals_the_bindings():
    assert set(desk_binding_ids()) == _binding_ids("agentdesk.ui", skip="agentdesk.ui.monitor")


def test_monitor_id_list_equals_the_bindings():
    assert set(MONITOR_BINDING_IDS) == _binding_ids("agentdesk.ui.monitor")


def footer_keys(app) -> dict[str, str]:
    return {k.description: k.key_display for k in app.screen.query(FooterKey)}


def banner_text(desk) -> str:
    return str(desk.app.screen.query_one("#banner").render())


async def test_default_offer_bar_names_f2_and_f3(desk_factory):
    async with desk_factory() as desk:
        await desk.offer("chat", text="hi")
        await desk.until(lambda: "accept" in banner_text(desk), what="offer bar")
        assert banner_text(desk).endswith("F2 accept  F3 reject")


async def test_remapped_offer_keys_show_in_the_offer_bar_and_work(desk_factory):
    keymap, problems = check_desk_keymap({
        "offer-accept": "ctrl+a,f2", "help": "nonsense+key+x", "presence-menu": "",
        "no-such-binding": "f5"})
    assert len(problems) == 3 and keymap == {"offer-accept": "ctrl+a,f2"}
    async with desk_factory(keymap=keymap) as desk:
        iid = await desk.offer("chat", text="hi")
        await desk.until(lambda: "accept" in banner_text(desk), what="offer bar")
        # The first key, shown as the footer shows it; offer-reject keeps F3.
        assert banner_text(desk).endswith("^a accept  F3 reject")
        assert bound_key("offer-accept", desk.app) == "^a"
        assert bound_key("offer-reject", desk.app) == "F3"
        # The bad entry for help was dropped: F1 is still Help in the footer.
        await desk.until(lambda: footer_keys(desk.app).get("Help") == "F1", what="F1 Help")
        await desk.pilot.press("ctrl+a")
        await desk.until(lambda: desk.screen.state.interactions[iid].state.value == "active",
                         what="accepted with ctrl+a")


async def test_empty_desk_names_the_remapped_presence_key(desk_factory):
    async with desk_factory(keymap={"presence-menu": "f12"}) as desk:
        empty = lambda: str(desk.app.screen.query_one("#empty").render())  # noqa: E731
        await desk.until(lambda: "No open interactions" in empty(), what="empty desk hint")
        assert "F12 presence" in empty() and "F4" not in empty(), empty()


def test_bound_key_without_an_app_is_the_default():
    assert bound_key("offer-accept") == "F2"
    assert bound_key("tab-most-urgent") == "ctrl+n"


async def test_monitor_applies_the_keymap_and_reports_bad_entries():
    table = {
        "monitor-sort-next": "o",          # applied
        "monitor-quit": "banana",          # bad key: F10 stays
        "monitr-help": "f2",               # unknown id: did you mean
        "offer-accept": "ctrl+a",          # the desk's: skipped silently
    }
    factory = functools.partial(make_monitor_app, keymap=table)
    async with open_monitor(agents=4, traffic=False, app_factory=factory) as mon:
        from agentdesk.ui.monitor.agent_board import AgentBoard

        app = mon.app
        board = app.screen.query_one(AgentBoard)
        await mon.until(lambda: footer_keys(app).get("Sort") == "o", what="footer: o Sort")
        assert footer_keys(app).get("Quit") == "F10"
        before = board.sort_index
        await mon.pilot.press("s")           # no longer bound
        await mon.pilot.pause()
        assert board.sort_index == before
        await mon.pilot.press("o")
        await mon.until(lambda: board.sort_index == (before + 1), what="sorted with o")
        # One configuration toast, one problem a line.
        messages = [line for n in app._notifications for line in n.message.splitlines()]
        assert any(m.startswith("keymap.monitor-quit: 'banana' is not a key") for m in messages)
        assert any(m.startswith("keymap.monitr-help: unknown binding id") and
                   "did you mean monitor-help?" in m for m in messages)
        assert not any("offer-accept" in m for m in messages)
        assert app.is_running


def test_make_monitor_app_without_keymap_sets_none():
    class Inner:
        user = None

    app = make_monitor_app(Inner())  # type: ignore[arg-type]
    assert app._keymap == {}
    table = {"monitor-quit": "x", "quit": ""}
    app = make_monitor_app(Inner(), keymap=table)  # type: ignore[arg-type]
    assert app._keymap == {"monitor-quit": "x"}


def test_desk_launch_drops_and_reports_bad_keymap_entries(monkeypatch, tmp_path):
    """`agentdesk desk`/`demo` hand the app only the good entries, and the bad
    ones join the config's problems (shown once as toasts at start)."""
    import agentdesk.ui.app as app_module
    from agentdesk.config import load_settings
    from agentdesk.ui import launch

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\noffer-accept = "f12"\nhelp = "nonsense+key+x"\n')
    handed: dict = {}

    class NotRun:
        def run(self) -> int:
            return 0

    def make_app(backend, **options):
        handed.update(options)
        return NotRun()

    monkeypatch.setattr(app_module, "make_app", make_app)
    launch.run_desk_app("http://127.0.0.1:9", "agent1", None, load_settings(config, {}), None)
    assert handed["keymap"] == {"offer-accept": "f12"}
    assert [p for p in handed["startup_problems"] if p.startswith("keymap.help")]
