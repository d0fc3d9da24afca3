"""The monitor's link to the server, as the supervisor sees it: the header's
connection state, the banner, signing in again by itself when the server
drops the session (`sign_in_again.py`), and "signed out" when nothing is left
to sign in with. A mixin of `MonitorApp` (one job per file)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from textual.css.query import NoMatches

from agentdesk.ui.monitor.sign_in_again import Outcome

log = logging.getLogger("agentdesk.monitor")

SIGNED_OUT = "signed out"  # link_state once the server refused the token
SIGNING_IN = "signing in again"  # link_state while the monitor signs in by itself


class LinkMixin:
    """Needs of the app: backend, clock, tz, link_state, link_detail, auth_message,
    login_command, sign_in_again, signed_in_again(_at), refusal, notify, screen_stack."""

    backend: Any
    sign_in_again: Any

    async def sign_in_by_itself(self) -> bool:
        """The server refused the token: sign in again with the stored credentials,
        retrying with a backoff while the server cannot be reached. False when there
        is nothing to sign in with or the credentials were refused (a person must)."""
        helper = self.sign_in_again
        if helper is None:
            return False
        attempt = 0
        while True:
            attempt += 1
            self.link_state, self.link_detail = SIGNING_IN, f"attempt {attempt}"
            self._show_link()
            result = await helper.attempt(self.backend, getattr(self.backend, "token", None))
            if result.outcome is Outcome.SIGNED_IN:
                self.signed_in_again += 1
                self.signed_in_again_at = self.clock()
                log.warning("monitor: the server refused the token; signed in again (%s)",
                            result.detail)
                self.link_state, self.link_detail = "connecting", ""
                self._show_link()
                self.notify(f"The server had dropped the session: signed in again as "
                            f"{helper.user} ({result.detail}).", title="Signed in again",
                            timeout=10, markup=False)
                return True
            if result.outcome is Outcome.REFUSED:
                self.refusal = result.detail
                return False
            delay = helper.delay(attempt)
            self.link_detail = f"attempt {attempt} failed: {result.detail}; next in {delay:.0f}s"
            self._show_link()
            await asyncio.sleep(delay)

    def signed_out(self) -> None:
        """The server refused the token: say so where it is seen, once, and stop
        following (the monitor cannot sign in by itself; asking again only
        hammers the server)."""
        if self.link_state == SIGNED_OUT:
            return
        log.warning("monitor: the server refused the token; signed out")
        self.link_state = SIGNED_OUT
        self.link_detail = ""
        how = self.login_command or "agentdesk login --server URL --user NAME"
        why = f" ({self.refusal})" if self.refusal else ""
        self.auth_message = (f"Not authorised: the token was refused{why}. Sign in again: "
                             f"{how}, then restart the monitor.")
        self.notify(self.auth_message, title="Signed out", severity="error", timeout=30,
                    markup=False)
        self._show_link()

    @property
    def link_note(self) -> str:
        """What the header adds to the link state: when the monitor last signed in
        again by itself (so a supervisor sees the wall screen recovered)."""
        if self.signed_in_again_at is None:
            return ""
        from datetime import datetime

        at = datetime.fromtimestamp(self.signed_in_again_at, self.tz).strftime("%H:%M")
        return f"· signed in again {at}"

    def _show_link(self) -> None:
        """The link state on every screen of the stack that shows it."""
        for screen in self.screen_stack:
            show = getattr(screen, "show_link", None)
            if show is not None and getattr(screen, "ready", False):
                try:
                    show(self.link_state)
                except NoMatches:  # shutting down
                    return

    def token_refused(self) -> None:
        """A read was refused (401) outside the event worker (the drill-down): with
        credentials to sign in again, let the worker do it (the stream is asked to
        reconnect, is refused too, and signs in); without, sign out now."""
        if self.sign_in_again is None:
            self.signed_out()
            return
        reconnect = getattr(self.backend, "reconnect", None)
        if reconnect is not None:
            asyncio.ensure_future(reconnect())

