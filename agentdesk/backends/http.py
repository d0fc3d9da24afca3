"""JSON over HTTP for every backend: timeouts, retries with backoff, error mapping.

`HttpTransport` is the one transport: bounded timeouts on every phase, the
capped body read, retries of transient failures (network, timeouts, 5xx,
429) with full-jitter backoff, and the mapping of statuses onto the three
`AgentDeskError`s. What differs per server is a dialect of small hooks: the
auth header, how an error body reads, the words of a message. `JsonApi` is
agentdesk/1's (`Authorization: Bearer`, `{"error": {"message", "code"}}`);
Chatwoot's is `backends/chatwoot/rest.py`. The bytes go through an
`Exchange` (`http_wire.py`: HTTP/1.1 on asyncio streams).

Every response body is untrusted: it is decoded, sanitised and validated
before anything else sees it. Raw wire / pydantic exceptions never escape
this module.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from pydantic import BaseModel, ValidationError

from agentdesk.backends.base import (
    BackendAuthError,
    BackendCommandError,
    BackendConnectionError,
)
from agentdesk.backends.http_wire import (
    BodyTooLarge,
    ConnectionPool,
    Exchange,
    UnsendableRequest,
    WireError,
    WireRequest,
    WireResponse,
    WireTimeout,
    default_tls,
)
from agentdesk.protocol.sanitize import sanitize_text, sanitize_tree

log = logging.getLogger("agentdesk.backend")

M = TypeVar("M", bound=BaseModel)

# Bodies larger than this are refused unread: no legitimate response is this big.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often an idempotent request is retried on transient failures.

    Transient: network errors, timeouts, 5xx and 429. Every retry sends the
    very same body, so commands keep their `client_id` and apply once.
    """

    attempts: int = 3  # total tries, first one included
    base_delay: float = 0.25
    max_delay: float = 2.0

    def delay(self, attempt: int) -> float:
        """Full-jitter exponential backoff before retry number `attempt` (1-based)."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


class _Transient(Exception):
    """A failure worth retrying; `message` is what the user will see if it persists."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class HttpTransport:
    """A thin, strict JSON client for one server; subclasses give the dialect."""

    log = log  # where retries are logged (each dialect its backend's logger)

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        transport: Exchange | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # Every phase bounded (connect, send, each read): a server that accepts
        # and then stalls must not hang the desk.
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.token: str | None = None
        self._wire: Exchange = transport if transport is not None else ConnectionPool(
            # Loading a CA bundle takes 80-100 ms: here, where the desk builds its
            # backend in a worker thread, not at the first request on the UI loop.
            tls=default_tls() if self.base_url.lower().startswith("https://") else None)
        self._closed = False

    async def aclose(self) -> None:
        self._closed = True
        await self._wire.aclose()

    @property
    def closed(self) -> bool:
        return self._closed

    # -- the dialect ---------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        """The auth header(s) of a signed-in request."""
        return {}

    def server_error(self, raw: bytes, status: int) -> str:
        """The message of a 5xx (retried, then a BackendConnectionError)."""
        return f"server error {status}"

    def rate_limited(self, response: WireResponse) -> _Transient:
        """A 429: the message, and how long the server asks to wait (None: ours)."""
        return _Transient("server is busy (429)")

    def unauthorized(self, raw: bytes) -> str:
        """The message of a 401."""
        return "the session is no longer valid"

    def refused(self, raw: bytes, status: int, what: str) -> BackendCommandError:
        """Another 4xx: the refusal the caller sees."""
        return BackendCommandError(f"refused ({status})", status=status, code=f"http_{status}")

    # -- sending ---------------------------------------------------------------------------

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        model: type[M] | None = None,
        retry: bool = True,
        auth: bool = True,
    ) -> Any:
        """Send one request; return the validated `model` (or the sanitised JSON).

        Raises BackendAuthError (401), BackendCommandError (other 4xx) or
        BackendConnectionError (network, timeout, 5xx after retries, bad body).
        """
        what = f"{method} {path}"
        if self._closed:
            raise BackendConnectionError(f"{what}: this session has been closed")
        attempts = self.retry.attempts if retry else 1
        last = ""
        for attempt in range(1, attempts + 1):
            try:
                return await self._once(method, path, body, params, model, what, auth)
            except _Transient as exc:
                last = exc.message
                if attempt == attempts:
                    break
                delay = self.retry.delay(attempt)
                if exc.retry_after is not None:
                    delay = max(delay, min(exc.retry_after, self.retry.max_delay))
                self.log.info("%s failed (%s); retry %d/%d in %.2fs", what, last, attempt,
                              attempts - 1, delay)
                await asyncio.sleep(delay)
        raise BackendConnectionError(f"{what}: {last}")

    async def _once(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        params: dict[str, Any] | None,
        model: type[M] | None,
        what: str,
        auth: bool,
    ) -> Any:
        url = self.base_url + path
        query = _query(params)
        if query:
            url += ("&" if "?" in path else "?") + query
        headers = {"Accept": "application/json", "User-Agent": "agentdesk",
                   **(self._headers() if auth else {})}
        content = b""
        if body is not None:
            content = encode_json(body)
            headers["Content-Type"] = "application/json"
        request = WireRequest(method, url, tuple(headers.items()), content)
        try:
            response = await self._wire.send(request, timeout=self.timeout,
                                             max_body=MAX_RESPONSE_BYTES)
        except BodyTooLarge:
            raise BackendConnectionError(
                f"{what}: response larger than {MAX_RESPONSE_BYTES} bytes") from None
        except UnsendableRequest as exc:
            raise BackendConnectionError(f"{what}: cannot send ({exc})") from None
        except WireTimeout:
            raise _Transient(f"no answer within {self.timeout:g}s") from None
        except WireError as exc:
            raise _Transient(f"cannot reach {self.base_url} ({exc})") from None
        except Exception as exc:
            raise BackendConnectionError(f"{what}: cannot send ({type(exc).__name__})") from None

        raw = response.body
        status = response.status
        if status >= 500:
            raise _Transient(self.server_error(raw, status))
        if status == 429:
            raise self.rate_limited(response)
        if status == 401:
            raise BackendAuthError(self.unauthorized(raw))
        if status >= 400:
            raise self.refused(raw, status, what)
        if status >= 300:
            raise BackendConnectionError(f"{what}: unexpected redirect ({status})")
        return decode_body(raw, model, what)


