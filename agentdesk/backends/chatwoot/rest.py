"""Chatwoot's REST Application API over httpx: auth header, paths, error mapping.

Answers are read with the same 32 MiB cap as the native backend, decoded and
passed through `sanitize_tree` before anything sees them; failures come out as
the three `AgentDeskError`s (401 -> BackendAuthError, other 4xx ->
BackendCommandError, network / timeouts / 5xx / 429 / a body that is not JSON
-> BackendConnectionError). Retries (`RetryPolicy`) are only for calls that are
idempotent by nature; creating a message is not, and is never retried here
(the backend's echo matching decides, see `outbound.py`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import quote

import httpx

from agentdesk.backends.base import (
    BackendAuthError,
    BackendCommandError,
    BackendConnectionError,
)
from agentdesk.backends.http import RetryPolicy, _read_capped, decode_body, encode_json
from agentdesk.protocol.sanitize import sanitize_text

log = logging.getLogger("agentdesk.backend.chatwoot")

# The header Chatwoot's Api::BaseController reads (and the swagger's userApiKey).
# Behind nginx, `underscores_in_headers on` is needed (Chatwoot's own nginx guide sets it).
TOKEN_HEADER = "api_access_token"


class _Transient(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ChatwootRest:
    """One httpx client for one Chatwoot server; `account` scopes the account paths."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, retry: RetryPolicy | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.token: str | None = None
        self.account: str | None = None
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=timeout, read=timeout, write=timeout,
                                  pool=timeout),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "agentdesk"},
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def closed(self) -> bool:
        return self._client.is_closed

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
        """Send one request; the sanitised JSON answer (None for an empty body)."""
        what = f"{method} {path}"  # paths hold ids only; the token is in a header
        if self._client.is_closed:
            raise BackendConnectionError(f"{what}: this session has been closed")
        attempts = self.retry.attempts if retry else 1
        last = ""
        for attempt in range(1, attempts + 1):
            try:
                return await self._once(method, path, body, params, auth, what)
            except _Transient as exc:
                last = exc.message
                if attempt == attempts:
                    break
                delay = self.retry.delay(attempt)
                log.info("%s failed (%s); retry %d/%d in %.2fs", what, last, attempt,
                         attempts - 1, delay)
                await asyncio.sleep(delay)
        raise BackendConnectionError(f"{what}: {last}")

    async def _once(self, method: str, path: str, body: dict[str, Any] | None,
                    params: dict[str, Any] | None, auth: bool, what: str) -> Any:
        headers: dict[str, str] = {}
        if auth and self.token:
            headers[TOKEN_HEADER] = self.token
        content = None
        if body is not None:
            content = encode_json(body)
            headers["Content-Type"] = "application/json"
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            request = self._client.build_request(method, path, content=content,
                                                 params=clean or None, headers=headers)
            response = await self._client.send(request, stream=True)
            try:
                raw = await _read_capped(response, what)
            finally:
                await response.aclose()
        except httpx.TimeoutException:
            raise _Transient(f"no answer within {self.timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise _Transient(f"cannot reach {self.base_url} ({type(exc).__name__})") from None
        except BackendConnectionError:
            raise
        except Exception as exc:
            raise BackendConnectionError(f"{what}: cannot send ({type(exc).__name__})") from None

        status = response.status_code
        if status >= 500:
            raise _Transient(f"server error {status}{_suffix(error_message(raw))}")
        if status == 429:
            raise _Transient("Chatwoot is rate limiting this client (429)")
        if status == 401:
            raise BackendAuthError(error_message(raw) or "the Chatwoot token is not valid")
        if status >= 400:
            message = error_message(raw) or f"Chatwoot refused {what} ({status})"
            raise BackendCommandError(message, status=status, code=_code(status))
        if status >= 300:
            raise BackendConnectionError(f"{what}: unexpected redirect ({status})")
        return decode_body(raw, None, what)


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
