"""Demo users and bearer tokens of the mock server.

Users: agent1..agentN (role agent) and supervisor (role supervisor), all with
the password `demo`. Tokens are random and never expire while the server (or
its --db) lives.
"""

from __future__ import annotations

import hmac
import secrets

from agentdesk.domain.models import Role, User

DEMO_PASSWORD = "demo"


class Auth:
    def __init__(self, agents: int) -> None:
        self.users: dict[str, User] = {
            f"agent{i}": User(id=f"agent{i}", name=f"Agent {i}", role=Role.AGENT)
            for i in range(1, agents + 1)
        }
        self.users["supervisor"] = User(id="supervisor", name="Supervisor", role=Role.SUPERVISOR)
        self.tokens: dict[str, str] = {}  # token -> user id
        self.new_tokens: list[tuple[str, str]] = []  # for persistence

    def login(self, username: str, password: str) -> tuple[str, User] | None:
        user = self.users.get(username)
        if user is None or not hmac.compare_digest(password.encode(), DEMO_PASSWORD.encode()):
            return None
        token = secrets.token_urlsafe(24)
        self.tokens[token] = user.id
        self.new_tokens.append((token, user.id))
        return token, user

    def user_for(self, token: str | None) -> User | None:
        if not token:
            return None
        user_id = self.tokens.get(token)
        return self.users.get(user_id) if user_id else None