class JsonApi(HttpTransport):
    """agentdesk/1's dialect: a bearer token, `{"error": {"message", "code"}}` bodies,
    and a 429's `Retry-After` honoured (up to the policy's longest delay)."""

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def server_error(self, raw: bytes, status: int) -> str:
        detail = _error_parts(raw, status)[0] or "no detail"
        return f"server error {status}: {detail}"

    def rate_limited(self, response: WireResponse) -> _Transient:
        return _Transient("server is busy (429)", _retry_after(response))

    def unauthorized(self, raw: bytes) -> str:
        return _error_parts(raw, 401)[0] or "the session is no longer valid"

    def refused(self, raw: bytes, status: int, what: str) -> BackendCommandError:
        message, code = _error_parts(raw, status)
        return BackendCommandError(message or f"refused ({status})", status=status, code=code)


def _query(params: dict[str, Any] | None) -> str:
    """The query string, as httpx wrote it: None left out, booleans as
    true/false, a list as the key repeated."""
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is None:
                continue
            pairs.append((key, "true" if item is True else "false" if item is False else str(item)))
    return urlencode(pairs)


def encode_json(body: dict[str, Any]) -> bytes:
    """UTF-8 JSON of a request body. Text that cannot be encoded (a lone surrogate
    from a bad paste) becomes "?" instead of failing the command."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


def decode_body(content: bytes, model: type[M] | None, what: str) -> Any:
    """Decode, sanitise and validate a response body; BackendConnectionError if malformed."""
    if len(content) > MAX_RESPONSE_BYTES:
        raise BackendConnectionError(f"{what}: response of {len(content)} bytes is too large")
    if not content.strip():
        if model is None:
            return None
        raise BackendConnectionError(f"{what}: the server sent an empty response")
    try:
        obj = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise BackendConnectionError(
            f"{what}: the server sent a response that is not JSON"
        ) from None
    obj = sanitize_tree(obj)
    if model is None:
        return obj
    try:
        return model.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise BackendConnectionError(
            f"{what}: the server sent an invalid response ({where}: {first.get('msg')})"
        ) from None


def _error_parts(raw: bytes, status: int) -> tuple[str, str]:
    """(message, code) of an `{"error": {...}}` body, sanitised; empty when absent."""
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "", f"http_{status}"
    err = obj.get("error") if isinstance(obj, dict) else None
    if not isinstance(err, dict):
        return "", f"http_{status}"
    message = err.get("message")
    code = err.get("code")
    return (
        sanitize_text(message, 500) if isinstance(message, str) else "",
        sanitize_text(code, 64) if isinstance(code, str) else f"http_{status}",
    )


def _retry_after(response: WireResponse) -> float | None:
    try:
        return max(0.0, float(response.header("Retry-After") or ""))
    except ValueError:
        return None
