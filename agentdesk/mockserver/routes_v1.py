"""The agentdesk/1 REST endpoints (`/v1/...`)."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentdesk.domain.models import (
    ContactSummary,
    CustomerDetail,
    Role,
    TimelinePage,
    TransferMode,
    User,
)
from agentdesk.mockserver.http import (
    HttpError,
    bearer,
    current_user,
    json_response,
    parse,
    require_agent,
    run_command,
    server_of,
)
from agentdesk.mockserver.sim import history, views
from agentdesk.mockserver.sim.errors import SimError
from agentdesk.protocol.requests import (
    CallRequest,
    CommandRequest,
    CustomerSearchResponse,
    InteractionResponse,
    LoginRequest,
    LoginResponse,
    MeResponse,
    MessageRequest,
    MessageResponse,
    PresenceRequest,
    RejectRequest,
    TransferRequest,
    WrapupRequest,
)

MAX_TIMELINE_PAGE = 500
MAX_AUDIT_PAGE = 10_000


def _reader(request: Request) -> User:
    """Any logged-in user; supervisors' reads go to the audit log."""
    user = current_user(request)
    if user.role is Role.SUPERVISOR:
        server_of(request).record_audit(user, request.method, request.url.path,
                                        request.url.query)
    return user


async def login(request: Request) -> Response:
    body = await parse(request, LoginRequest)
    result = server_of(request).auth.login(body.username, body.password)
    if result is None:
        raise HttpError(401, "invalid_credentials", "unknown user or wrong password")
    token, user = result
    server_of(request).commit()  # persists the token
    return json_response(LoginResponse(token=token, user=user))


async def logout(request: Request) -> Response:
    """Revoke the bearer token of this request (any role: it ends a session, it
    changes nothing in the contact center)."""
    current_user(request)
    server = server_of(request)
    server.auth.revoke(bearer(request) or "")
    server.commit()  # persists the revocation
    return json_response({"logged_out": True})


async def me(request: Request) -> Response:
    user = current_user(request)
    server = server_of(request)
    agent = server.sim.agents.get(user.id)
    info = server.sim.agent_info(agent) if agent else None
    return json_response(MeResponse(user=user, agent=info))


async def set_presence(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, PresenceRequest)
    server = server_of(request)
    server.sync_clock()
    info = server.sim.set_presence(user.id, body.presence, body.next)
    server.commit()
    return json_response({"agent": info})


async def list_interactions(request: Request) -> Response:
    user = _reader(request)
    server = server_of(request)
    agent = request.query_params.get("agent")
    if user.role is Role.AGENT:
        if agent not in (None, "", user.id):
            raise HttpError(403, "forbidden", "agents see only their own interactions")
        items = views.interactions_for(server.sim, user.id)
    else:
        if agent and agent not in server.sim.agents:
            raise HttpError(404, "not_found", f"no agent {agent!r}")
        items = views.interactions_for(server.sim, agent or None)
    return json_response({"interactions": items})


async def get_interaction(request: Request) -> Response:
    user = _reader(request)
    server = server_of(request)
    ix = server.sim.ix(request.path_params["id"])
    # Agents see their own work only (assigned, offered, or transferred away by them);
    # supervisors see everything.
    if user.role is Role.AGENT and user.id not in (ix.agent_id, ix.transferred_from):
        raise HttpError(403, "forbidden", "agents see only their own interactions")
    return json_response(InteractionResponse(interaction=ix))


def _command(method: str):
    """accept / reject / read: body optional, only a client_id."""

    async def handler(request: Request) -> Response:
        user = require_agent(request)
        body = await parse(request, CommandRequest, empty_ok=True)
        sim = server_of(request).sim
        iid = request.path_params["id"]

        def act():
            return InteractionResponse(interaction=getattr(sim, method)(user.id, iid))
        return run_command(request, user, body.client_id, act)

    return handler


async def reject(request: Request) -> Response:
    """Like accept, with an optional reason the simulation records."""
    user = require_agent(request)
    body = await parse(request, RejectRequest, empty_ok=True)
    sim = server_of(request).sim
    iid = request.path_params["id"]

    def act():
        return InteractionResponse(interaction=sim.reject(user.id, iid, reason=body.reason))
    return run_command(request, user, body.client_id, act)


