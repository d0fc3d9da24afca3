"""Demo users and bearer tokens of the mock server.

Users: agent1..agentN (role agent) and supervisor (role supervisor), all with
the password `demo`. A token lives `token_ttl_s` seconds of wall time from its
login (12 hours by default: one shift; `--token-ttl`), until `POST /v1/logout`
revokes it, or until the user has more than MAX_TOKENS_PER_USER live tokens
(the oldest goes first), so a flood of logins cannot grow the table forever.
Wall time, not the simulation clock: a frozen or fast test clock must not make
a token immortal or short-lived.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable

from agentdesk.domain.models import Role, User

DEMO_PASSWORD = "demo"
DEFAULT_TOKEN_TTL_S = 12 * 3600.0
MAX_TOKENS_PER_USER = 200


class Auth:
    def __init__(self, agents: int, token_ttl_s: float = DEFAULT_TOKEN_TTL_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.users: dict[str, User] = {
            f"agent{i}": User(id=f"agent{i}", name=f"Agent {i}", role=Role.AGENT)
            for i in range(1, agents + 1)
        }
        self.users["supervisor"] = User(id="supervisor", name="Supervisor", role=Role.SUPERVISOR)
        self.token_ttl_s = token_ttl_s
        self.clock = clock
        self.tokens: dict[str, str] = {}  # token -> user id, oldest first
        self.expires: dict[str, float] = {}  # token -> wall time it stops working
        self.new_tokens: list[tuple[str, str, float]] = []  # for persistence
        self.revoked: list[str] = []  # for persistence

    def login(self, username: str, password: str) -> tuple[str, User] | None:
        user = self.users.get(username)
        if user is None or not hmac.compare_digest(password.encode(), DEMO_PASSWORD.encode()):
            return None
        self._prune(user.id)
        token = secrets.token_urlsafe(24)
        self.add(token, user.id, self.clock() + self.token_ttl_s)
        self.new_tokens.append((token, user.id, self.expires[token]))
        return token, user

    def add(self, token: str, user_id: str, expires_at: float) -> None:
        self.tokens[token] = user_id
        self.expires[token] = expires_at

    def user_for(self, token: str | None) -> User | None:
        if not token:
            return None
        user_id = self.tokens.get(token)
        if user_id is None:
            return None
        if self.expires.get(token, 0.0) <= self.clock():
            self.revoke(token)
            return None
        return self.users.get(user_id)

    def revoke(self, token: str) -> bool:
        """Forget a token (logout, expiry); True if it was known."""
        if self.tokens.pop(token, None) is None:
            return False
        self.expires.pop(token, None)
        self.revoked.append(token)
        return True

    def _prune(self, user_id: str) -> None:
        """Drop expired tokens, and this user's oldest beyond the per-user cap."""
        now = self.clock()
        for token in [t for t, at in self.expires.items() if at <= now]:
            self.revoke(token)
        mine = [t for t, u in self.tokens.items() if u == user_id]
        for token in mine[: max(0, len(mine) - MAX_TOKENS_PER_USER + 1)]:
            self.revoke(token)
