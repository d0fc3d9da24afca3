"""HTTP plumbing shared by the route modules: errors, auth, body parsing, idempotency."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from agentdesk.domain.models import Role, User
from agentdesk.mockserver.server import MockServer
from agentdesk.mockserver.sim.errors import SimError
from agentdesk.protocol.requests import MAX_REQUEST_BYTES
from agentdesk.protocol.sanitize import sanitize_tree

M = TypeVar("M", bound=BaseModel)
BODY_TIMEOUT_S = 30.0


class HttpError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def json_response(body: Any, status: int = 200) -> Response:
    if isinstance(body, BaseModel):
        text = body.model_dump_json()
    else:
        text = json.dumps(body, separators=(",", ":"), default=_default)
    return Response(text, status_code=status, media_type="application/json")


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str) -> Response:
    return json_response(error_body(code, message), status)


def server_of(request: Request) -> MockServer:
    return request.app.state.server


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def current_user(request: Request) -> User:
    user = server_of(request).auth.user_for(bearer(request))
    if user is None:
        raise HttpError(401, "unauthorized",
                        "missing, unknown, expired or revoked bearer token: log in again")
    return user


def require_agent(request: Request) -> User:
    """Mutating endpoints: agents only. Supervisors are read-only by protocol."""
    user = current_user(request)
    if user.role is Role.SUPERVISOR:
        raise HttpError(403, "forbidden", "supervisor sessions are read-only")
    return user


async def read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
        raise HttpError(413, "payload_too_large", f"request body over {MAX_REQUEST_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT_S):  # a body trickled byte by byte
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_REQUEST_BYTES:
                    raise HttpError(413, "payload_too_large",
                                    f"request body over {MAX_REQUEST_BYTES} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise HttpError(408, "timeout", f"the request body took over {BODY_TIMEOUT_S:g} s "
                        "to arrive") from None
    return b"".join(chunks)


async def parse(request: Request, model: type[M], *, empty_ok: bool = False) -> M:
    """Read, sanitise and validate a JSON body: 400 bad JSON, 413 too big, 422 schema."""
    raw = await read_body(request)
    if not raw.strip():
        if not empty_ok:
            raise HttpError(400, "bad_request", "a JSON body is required")
        data: Any = {}  # validated like `{}`: a required field is a 422, never a 500
    else:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise HttpError(400, "bad_json", f"invalid JSON: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise HttpError(422, "invalid", "the body must be a JSON object")
    try:
        # Strict, as JSON: "5" is not a number, 0 is not a boolean (the OpenAPI
        # document says what the types are; lax coercion would accept what it refuses).
        # What was sent is checked first (a text over its limit is refused, not cut
        # by the sanitiser), then what is kept (a text of control characters only is
        # empty once sanitised).
        model.model_validate_json(json.dumps(_no_lone_surrogates(data)), strict=True)
        return model.model_validate_json(json.dumps(sanitize_tree(data)), strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise HttpError(422, "invalid", f"{where}: {first.get('msg')}") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogates(value: Any) -> Any:
    """The tree with lone surrogates (which JSON parsers refuse and the sanitiser
    drops) as U+FFFD, so lengths are checked as sent."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_no_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {k: _no_lone_surrogates(v) for k, v in value.items()}
    return value


def run_command(request: Request, user: User, client_id: str | None,
                action: Callable[[], Any], status: int = 200) -> Response:
    """Run an engine command once per (user, client_id); repeats get the stored answer."""
    server = server_of(request)
    what = f"{request.method} {request.url.path}"
    if client_id:
        stored = server.idempotency.get(user.id, client_id)
        if stored is not None:
            if stored[2] and stored[2] != what:
                return error_response(409, "conflict", f"client_id {client_id!r} was already "
                                      "used for another request; use a fresh one")
            return Response(stored[1], status_code=stored[0], media_type="application/json",
                            headers={"Idempotent-Replay": "true"})
    server.sync_clock()
    try:
        response = json_response(action(), status)
    except SimError as exc:
        response = error_response(exc.status, exc.code, exc.message)
    if client_id:
        server.idempotency.put(user.id, client_id, response.status_code, bytes(response.body),
                               what)
    server.commit()
    return response
