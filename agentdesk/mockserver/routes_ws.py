"""`WS /v1/events?since=<seq>`: the live event stream of one user.

On connect the server sends a `hello` control frame, then the replay of every
buffered event after `since` (or a `resync` frame if that is not possible),
then live events. No `since`: live events only. Heartbeats (`heartbeat`, with
the server's sim time in `at`) come every 10 s; a client `{"type": "ping"}` gets
`{"type": "pong"}`. Close codes: 4401 bad token, 4008 too slow to keep up.
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from agentdesk.domain.models import Role
from agentdesk.mockserver.hub import CLOSE_SLOW_CONSUMER
from agentdesk.mockserver.server import MockServer

log = logging.getLogger("agentdesk.mockserver")
CLOSE_UNAUTHORIZED = 4401
PONG = '{"type":"pong"}'


def _token(ws: WebSocket) -> str | None:
    token = ws.query_params.get("token")
    if token:
        return token
    header = ws.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def _since(raw: str | None) -> int | None | bool:
    """The `since` query value: None if absent, False if it is not a JSON-safe
    non-negative integer (an empty value is not one)."""
    if raw is None:
        return None
    try:
        since = int(raw)
    except ValueError:
        return False
    return since if 0 <= since < 2**53 else False


async def events(ws: WebSocket) -> None:
    server: MockServer = ws.app.state.server
    user = server.auth.user_for(_token(ws))
    await ws.accept()
    if user is None:
        await ws.close(code=CLOSE_UNAUTHORIZED, reason="missing or invalid token")
        return
    since = _since(ws.query_params.get("since"))
    if since is False:
        await ws.close(code=1008, reason="since must be a non-negative integer")
        return
    if user.role is Role.SUPERVISOR:
        server.record_audit(user, "WS", ws.url.path, ws.url.query.replace(_token(ws) or "\0", "*"))
    rec = server.hub.recipients[user.id]
    hello = {"type": "hello", "data": {"user_id": user.id, "role": user.role.value,
                                       "last_seq": rec.last_seq, "at": server.clock.now(),
                                       "heartbeat_s": server.options.heartbeat_s}}
    await ws.send_text(json.dumps(hello, separators=(",", ":")))
    sub = server.hub.subscribe(user.id, since, server.clock.now())
    server.sim.set_connected(user.id, +1)
    server.sim.settle()
    server.commit()
    sender = asyncio.create_task(_send_loop(ws, sub))
    receiver = asyncio.create_task(_receive_loop(ws, sub))
    try:
        await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sender, receiver):
            task.cancel()
        await asyncio.gather(sender, receiver, return_exceptions=True)
        server.hub.unsubscribe(sub)
        server.sim.set_connected(user.id, -1)
        server.sim.settle()
        server.commit()


async def _send_loop(ws: WebSocket, sub) -> None:
    try:
        while True:
            text = await sub.queue.get()
            if text is None:
                await ws.close(code=CLOSE_SLOW_CONSUMER, reason="consumer too slow; resume with since")
                return
            await ws.send_text(text)
    except (WebSocketDisconnect, RuntimeError, OSError):
        return


async def _receive_loop(ws: WebSocket, sub) -> None:
    try:
        while True:
            text = await ws.receive_text()
            if len(text) > 4096:
                continue
            try:
                msg = json.loads(text)
            except (ValueError, RecursionError):
                continue
            if isinstance(msg, dict) and msg.get("type") == "ping":
                sub.push(PONG)
    except (WebSocketDisconnect, RuntimeError, KeyError, OSError):
        return


async def upgrade_required(request: Request) -> Response:
    """A plain HTTP GET of the event stream: say how to connect instead of a 404."""
    from agentdesk.mockserver.http import bearer, error_response

    server: MockServer = request.app.state.server
    token = request.query_params.get("token") or bearer(request)
    if server.auth.user_for(token) is None:  # checks in the protocol's order: token first
        return error_response(401, "unauthorized", "missing, unknown, expired or revoked token")
    if _since(request.query_params.get("since")) is False:
        return error_response(422, "invalid", "since must be a non-negative integer")
    response = error_response(426, "upgrade_required",
                              "the event stream is a WebSocket: connect with ws:// (Upgrade)")
    response.headers["Upgrade"] = "websocket"
    response.headers["Connection"] = "Upgrade"
    return response


ROUTES = [WebSocketRoute("/v1/events", events),
          Route("/v1/events", upgrade_required, methods=["GET"])]
