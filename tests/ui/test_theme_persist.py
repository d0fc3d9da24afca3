"""A theme switched live (as the palette does) is written to the config file and
comes back on the next start; user theme files are offered too."""

from __future__ import annotations

from agentdesk.backends.native import NativeBackend
from agentdesk.config import load_settings, save_setting
from agentdesk.ui.app import make_app


async def test_live_theme_switch_persists(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("# mine\n[ui]\ntheme = \"agentdesk-dark\"\n")
    saved: list[str] = []

    def persist(name: str) -> None:
        saved.append(name)
        save_setting("ui", "theme", name, config)

    app = make_app(NativeBackend("http://127.0.0.1:9"), username="agent1",
                   store_path=tmp_path / "desk.db", theme=load_settings(config, {}).settings.ui.theme,
                   on_theme_change=persist)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == "agentdesk-dark"
        assert {"agentdesk-light", "agentdesk-high-contrast", "agentdesk-colorblind"} <= set(app.available_themes)
        app.theme = "agentdesk-colorblind"  # what the palette's theme command does
        await pilot.pause(0.2)
    assert saved == ["agentdesk-colorblind"]
    text = config.read_text()
    assert "# mine" in text
    assert load_settings(config, {}).settings.ui.theme == "agentdesk-colorblind"


async def test_broken_user_theme_is_reported_once_and_skipped(tmp_path, monkeypatch):
    themes = tmp_path / "config" / "agentdesk" / "themes"
    themes.mkdir(parents=True)
    (themes / "broken.toml").write_text('name = "broken"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = make_app(NativeBackend("http://127.0.0.1:9"), username="agent1",
                   store_path=tmp_path / "desk.db", theme="broken")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause(0.2)
        messages = [n.message for n in app._notifications]
        assert sum("theme files were skipped" in m for m in messages) == 1
        assert sum("Unknown theme 'broken'" in m for m in messages) == 1
        assert app.theme == "agentdesk-dark"
