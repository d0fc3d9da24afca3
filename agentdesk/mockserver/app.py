"""The ASGI app of the mock server (Starlette), with its background tasks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentdesk.mockserver import (
    routes_export,
    routes_outbound,
    routes_reports,
    routes_sim,
    routes_v1,
    routes_ws,
)
from agentdesk.mockserver.http import HttpError, error_response, json_response
from agentdesk.mockserver.openapi import openapi_document
from agentdesk.mockserver.ratelimit import RateLimit, RateLimiter, RateLimitMiddleware
from agentdesk.mockserver.server import MockServer, ServerOptions
from agentdesk.mockserver.sim.errors import SimError

log = logging.getLogger("agentdesk.mockserver")
TICK_S = 0.1


async def _ticker(server: MockServer) -> None:
    """Real clock: advance the simulation continuously. Manual clock: only
    /sim/clock moves time, so there is nothing to tick."""
    while True:
        await asyncio.sleep(TICK_S)
        try:
            server.tick()
        except Exception:  # a bug in one tick must not stop the world; log it loudly
            log.exception("simulation tick failed")


async def _heartbeats(server: MockServer) -> None:
    while True:
        await asyncio.sleep(server.options.heartbeat_s)
        server.hub.broadcast_control(server.heartbeat_frame())


async def _kb_watch(server: MockServer) -> None:
    while True:
        await asyncio.sleep(server.options.kb_rescan_s)
        try:
            server.rescan_kb()
        except Exception:
            log.exception("KB rescan failed")


async def openapi(request: Request) -> Response:
    server: MockServer = request.app.state.server
    return json_response(openapi_document(tuple(sorted(server.sim.dispositions))))


async def health(request: Request) -> Response:
    server: MockServer = request.app.state.server
    return json_response({"ok": True, "now": server.clock.now(),
                          "sockets": server.hub.socket_count()})


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    return error_response(exc.status, exc.code, exc.message)


def _sim_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SimError)
    return error_response(exc.status, exc.code, exc.message)


def _starlette_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    response = error_response(exc.status_code, codes.get(exc.status_code, "error"),
                              str(exc.detail))
    for name, value in (exc.headers or {}).items():  # 405: Allow (RFC 9110)
        response.headers[name] = value
    return response


def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal", "internal server error")


def build_app(options: ServerOptions | None = None, server: MockServer | None = None,
              *, rate_limit: RateLimit | float | None = None) -> Starlette:
    """`rate_limit`: requests/s per token (a RateLimit for burst etc.); None: the
    default (ratelimit.DEFAULT_RPS); 0: off."""
    server = server or MockServer(options or ServerOptions())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_heartbeats(server)), asyncio.create_task(_kb_watch(server))]
        if not server.clock.manual:
            tasks.append(asyncio.create_task(_ticker(server)))
        try:
            yield
        finally:
            for task in tasks + list(server.background):
                task.cancel()
            await asyncio.gather(*tasks, *server.background, return_exceptions=True)
            server.close()

    routes = [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/healthz", health, methods=["GET"]),
        *routes_v1.ROUTES,
        *routes_outbound.ROUTES,
        *routes_export.ROUTES,
        *routes_reports.ROUTES,
        *routes_sim.ROUTES,
        *routes_ws.ROUTES,
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={
        HttpError: _http_error,
        SimError: _sim_error,
        HTTPException: _starlette_error,
        Exception: _internal_error,
    })
    app.state.server = server
    app.state.rate_limiter = RateLimiter(RateLimit.of(rate_limit))
    app.add_middleware(RateLimitMiddleware, limiter=app.state.rate_limiter,
                       valid_token=lambda token: server.auth.user_for(token) is not None)
    return app
