"""Schemathesis hooks for test_schemathesis.py (loaded with SCHEMATHESIS_HOOKS).

Every case is sent as agent1 with a token from a real login. `POST /v1/logout`
revokes the token it is sent with, so its cases get a token of their own (and a
revoked one is fetched again on the next 401), and the other operations keep
testing more than 401s.
"""

from __future__ import annotations

import os

import httpx
import schemathesis

URL = os.environ["AGENTDESK_ST_URL"]


def _key(case, ctx) -> str:
    return "logout" if case.path == "/v1/logout" else "api"


@schemathesis.auth(cache_by_key=_key)
class AgentToken:
    def get(self, case, ctx):
        reply = httpx.post(f"{URL}/v1/login", json={"username": "agent1", "password": "demo"},
                           timeout=30)
        reply.raise_for_status()
        return reply.json()["token"]

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
