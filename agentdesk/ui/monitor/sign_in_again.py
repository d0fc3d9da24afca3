"""Signing an unattended monitor in again after the server forgot its session
(a restart without `--db`, a token revoked by an admin). Textual-free.

What is tried, in order, on each attempt:

1. the stored token (the OS keyring, `AGENTDESK_TOKEN`), read again now: if it
   differs from the refused one (someone ran `agentdesk login` since), it is
   checked with `GET /v1/me`;
2. the password typed when the monitor started, kept in this process's memory
   only (never written anywhere), with `POST /v1/login`.

An attempt that cannot reach the server (the server is still starting, busy,
rate limited) is retried with an exponential backoff; only a refusal of the
stored credentials (no password kept, or the password refused) needs a person.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from agentdesk.backends.base import AgentDeskError, BackendAuthError

log = logging.getLogger("agentdesk.monitor")


class Outcome(StrEnum):
    SIGNED_IN = "signed in"
    REFUSED = "refused"  # a person must sign in: nothing left to try
    UNREACHABLE = "unreachable"  # try again after a backoff


@dataclass(frozen=True, slots=True)
class Attempt:
    outcome: Outcome
    detail: str  # how it signed in ("stored token", "password"), or why not


@dataclass
class SignInAgain:
    """The credentials an unattended monitor may use to sign in again by itself."""

    user: str
    password: str | None = None
    stored_token: Callable[[], str | None] | None = None
    first_delay_s: float = 1.0
    max_delay_s: float = 60.0
    jitter: float = 0.1

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt `attempt` (1, 2, ...): doubling up to
        `max_delay_s`, with a little jitter so a wall of monitors does not stampede."""
        base = min(self.max_delay_s, self.first_delay_s * 2 ** max(0, attempt - 1))
        return base * (1 + random.uniform(0, self.jitter))

    async def attempt(self, backend: Any, refused_token: str | None) -> Attempt:
        """One try; the backend's token is replaced when it succeeds."""
        token = self._stored()
        if token and token != refused_token:
            try:
                await backend.use_token(token)
                return Attempt(Outcome.SIGNED_IN, "stored token")
            except BackendAuthError:
                log.info("monitor: the stored token was refused too")
            except AgentDeskError as exc:
                return Attempt(Outcome.UNREACHABLE, exc.message)
        if not self.password:
            return Attempt(Outcome.REFUSED, "no other stored credentials")
        try:
            await backend.login(self.user, self.password)
        except BackendAuthError as exc:
            return Attempt(Outcome.REFUSED, f"the password of {self.user} was refused "
                                            f"({exc.message})")
        except AgentDeskError as exc:
            return Attempt(Outcome.UNREACHABLE, exc.message)
        return Attempt(Outcome.SIGNED_IN, "password")

    def _stored(self) -> str | None:
        if self.stored_token is None:
            return None
        try:
            return self.stored_token()
        except Exception:
            log.warning("monitor: reading the stored token failed", exc_info=True)
            return None
