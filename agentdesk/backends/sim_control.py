"""Drive the mock server's simulation (`/sim/...`) for tests, the demo and benches.

Not part of the Backend interface: only the mock server offers these
endpoints, and only while bound to loopback (no token needed there).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from agentdesk.backends.base import BackendConnectionError
from agentdesk.backends.http import JsonApi, RetryPolicy
from agentdesk.backends.http_wire import Exchange
from agentdesk.domain.models import Channel


class SimControl:
    """A small async client of the /sim endpoints."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        transport: Exchange | None = None,
    ) -> None:
        # No retries: /sim requests carry no idempotency key, and a retried
        # "new contact" whose answer was lost would create a second customer.
        self._api = JsonApi(
            base_url, timeout=timeout, retry=RetryPolicy(attempts=1), transport=transport
        )

    async def __aenter__(self) -> SimControl:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._api.aclose()

    async def new_contact(self, channel: Channel | str, **fields: Any) -> str:
        """A new inbound contact (customer_id, topic, text, subject, queue_id optional);
        returns its interaction id."""
        extra = {k: v for k, v in fields.items() if v is not None}
        body = {"channel": str(Channel(channel)), **extra}
        reply = await self._api.call("POST", "/sim/contacts", body=body)
        return str(_field(reply, "interaction_id", str))

    async def customer_message(self, interaction_id: str, text: str,
                               attachments: list[dict[str, Any]] | None = None) -> None:
        await self._api.call("POST", _ix_path(interaction_id, "customer-message"),
                             body={"text": text, **({"attachments": attachments} if attachments else {})})

    async def typing(self, interaction_id: str, typing: bool = True) -> None:
        """The customer starts (or stops) typing."""
        await self._api.call("POST", _ix_path(interaction_id, "typing"), body={"typing": typing})

    async def end(self, interaction_id: str) -> None:
        """The customer leaves (digital) or hangs up (voice)."""
        await self._api.call("POST", _ix_path(interaction_id, "end"), body={})

    async def advance(self, seconds: float) -> float:
        """Move the manual clock forward; returns the new sim time when the server says it."""
        reply = await self._api.call("POST", "/sim/clock", body={"advance_s": seconds})
        now = reply.get("now") if isinstance(reply, dict) else None
        return float(now) if isinstance(now, (int, float)) else await self.now()

    async def now(self) -> float:
        reply = await self._api.call("GET", "/sim/clock")
        return float(_field(reply, "now", (int, float)))

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """Any other /sim endpoint a scenario needs (sanitised JSON reply)."""
        return await self._api.call("POST", path, body=body or {})


def _ix_path(interaction_id: str, verb: str) -> str:
    return f"/sim/interactions/{quote(interaction_id, safe='')}/{verb}"


def _field(reply: Any, name: str, kind: type | tuple[type, ...]) -> Any:
    value = reply.get(name) if isinstance(reply, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BackendConnectionError(f"/sim reply has no valid {name!r}")
    return value
