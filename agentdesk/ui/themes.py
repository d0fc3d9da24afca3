"""Themes of the desk and the monitor, built from the TOML theme files.

The colours live in `agentdesk/data/themes/*.toml` (built-in) and
`<config dir>/themes/*.toml` (the user's), parsed and checked by
`agentdesk.theme_files`; this module only turns them into Textual themes and
registers them. CSS uses variable names only.

`APP_VARIABLE_DEFAULTS` is what `App.get_theme_variable_defaults()` returns, so
Textual's own themes (switchable from the palette) still render the desk.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.theme import Theme

from agentdesk.theme_files import BUILTIN_DIR, ThemeSpec, load_theme_dir, user_theme_dir
from agentdesk.ui.textual_compat import refresh_truecolor_filter

DEFAULT_THEME = "agentdesk-dark"


def to_textual_theme(spec: ThemeSpec) -> Theme:
    colors = spec.colors
    return Theme(
        name=spec.name,
        primary=colors["primary"],
        secondary=colors["secondary"],
        accent=colors["accent"],
        warning=colors["warning"],
        error=colors["error"],
        success=colors["success"],
        foreground=colors["foreground"],
        background=colors["background"],
        surface=colors["surface"],
        panel=colors["panel"],
        dark=spec.dark,
        variables=dict(spec.variables),
    )


def _builtin() -> tuple[Theme, ...]:
    specs, problems = load_theme_dir(BUILTIN_DIR)  # read once, at import
    if problems:  # a broken built-in theme is a packaging bug: fail loudly
        raise RuntimeError("; ".join(problems))
    seen: dict[str, Theme] = {}
    for spec in specs:
        seen.setdefault(spec.name, to_textual_theme(spec))
    return tuple(seen.values())


BUILTIN_THEMES: tuple[Theme, ...] = _builtin()
_BY_NAME = {t.name: t for t in BUILTIN_THEMES}
DESK_DARK = _BY_NAME["agentdesk-dark"]
DESK_LIGHT = _BY_NAME["agentdesk-light"]
APP_VARIABLE_DEFAULTS: dict[str, str] = dict(DESK_DARK.variables)


def register_themes(app: App, wanted: str | None, report: Callable[[str], None]) -> str:
    """Register built-in and user themes on `app`; return the theme to use.

    Broken user theme files are reported once (through `report`) and skipped;
    an unknown `wanted` theme falls back to the default with a message.
    """
    for theme in BUILTIN_THEMES:
        app.register_theme(theme)
    specs, problems = load_theme_dir(user_theme_dir())  # a user theme may replace a built-in
    for spec in specs:
        app.register_theme(to_textual_theme(spec))
    if problems:
        report("Some theme files were skipped:\n" + "\n".join(problems))
    name = wanted or DEFAULT_THEME
    if name not in app.available_themes:
        report(f"Unknown theme {name!r}; using {DEFAULT_THEME}.")
        name = DEFAULT_THEME
    return name


def set_initial_theme(app: App, name: str) -> None:
    """Start `app` in theme `name`, before it runs, without the full CSS
    re-parse that assigning `app.theme` schedules (its watcher re-parses every
    stylesheet, ~25-50 ms of start-up). Before the first parse it is enough to
    hand the stylesheet the theme's variables and set the classes the watcher
    would set; live switches still go through `app.theme`."""
    app.set_reactive(App.theme, name)
    app.stylesheet.set_variables(app.get_css_variables())
    dark = app.current_theme.dark
    classes = {c: False for c in app.classes if c.startswith("-theme-")}
    classes.update({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
    app.update_classes(classes, update=False)
    refresh_truecolor_filter(app)
