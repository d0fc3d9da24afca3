"""Chatwoot's REST Application API: paths, and Chatwoot's dialect of the shared
transport (`backends/http.py`: timeouts, retries with backoff, the capped read,
status mapping): the `api_access_token` header and its error bodies.

Answers are read with the same 32 MiB cap as the native backend, decoded and
passed through `sanitize_tree` before anything sees them; failures come out as
the three `AgentDeskError`s (401 -> BackendAuthError, other 4xx ->
BackendCommandError, network / timeouts / 5xx / 429 / a body that is not JSON
-> BackendConnectionError). Retries (`RetryPolicy`) are only for calls that are
idempotent by nature; creating a message is not, and is never retried here
(the backend's echo matching decides, see `outbound.py`).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

from agentdesk.backends.base import (
    BackendCommandError,
)
from agentdesk.backends.http import HttpTransport, RetryPolicy, _Transient
from agentdesk.backends.http_wire import Exchange, WireResponse
from agentdesk.protocol.sanitize import sanitize_text

log = logging.getLogger("agentdesk.backend.chatwoot")

# The header Chatwoot's Api::BaseController reads (and the swagger's userApiKey).
# Behind nginx, `underscores_in_headers on` is needed (Chatwoot's own nginx guide sets it).
TOKEN_HEADER = "api_access_token"


class ChatwootRest(HttpTransport):
    """The shared transport in Chatwoot's dialect; `account` scopes the account paths."""

    log = log

    def __init__(self, base_url: str, *, timeout: float = 10.0, retry: RetryPolicy | None = None,
                 transport: Exchange | None = None) -> None:
        super().__init__(base_url, timeout=timeout, retry=retry, transport=transport)
        self.account: str | None = None

    def acct(self, path: str) -> str:
        """`/api/v1/accounts/{account}` + path."""
        if not self.account:
            raise BackendCommandError("no Chatwoot account chosen yet (sign in first)",
                                      status=400, code="no_account")
        return f"/api/v1/accounts/{seg(self.account)}{path}"

    def conv(self, conversation_id: str, path: str = "") -> str:
        return self.acct(f"/conversations/{seg(conversation_id)}{path}")

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return await self.request("GET", path, params=params)

    async def post(self, path: str, body: dict[str, Any] | None = None, *,
                   retry: bool = True) -> Any:
        return await self.request("POST", path, body=body if body is not None else {},
                                  retry=retry)

    async def request(self, method: str, path: str, *, body: dict[str, Any] | None = None,
                      params: dict[str, Any] | None = None, retry: bool = True,
                      auth: bool = True) -> Any:
        """Send one request; the sanitised JSON answer (None for an empty body).
        Paths hold ids only; the token is in a header."""
        return await self.call(method, path, body=body, params=params, retry=retry, auth=auth)

    # -- Chatwoot's dialect -------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {TOKEN_HEADER: self.token} if self.token else {}

    def server_error(self, raw: bytes, status: int) -> str:
        return f"server error {status}{_suffix(error_message(raw))}"

    def rate_limited(self, response: WireResponse) -> _Transient:
        return _Transient("Chatwoot is rate limiting this client (429)")

    def unauthorized(self, raw: bytes) -> str:
        return error_message(raw) or "the Chatwoot token is not valid"

    def refused(self, raw: bytes, status: int, what: str) -> BackendCommandError:
        message = error_message(raw) or f"Chatwoot refused {what} ({status})"
        return BackendCommandError(message, status=status, code=_code(status))


def error_message(raw: bytes) -> str:
    """The human message of a Chatwoot error body, whichever of its shapes:
    {"error": "..."}, {"errors": ["..."]}, {"message": "..."}, {"error": {"message"}}."""
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(obj, dict):
        return ""
    for key in ("error", "message", "errors"):
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("message") or value.get("full_messages")
        if isinstance(value, list):
            value = "; ".join(v for v in value if isinstance(v, str))
        if isinstance(value, str) and value.strip():
            return sanitize_text(value.strip(), 300).replace("\n", " ")
    return ""


def _suffix(message: str) -> str:
    return f": {message}" if message else ""


def _code(status: int) -> str:
    return {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict",
            422: "refused"}.get(status, f"http_{status}")


def seg(value: str) -> str:
    """One URL path segment: ids come from the server or the user; never let
    them add segments."""
    return quote(str(value).encode("utf-8", "replace"), safe="")
