"""One browser session of `agentdesk serve --server URL`.

textual-serve starts this module once per browser connection. It runs the
agent desk with no token at all: neither `AGENTDESK_TOKEN` nor the keyring of
the account that runs `agentdesk serve` is read, so a browser never works as
the serving account. The desk's first sign-in asks this browser's user in a
sign-in screen (`WebBackend.login`); a refused password shows the desk's usual
"sign in again" dialog. Outbox and drafts live in a private temporary folder
for the session (different people sign in through the same server process
tree, and queued commands must never be replayed for another account) and
are deleted when the session ends.

Failures before the app starts would leave the browser on textual-serve's
splash screen, so nothing here can fail before the first frame: a missing
server URL is shown in the app.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from agentdesk.backends.base import AgentDeskError, BackendAuthError
from agentdesk.backends.native import NativeBackend
from agentdesk.domain.models import Role
from agentdesk.ui.modals.relogin_dialog import Credentials

FIRST_SIGN_IN = ("", "")  # what the desk is told to sign in with: "ask the browser's user"

Ask = Callable[[str], Awaitable[Credentials | None]]


class WebBackend(NativeBackend):
    """A NativeBackend whose first sign-in asks the person at the browser."""

    def __init__(self, base_url: str, ask: Ask, quit_app: Callable[[], None]) -> None:
        super().__init__(base_url)
        self._ask = ask
        self._quit_app = quit_app
        self._last_error = ""

    async def login(self, username: str, password: str) -> str:
        if username:  # the desk's "sign in again" dialog: credentials already typed
            return await self._checked_login(username, password)
        # FIRST_SIGN_IN: ask until the server takes the credentials. A server that
        # does not answer is raised: the desk retries, and this asks again with why.
        while True:
            creds = await self._ask(self._last_error)
            if creds is None:
                self._quit_app()
                raise asyncio.CancelledError  # the desk's worker ends with the app
            try:
                return await self._checked_login(creds.username, creds.password)
            except BackendAuthError as exc:
                self._last_error = exc.message
            except AgentDeskError as exc:
                self._last_error = exc.message
                raise

    async def _checked_login(self, username: str, password: str) -> str:
        token = await super().login(username, password)
        if self.user is not None and self.user.role is Role.SUPERVISOR:
            await self.logout()
            raise BackendAuthError(f"{username} is a supervisor: this browser desk is for "
                                   "agents (supervisors use `agentdesk monitor`)")
        self._last_error = ""
        return token


def build_app(url: str, store_dir: Path) -> Any:
    """The desk app of one browser session (see the module docstring)."""
    from agentdesk.config import load_settings
    from agentdesk.ui.app import make_app
    from agentdesk.ui.keymap import check_desk_keymap
    from agentdesk.ui.web.sign_in_screen import SignInScreen

    loaded = load_settings()
    keymap, keymap_problems = check_desk_keymap(loaded.settings.keymap)
    app: Any = None

    async def ask(error: str) -> Credentials | None:
        done: asyncio.Future[Credentials | None] = asyncio.get_running_loop().create_future()
        app.push_screen(SignInScreen(url, error), done.set_result)
        return await done

    app = make_app(
        lambda: WebBackend(url, ask, lambda: app.exit(0)),
        sign_in=FIRST_SIGN_IN,
        username=None,
        store_path=store_dir / "desk.db",
        keymap=keymap,
        notifications=loaded.settings.notifications.as_options(),
        theme=loaded.settings.ui.theme,
        sort_by_urgency=loaded.settings.ui.sort_tabs_by_urgency,
        startup_problems=[*loaded.problems, *keymap_problems],
    )
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agentdesk.ui.web")
    parser.add_argument("--server", required=True, metavar="URL")
    args = parser.parse_args(argv)
    store_dir = Path(tempfile.mkdtemp(prefix="agentdesk-web-"))
    try:
        return int(build_app(args.server, store_dir).run() or 0)
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)
