"""A theme switched live (as the palette does) is written to the config file and
comes back on the next start; user theme files are offered too."""

from __future__ import annotations

from agentdesk.backends.native import NativeBackend
from agentdesk.config import load_settings, save_setting
from agentdesk.ui.app import make_app
from tools.screenshots.still import StillDeskApp


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


async def _computed_styles(tmp_path, name: str, theme: str | None, switch_to: str | None) -> dict:
    app = StillDeskApp(NativeBackend("http://127.0.0.1:9"), username="agent1",
                       store_path=tmp_path / f"{name}.db", theme=theme,
                       clock=lambda: 1_700_000_000.0)
    async with app.run_test(size=(100, 30)) as pilot:
        if switch_to is not None:
            app.theme = switch_to
        await pilot.pause(0.3)
        assert app.theme == (switch_to or theme)
        dark = app.current_theme.dark
        assert app.has_class(f"-theme-{app.theme}", "-dark-mode" if dark else "-light-mode")
        assert not app.has_class("-light-mode" if dark else "-dark-mode")
        # What the theme decides, widget by widget (the text on screen depends on
        # connection timing, the colours must not).
        # Widgets with an id, but not the banner: which footer keys exist and the
        # banner's level (connecting / connection lost) depend on timing.
        desk = app.desk
        widgets = {(w.css_identifier, " ".join(sorted(w.classes)), str(w.styles.background),
                    str(w.styles.color), str(w.styles.border))
                   for w in [desk, *desk.walk_children()] if w.id not in (None, "banner")}
        return {"variables": dict(app.theme_variables), "widgets": widgets}


async def test_starting_in_a_theme_looks_exactly_like_switching_to_it(tmp_path):
    """The start-up theme is applied without the CSS re-parse a live switch
    costs (themes.set_initial_theme); every widget must get the same colours."""
    for theme in ("agentdesk-light", "agentdesk-high-contrast"):
        started = await _computed_styles(tmp_path, f"start-{theme}", theme, None)
        switched = await _computed_styles(tmp_path, f"switch-{theme}", "agentdesk-dark", theme)
        assert started["variables"] == switched["variables"], theme
        assert started == switched, theme