async def post_message(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, MessageRequest)
    sim = server_of(request).sim
    iid = request.path_params["id"]

    def act():
        item = sim.post_message(user.id, iid, body.kind, body.body, body.subject, body.cc,
                                body.client_id)
        return MessageResponse(item=item)
    return run_command(request, user, body.client_id, act, status=201)


async def call_action(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, CallRequest)
    sim = server_of(request).sim
    iid = request.path_params["id"]
    return run_command(request, user, body.client_id, lambda: InteractionResponse(
        interaction=sim.call_action(user.id, iid, body.action.value, body.digits)))


async def transfer(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, TransferRequest)
    sim = server_of(request).sim
    iid = request.path_params["id"]
    return run_command(request, user, body.client_id, lambda: InteractionResponse(
        interaction=sim.transfer(user.id, iid, queue_id=body.queue_id,
                                 target_agent=body.agent_id,
                                 warm=body.mode is TransferMode.WARM)))


async def wrapup(request: Request) -> Response:
    user = require_agent(request)
    body = await parse(request, WrapupRequest)
    sim = server_of(request).sim
    iid = request.path_params["id"]
    return run_command(request, user, body.client_id, lambda: InteractionResponse(
        interaction=sim.wrapup(user.id, iid, body.disposition, body.notes)))


async def search_customers(request: Request) -> Response:
    from agentdesk.mockserver.customer_search import MIN_QUERY, search

    _reader(request)
    query = request.query_params.get("q", "")
    if len(query.strip()) < MIN_QUERY or len(query) > 100:
        raise HttpError(422, "validation_error", f"q: {MIN_QUERY} to 100 characters")
    customers = server_of(request).sim.customers.customers.values()
    return json_response(CustomerSearchResponse(customers=search(customers, query)))


async def get_customer(request: Request) -> Response:
    _reader(request)
    sim = server_of(request).sim
    cid = request.path_params["id"]
    customer = sim.customers.customers.get(cid)
    if customer is None:
        raise HttpError(404, "not_found", f"no customer {cid!r}")
    _, past = sim.customers.history(cid)
    live = [ContactSummary(
        interaction_id=ix.id, channel=ix.channel, at=ix.created_at, topic=ix.topic,
        subject=ix.subject, state=ix.state, disposition=ix.disposition,
        agent_name=sim.agents[ix.agent_id].name if ix.agent_id in sim.agents else None,
        duration_s=round(ix.closed_at - ix.created_at, 1) if ix.closed_at else None)
        for ix in sim.interactions.values() if ix.customer_id == cid]
    live.sort(key=lambda c: c.at, reverse=True)
    return json_response(CustomerDetail(customer=customer, contacts=live + past))


async def get_timeline(request: Request) -> Response:
    _reader(request)
    sim = server_of(request).sim
    items = views.timeline(sim, request.path_params["id"])
    try:
        limit = int(request.query_params.get("limit", "50"))
    except ValueError:
        raise HttpError(422, "invalid", "limit must be an integer") from None
    if not 1 <= limit <= MAX_TIMELINE_PAGE:
        raise HttpError(422, "invalid", f"limit must be between 1 and {MAX_TIMELINE_PAGE}")
    end = len(items)
    before = request.query_params.get("before")
    if before:
        index = next((i for i, item in enumerate(items) if item.id == before), None)
        if index is None:
            raise HttpError(404, "not_found", f"no timeline item {before!r}")
        end = index
    start = max(0, end - limit)
    return json_response(TimelinePage(items=items[start:end], has_more=start > 0))


async def list_queues(request: Request) -> Response:
    _reader(request)
    return json_response({"queues": list(server_of(request).sim.queues.values())})


async def list_agents(request: Request) -> Response:
    _reader(request)
    sim = server_of(request).sim
    return json_response({"agents": [sim.agent_info(a) for a in sim.agents.values()]})


