"""The /sim control endpoints of the mock server (demos, tests, training, benchmarks).

No token is needed while the server is bound to loopback; on any other address
a valid token is required. `--no-sim` answers 404 for all of them.

Anyone on the host may call them, so every input is bounded (422 beyond: burst
size and rate, text length, clock step; 429 beyond the contacts-per-second
budget; 409 beyond the number of bursts running at once) and their work is cut
into slices that yield to the event loop, so the real API keeps answering.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentdesk.mockserver.http import (
    HttpError,
    current_user,
    error_response,
    json_response,
    parse,
    server_of,
)
from agentdesk.mockserver.sim.errors import SimError
from agentdesk.protocol.events import TypingData
from agentdesk.protocol.requests import (
    InteractionResponse,
    MessageResponse,
    SimClockRequest,
    SimComplianceRequest,
    SimContactRequest,
    SimMessageRequest,
)
from agentdesk.protocol.requests import (
    Request as RequestModel,
)


class SimTypingRequest(RequestModel):
    typing: bool = True


MAX_BURST_COUNT = 200_000  # events in one burst
MAX_BURST_RATE = 20_000.0  # events per second of one burst
MAX_BURSTS_RUNNING = 1
BURST_SLICE_S = 0.01  # a burst emits, commits and sleeps this long, in turn
CATCH_UP = 2  # a late burst emits at most twice a slice's share: it falls behind instead
CLOCK_STEP_S = 60.0  # /sim/clock advances in steps of this much sim time, yielding between


class SimBurstRequest(RequestModel):
    """Emit `count` synthetic `customer.typing` events at `rate` per second, spread
    round-robin over `agents` (default: every agent). For benchmarks."""

    count: int = Field(ge=1, le=MAX_BURST_COUNT)
    rate: float = Field(gt=0, le=MAX_BURST_RATE)
    agents: list[Annotated[str, Field(max_length=64)]] | None = Field(
        default=None, min_length=1, max_length=1_000)


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
    wait = server.sim_contact_budget.take("contacts")
    if wait:
        retry = max(1, math.ceil(wait))
        o = server.options
        response = error_response(429, "rate_limited",
                                  f"more than {o.sim_contacts_per_s:g} new contacts per second "
                                  f"(burst {o.sim_contacts_burst}); retry in {retry}s")
        response.headers["Retry-After"] = str(retry)
        return response
    server.sync_clock()
    ix = server.sim.new_contact(body.channel, customer_id=body.customer_id, topic=body.topic,
                                text=body.text, subject=body.subject, queue_id=body.queue_id)
    return json_response({"interaction_id": ix.id, "interaction": ix}, 201)


async def customer_message(request: Request) -> Response:
    body = await parse(request, SimMessageRequest)
    server = server_of(request)
    server.sync_clock()
    item = server.sim.customer_message(request.path_params["id"], body.text, body.attachments)
    return json_response(MessageResponse(item=item), 201)


async def customer_compliance(request: Request) -> Response:
    """A customer joins or leaves the do-not-call list, or changes consent."""
    body = await parse(request, SimComplianceRequest)
    server = server_of(request)
    cid = request.path_params["id"]
    consent = body.consent.model_dump(exclude_none=True) if body.consent else None
    server.sim.set_compliance(cid, body.dnc, consent)
    return json_response({"customer": server.sim.customers.customers[cid]})


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
        # In steps, yielding to the loop between them: a day of traffic must not
        # freeze the real API while it is simulated.
        left = body.advance_s
        while left > 0:
            step = min(left, CLOCK_STEP_S)
            left -= step
            server.sim.advance_to(server.clock.advance(step))
            if left > 0:
                server.commit()
                await asyncio.sleep(0)
    return json_response({"now": server.clock.now(), "manual": server.clock.manual,
                          "speed": server.clock.speed})


async def burst(request: Request) -> Response:
    body = await parse(request, SimBurstRequest)
    server = server_of(request)
    agents = body.agents or list(server.sim.agents)
    unknown = [a for a in agents if a not in server.sim.agents]
    if unknown:
        raise HttpError(404, "not_found", f"no agent {unknown[0]!r}")
    running = sum(1 for t in server.background if getattr(t, "burst", False) and not t.done())
    if running >= MAX_BURSTS_RUNNING:
        raise HttpError(409, "conflict", f"{running} bursts are already running "
                        f"(at most {MAX_BURSTS_RUNNING}); wait for one to end")
    task = asyncio.get_running_loop().create_task(_run_burst(server, agents, body.count,
                                                             body.rate))
    task.burst = True  # type: ignore[attr-defined]
    server.background.add(task)
    task.add_done_callback(server.background.discard)
    return json_response({"started": True, "count": body.count, "rate": body.rate,
                          "agents": len(agents)}, 202)


async def _run_burst(server, agents: list[str], count: int, rate: float) -> None:
    """Paced by the loop clock in 10 ms slices. A server too busy to keep the rate
    lets the burst fall behind (at most CATCH_UP slices' worth of events at a
    time, then a sleep) rather than starve the real API to catch up."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    sent = 0
    per_slice = max(1, math.ceil(rate * BURST_SLICE_S) * CATCH_UP)
    while sent < count:
        due = min(count, int((loop.time() - start) * rate) + 1, sent + per_slice)
        for n in range(sent, due):
            agent = agents[n % len(agents)]
            server.sim.emit("customer.typing",
                            TypingData(interaction_id=f"burst-{n}", typing=n % 2 == 0),
                            (agent,))
        sent = due
        server.commit()
        await asyncio.sleep(BURST_SLICE_S)


ROUTES = [
    Route("/sim/contacts", _sim_route(new_contact), methods=["POST"]),
    Route("/sim/interactions/{id}/customer-message", _sim_route(customer_message),
          methods=["POST"]),
    Route("/sim/interactions/{id}/typing", _sim_route(customer_typing), methods=["POST"]),
    Route("/sim/interactions/{id}/end", _sim_route(customer_end), methods=["POST"]),
    Route("/sim/customers/{id}/compliance", _sim_route(customer_compliance), methods=["POST"]),
    Route("/sim/clock", _sim_route(clock), methods=["GET", "POST"]),
    Route("/sim/burst", _sim_route(burst), methods=["POST"]),
]
