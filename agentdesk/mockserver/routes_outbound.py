"""Outbound calls and scheduled callbacks (`/v1/outbound/calls`, `/v1/callbacks`).

Refusals by a calling rule are 409 with the rule's code (`dnc`,
`outside_calling_window`, `no_capacity`) and a message in plain words the desk
shows as it is (docs/protocol.md, "Outbound calls and callbacks").
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentdesk.mockserver.http import (
    current_user,
    json_response,
    parse,
    require_agent,
    run_command,
    server_of,
)
from agentdesk.mockserver.sim import callbacks
from agentdesk.protocol.requests import (
    CallbackList,
    CallbackRequest,
    CallbackResponse,
    DialRequest,
    DisclosureRequest,
    InteractionResponse,
)


async def dial(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, DialRequest)
    sim = server_of(request).sim
    return run_command(request, user, body.client_id, lambda: InteractionResponse(
        interaction=sim.dial(user.id, body.customer_id)), status=201)


async def disclosure(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, DisclosureRequest)
    sim = server_of(request).sim
    iid = request.path_params["id"]
    return run_command(request, user, body.client_id, lambda: InteractionResponse(
        interaction=sim.disclosure(user.id, iid, body.action)))


async def schedule_callback(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, CallbackRequest)
    sim = server_of(request).sim
    return run_command(request, user, body.client_id, lambda: CallbackResponse(
        callback=sim.schedule_callback(user.id, body.customer_id, body.at, body.note,
                                       body.queue_id, body.agent_id)), status=201)


async def list_callbacks(request: Request) -> Response:
    user = current_user(request)
    server = server_of(request)
    if user.role.value == "supervisor":
        server.record_audit(user, request.method, request.url.path, request.url.query)
    server.sync_clock()
    server.commit()
    return json_response(CallbackList(callbacks=callbacks.visible_to(server.sim, user.id,
                                                                     user.role)))


ROUTES = [
    Route("/v1/outbound/calls", dial, methods=["POST"]),
    Route("/v1/interactions/{id}/disclosure", disclosure, methods=["POST"]),
    Route("/v1/callbacks", schedule_callback, methods=["POST"]),
    Route("/v1/callbacks", list_callbacks, methods=["GET"]),
]