async def get_stats(request: Request) -> Response:
    _reader(request)
    server = server_of(request)
    server.sync_clock()
    server.commit()
    return json_response({"stats": server.sim.stats()})


async def get_stats_history(request: Request) -> Response:
    """The trend series of the last `minutes` (1..60): any role may read it, as
    every role already receives `stats.updated` for every queue."""
    _reader(request)
    raw = request.query_params.get("minutes", str(history.DEFAULT_MINUTES))
    try:
        minutes = int(raw)
    except ValueError:
        raise HttpError(422, "invalid", "minutes must be an integer") from None
    if not 1 <= minutes <= history.KEEP_MINUTES:
        raise HttpError(422, "invalid", f"minutes must be between 1 and {history.KEEP_MINUTES}")
    server = server_of(request)
    server.sync_clock()
    server.commit()
    sim = server.sim
    return json_response({"history": sim.history.view(minutes, sim.now, list(sim.queues))})


async def list_dispositions(request: Request) -> Response:
    _reader(request)
    return json_response({"dispositions": server_of(request).dispositions})


async def list_canned(request: Request) -> Response:
    _reader(request)
    return json_response({"canned_responses": server_of(request).canned})


async def list_kb(request: Request) -> Response:
    _reader(request)
    raw = request.query_params.get("since")
    try:
        since = float(raw) if raw is not None else None
        if since is not None and not math.isfinite(since):
            raise ValueError
    except ValueError:
        raise HttpError(422, "invalid", "since must be a finite number") from None
    return json_response({"articles": server_of(request).kb.since(since)})


async def get_audit(request: Request) -> Response:
    user = current_user(request)
    if user.role is not Role.SUPERVISOR:
        raise HttpError(403, "forbidden", "the audit log is for supervisors")
    try:
        limit = int(request.query_params.get("limit", "500"))
    except ValueError:
        raise HttpError(422, "invalid", "limit must be an integer") from None
    if not 1 <= limit <= MAX_AUDIT_PAGE:
        raise HttpError(422, "invalid", f"limit must be between 1 and {MAX_AUDIT_PAGE}")
    entries = list(server_of(request).audit)[-limit:]
    return json_response({"entries": entries})


def _sim_error_guard(handler):
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except SimError as exc:
            raise HttpError(exc.status, exc.code, exc.message) from None
    return wrapped


ROUTES = [
    Route("/v1/login", login, methods=["POST"]),
    Route("/v1/logout", logout, methods=["POST"]),
    Route("/v1/me", me, methods=["GET"]),
    Route("/v1/me/presence", set_presence, methods=["PUT"]),
    Route("/v1/interactions", list_interactions, methods=["GET"]),
    Route("/v1/interactions/{id}", _sim_error_guard(get_interaction), methods=["GET"]),
    Route("/v1/interactions/{id}/accept", _command("accept"), methods=["POST"]),
    Route("/v1/interactions/{id}/reject", reject, methods=["POST"]),
    Route("/v1/interactions/{id}/read", _command("mark_read"), methods=["POST"]),
    Route("/v1/interactions/{id}/messages", post_message, methods=["POST"]),
    Route("/v1/interactions/{id}/call", call_action, methods=["POST"]),
    Route("/v1/interactions/{id}/transfer", transfer, methods=["POST"]),
    Route("/v1/interactions/{id}/wrapup", wrapup, methods=["POST"]),
    Route("/v1/customers", search_customers, methods=["GET"]),
    Route("/v1/customers/{id}", get_customer, methods=["GET"]),
    Route("/v1/customers/{id}/timeline", _sim_error_guard(get_timeline), methods=["GET"]),
    Route("/v1/queues", list_queues, methods=["GET"]),
    Route("/v1/agents", list_agents, methods=["GET"]),
    Route("/v1/stats", get_stats, methods=["GET"]),
    Route("/v1/stats/history", get_stats_history, methods=["GET"]),
    Route("/v1/dispositions", list_dispositions, methods=["GET"]),
    Route("/v1/canned-responses", list_canned, methods=["GET"]),
    Route("/v1/kb/articles", list_kb, methods=["GET"]),
    Route("/v1/audit", get_audit, methods=["GET"]),
]
