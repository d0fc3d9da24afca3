"""The /sim control endpoints of the mock server (demos, tests, training, benchmarks).

No token is needed while the server is bound to loopback; on any other address
a valid token is required. `--no-sim` answers 404 for all of them.
"""

from __future__ import annotations

import asyncio
import ipaddress

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentdesk.mockserver.http import HttpError, current_user, json_response, parse, server_of
from agentdesk.mockserver.sim.errors import SimError
from agentdesk.protocol.events import TypingData
from agentdesk.protocol.requests import (
    InteractionResponse,
    MessageResponse,
    Request as RequestModel,
    SimClockRequest,
    SimContactRequest,
    SimMessageRequest,
)


class SimTypingRequest(RequestModel):
    typing: bool = True


class SimBurstRequest(RequestModel):
    """Emit `count` synthetic `customer.typing` events at `rate` per second, spread
    round-robin over `agents` (default: every agent). For benchmarks."""

    count: int = Field(ge=1, le=10_000_000)
    rate: float = Field(gt=0, le=1_000_000)
    agents: list[str] | None = Field(default=None, max_length=10_000)


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guard(request: Request) -> None:
    server = server_of(request)
    if not server.options.sim:
        raise HttpError(404, "not_found", "the /sim endpoints are disabled (--no-sim)")
    if not is_loopback(server.options.host):
        current_user(request)


def _sim_route(handler):
    async def wrapped(request: Request) -> Response:
        _guard(request)
        server = server_of(request)
        try:
            response = await handler(request)
        except SimError as exc:
            server.commit()
            raise HttpError(exc.status, exc.code, exc.message) from None
        server.commit()
        return response
    return wrapped


async def new_contact(request: Request) -> Response:
    body = await parse(request, SimContactRequest)
    server = server_of(request)
    server.sync_clock()
    ix = server.sim.new_contact(body.channel, customer_id=body.customer_id, topic=body.topic,
                                text=body.text, subject=body.subject, queue_id=body.queue_id)
    return json_response({"interaction_id": ix.id, "interaction": ix}, 201)


async def customer_message(request: Request) -> Response:
    body = await parse(request, SimMessageRequest)
    server = server_of(request)
    server.sync_clock()
    item = server.sim.customer_message(request.path_params["id"], body.text)
    return json_response(MessageResponse(item=item), 201)


async def customer_typing(request: Request) -> Response:
    body = await parse(request, SimTypingRequest, empty_ok=True)
    sim = server_of(request).sim
    ix = sim.ix(request.path_params["id"])
    sim.emit("customer.typing", TypingData(interaction_id=ix.id, typing=body.typing),
             (ix.agent_id or "",))
    return json_response({"ok": True})


async def customer_end(request: Request) -> Response:
    server = server_of(request)
    server.sync_clock()
    ix = server.sim.customer_end(request.path_params["id"])
    return json_response(InteractionResponse(interaction=ix))


async def clock(request: Request) -> Response:
    server = server_of(request)
    if request.method == "POST":
        body = await parse(request, SimClockRequest)
        if not server.clock.manual:
            raise HttpError(409, "conflict", "the clock is real time; start with --manual-clock")
        server.sim.advance_to(server.clock.advance(body.advance_s))
    return json_response({"now": server.clock.now(), "manual": server.clock.manual,
                          "speed": server.clock.speed})


async def burst(request: Request) -> Response:
    body = await parse(request, SimBurstRequest)
    server = server_of(request)
    agents = body.agents or list(server.sim.agents)
    unknown = [a for a in agents if a not in server.sim.agents]
    if unknown:
        raise HttpError(404, "not_found", f"no agent {unknown[0]!r}")
    task = asyncio.get_running_loop().create_task(_run_burst(server, agents, body.count,
                                                             body.rate))
    server.background.add(task)
    task.add_done_callback(server.background.discard)
    return json_response({"started": True, "count": body.count, "rate": body.rate,
                          "agents": len(agents)}, 202)


async def _run_burst(server, agents: list[str], count: int, rate: float) -> None:
    """Paced by the loop clock in 10 ms slices, so the rate holds under load."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    sent = 0
    while sent < count:
        due = min(count, int((loop.time() - start) * rate) + 1)
        for n in range(sent, due):
            agent = agents[n % len(agents)]
            server.sim.emit("customer.typing",
                            TypingData(interaction_id=f"burst-{n}", typing=n % 2 == 0),
                            (agent,))
        sent = due
        server.commit()
        await asyncio.sleep(0.01)


ROUTES = [
    Route("/sim/contacts", _sim_route(new_contact), methods=["POST"]),
    Route("/sim/interactions/{id}/customer-message", _sim_route(customer_message),
          methods=["POST"]),
    Route("/sim/interactions/{id}/typing", _sim_route(customer_typing), methods=["POST"]),
    Route("/sim/interactions/{id}/end", _sim_route(customer_end), methods=["POST"]),
    Route("/sim/clock", _sim_route(clock), methods=["GET", "POST"]),
    Route("/sim/burst", _sim_route(burst), methods=["POST"]),
]
