"""The desk and the monitor apps built and run for the command line
(`agentdesk desk`, `demo`, `monitor`; the handlers are in agentdesk/cli): the
settings turned into app options, the backend built through the registry
(`--backend NAME`, the profile's `backend`, default `agentdesk`), and the
choices the user makes in the app (theme, tab sort) saved to the config.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from agentdesk.backend_choice import NATIVE, BackendChoice, create_session, spec_for
from agentdesk.store.paths import data_dir

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import tzinfo

    from agentdesk.backends.base import Backend
    from agentdesk.config import LoadedSettings

# Start-up time matters (docs/benchmarks.md "## Desk"): the client stack
# (the HTTP wire, websockets) and the keyring are imported where they are first
# needed, so `agentdesk demo` paints its desk before loading them.


def store_path_for(server: str, user: str, backend: str = "agentdesk") -> Path:
    """One outbox/drafts file per backend, server identity and user: queued
    commands must never be replayed against another account. A server's
    identity is its URL, except the demo's, whose port changes every start
    (store/demo_world.py). (agentdesk/1 keeps its file name of before backends
    had names, so nothing queued is orphaned by an upgrade.)"""
    import hashlib

    name = f"{server}|{user}" if backend == "agentdesk" else f"{backend}|{server}|{user}"
    key = hashlib.sha256(name.encode()).hexdigest()[:16]
    return data_dir() / f"desk-{key}.db"


def persist_theme(loaded: LoadedSettings) -> Callable[[str], None]:
    def save(name: str) -> None:
        from agentdesk.config import save_setting

        try:
            save_setting("ui", "theme", name, loaded.path)
        except (OSError, ValueError):
            pass  # an unwritable config must not break a theme switch

    return save


def persist_sort(loaded: LoadedSettings) -> Callable[[bool], None]:
    def save(by_urgency: bool) -> None:
        from agentdesk.config import save_setting

        try:
            save_setting("ui", "sort_tabs_by_urgency", by_urgency, loaded.path)
        except (OSError, ValueError):
            pass  # an unwritable config must not break the tab sort

    return save


def close_backend(backend: Backend | None) -> None:
    if backend is None:  # never built: the desk quit before it connected
        return
    try:
        asyncio.run(backend.close())
    except Exception:
        pass


def run_desk_app(url: str, user: str, token: str | None, loaded: LoadedSettings,
                  tz: tzinfo | None, sign_in: tuple[str, str] | None = None,
                  choice: BackendChoice = NATIVE, demo: bool = False,
                  identity: str | None = None) -> int:
    from agentdesk.ui.app import make_app
    from agentdesk.ui.keymap import check_desk_keymap

    settings = loaded.settings
    # Bad [keymap] entries are dropped (the default keys stay) and reported
    # with the config's other problems.
    keymap, keymap_problems = check_desk_keymap(settings.keymap)
    built: list[Backend] = []

    def backend() -> Backend:
        # Built in a worker thread when the desk starts following (the demo:
        # after its first frame; a signed-in desk, whose role check imported the
        # client stack already, when its screen mounts): never on the UI loop.
        built.append(spec_for(choice).create(url, token=token, options=choice.options()))
        return built[0]

    app = make_app(
        backend,
        sign_in=sign_in,
        username=user,
        store_path=store_path_for(identity or url, user, choice.name),
        keymap=keymap,
        notifications=settings.notifications.as_options(),
        theme=settings.ui.theme,
        sort_by_urgency=settings.ui.sort_tabs_by_urgency,
        tz=tz,
        startup_problems=[*loaded.problems, *keymap_problems],
        on_theme_change=persist_theme(loaded),
        demo=demo,
        on_sort_change=persist_sort(loaded),
    )
    result = app.run()
    close_backend(built[0] if built else None)
    return int(result or 0)


def run_monitor_app(url: str, token: str, loaded: LoadedSettings, tz: tzinfo | None,
                     user: str = "supervisor", choice: BackendChoice = NATIVE,
                     password: str | None = None, wall: bool = False) -> int:
    from agentdesk.credentials import load_token
    from agentdesk.ui.monitor.launch_monitor import (
        apply_alert_settings,
        apply_view_settings,
        make_monitor_app,
    )
    from agentdesk.ui.monitor.sign_in_again import SignInAgain

    backend = create_session(choice, url, token, "monitor")
    app = make_monitor_app(backend, theme=loaded.settings.ui.theme, tz=tz,
                           keymap=loaded.settings.keymap)
    # As the desk: config problems as toasts (stderr is covered by the full-screen
    # UI), a theme picked in the palette saved to the config, and the command
    # that signs in again should the server refuse the token.
    app.startup_problems = list(loaded.problems)
    apply_alert_settings(app, loaded.settings.monitor.alerts)
    apply_view_settings(app, loaded.settings.monitor, user)
    app.start_wall = wall
    app.on_theme_change = persist_theme(loaded)
    flag = "" if choice.name == NATIVE.name else f" --backend {choice.name}"
    app.login_command = f"agentdesk login{flag} --server {url} --user {user or 'NAME'}"
    # An unattended wall screen signs in again by itself when the server drops
    # the session (docs/monitor.md "Signing in"): stored token, else the password.
    if user:
        app.sign_in_again = SignInAgain(user, password,
                                        stored_token=lambda: load_token(url, user, choice.name))
    result = app.run()
    close_backend(backend)
    return int(result or 0)
