"""The OpenAPI 3.1 document of agentdesk/1 as the mock server implements it.

Paths are listed by hand (they are the protocol; tests/hardening/test_openapi_routes.py
fails when they and the app's routes differ); the schemas come from the pydantic
models, so they cannot drift from what the server validates. The rules the
models check in code (dtmf needs digits, a transfer names exactly one target)
are added to their schemas here as `oneOf`, and the disposition codes the server
knows become an `enum`; schemathesis (tests/hardening/test_schemathesis.py)
proves server and document agree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, create_model
from pydantic.json_schema import models_json_schema

from agentdesk import __version__
from agentdesk.domain.models import (
    AgentInfo,
    CannedResponse,
    Customer,
    CustomerDetail,
    Disposition,
    Interaction,
    KbArticle,
    Queue,
    Stats,
    StatsHistory,
    TimelinePage,
)
from agentdesk.mockserver.routes_reports import IntervalReportResponse
from agentdesk.protocol.requests import (
    CallbackList,
    CallbackRequest,
    CallbackResponse,
    CallRequest,
    CommandRequest,
    CustomerSearchResponse,
    DialRequest,
    DisclosureRequest,
    ExportPage,
    InteractionResponse,
    LoginRequest,
    LoginResponse,
    MeResponse,
    MessageRequest,
    MessageResponse,
    PresenceRequest,
    RejectRequest,
    SimClockRequest,
    SimComplianceRequest,
    SimContactRequest,
    SimMessageRequest,
    TransferRequest,
    WrapupRequest,
)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class AgentResponse(BaseModel):
    agent: AgentInfo


class AuditEntry(BaseModel):
    at: float
    wall: float
    user: str
    method: str
    path: str


class SimContactResponse(BaseModel):
    interaction_id: str
    interaction: Interaction


class SimCustomerResponse(BaseModel):
    customer: Customer


class LogoutResponse(BaseModel):
    logged_out: bool


class SimClockResponse(BaseModel):
    now: float
    manual: bool
    speed: float


def _list_of(name: str, key: str, item: type[BaseModel]) -> type[BaseModel]:
    return create_model(name, **{key: (list[item], ...)})  # type: ignore[call-overload]


InteractionList = _list_of("InteractionList", "interactions", Interaction)
QueueList = _list_of("QueueList", "queues", Queue)
AgentList = _list_of("AgentList", "agents", AgentInfo)
DispositionList = _list_of("DispositionList", "dispositions", Disposition)
CannedList = _list_of("CannedResponseList", "canned_responses", CannedResponse)
ArticleList = _list_of("ArticleList", "articles", KbArticle)
AuditList = _list_of("AuditList", "entries", AuditEntry)
StatsResponse = create_model("StatsResponse", stats=(Stats, ...))
HistoryResponse = create_model("StatsHistoryResponse", history=(StatsHistory, ...))


def _burst_models() -> list[type[BaseModel]]:
    from agentdesk.mockserver.routes_sim import SimBurstRequest, SimTypingRequest
    return [SimBurstRequest, SimTypingRequest]


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(model)}}


ERRORS = {
    "400": "invalid JSON", "401": "missing or invalid token", "403": "role not allowed",
    "404": "unknown id", "409": "illegal in the current state", "413": "body over 1 MiB",
    "422": "schema violation", "426": "a WebSocket endpoint asked without Upgrade",
    "429": "rate limited (see Retry-After)",
}


def _op(summary: str, response: type[BaseModel] | None, *, body: type[BaseModel] | None = None,
        body_optional: bool = False, status: str = "200", errors: str = "401",
        params: list[dict[str, Any]] | None = None, auth: bool = True) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {}}
    op["responses"][status] = ({"description": "OK", "content": _json(response)}
                               if response else {"description": "OK"})
    for code in [*errors.split(), "429"]:  # every request counts against the rate limit
        op["responses"][code] = {"description": ERRORS[code], "content": _json(ErrorResponse)}
    if body is not None:
        op["requestBody"] = {"required": not body_optional, "content": _json(body)}
    if params:
        op["parameters"] = params
    if not auth:
        op["security"] = []
    return op


def _path_param(name: str = "id") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, kind: str, description: str, **limits: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind, **limits},
            "description": description}


MUTATING = "400 401 403 404 409 413 422"


def _paths() -> dict[str, Any]:
    ix = [_path_param()]
    burst, typing = _burst_models()
    return {
        "/v1/login": {
            "post": _op(
                "Log in (demo users: agent1..N, supervisor; password demo)",
                LoginResponse,
                body=LoginRequest,
                errors="400 401 413 422",
                auth=False,
            )
        },
        "/v1/logout": {"post": _op("Revoke this token (any role)", LogoutResponse)},
        "/v1/me": {"get": _op("Who am I", MeResponse)},
        "/v1/me/presence": {
            "put": _op(
                "Set presence (and next presence)",
                AgentResponse,
                body=PresenceRequest,
                errors="400 401 403 413 422",
            )
        },
        "/v1/interactions": {
            "get": _op(
                "Open interactions: mine (agents) or all / one agent's (supervisors)",
                InteractionList,
                errors="401 403 404",
                params=[_query("agent", "string", "supervisors: only this agent's")],
            )
        },
        "/v1/interactions/{id}": {
            "get": _op("One interaction", InteractionResponse, errors="401 403 404", params=ix)
        },
        "/v1/interactions/{id}/accept": {
            "post": _op(
                "Accept an offer (or a consult)",
                InteractionResponse,
                body=CommandRequest,
                body_optional=True,
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/interactions/{id}/reject": {
            "post": _op(
                "Reject an offer (optionally with a reason code); it goes back to the queue",
                InteractionResponse,
                body=RejectRequest,
                body_optional=True,
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/interactions/{id}/read": {
            "post": _op(
                "Mark customer messages read (assigned agent only)",
                InteractionResponse,
                body=CommandRequest,
                body_optional=True,
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/interactions/{id}/messages": {
            "post": _op(
                "Reply to the customer or add a private note",
                MessageResponse,
                body=MessageRequest,
                status="201",
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/interactions/{id}/call": {
            "post": _op(
                "Call control: hold, resume, mute, unmute, hangup, dtmf; "
                "consult_complete, consult_cancel, conference (warm transfer)",
                InteractionResponse,
                body=CallRequest,
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/interactions/{id}/transfer": {
            "post": _op(
                "Transfer to a queue or an agent, blind or warm",
                InteractionResponse,
                body=TransferRequest,
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/interactions/{id}/wrapup": {
            "post": _op(
                "Close with a disposition (ends a digital contact first)",
                InteractionResponse,
                body=WrapupRequest,
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/customers": {
            "get": _op("Find customers by name, phone, email or account number (at most 20)",
                       CustomerSearchResponse, errors="401 422",
                       params=[{"name": "q", "in": "query", "required": True,
                                "schema": {"type": "string", "minLength": 2, "maxLength": 100}}])
        },
        "/v1/outbound/calls": {
            "post": _op(
                "Call a customer now (409 dnc, outside_calling_window, no_capacity)",
                InteractionResponse,
                body=DialRequest,
                status="201",
                errors=MUTATING,
            )
        },
        "/v1/interactions/{id}/disclosure": {
            "post": _op(
                "Recording disclosure on a call: confirm, decline (recording pauses), resume",
                InteractionResponse,
                body=DisclosureRequest,
                errors=MUTATING,
                params=ix,
            )
        },
        "/v1/callbacks": {
            "get": _op("Callbacks: mine and my queues' (agents), all (supervisors)", CallbackList),
            "post": _op(
                "Schedule a callback (409 dnc, outside_calling_window at its time)",
                CallbackResponse,
                body=CallbackRequest,
                status="201",
                errors=MUTATING,
            ),
        },
        "/v1/export": {
            "get": _op(
                "Interactions I may read, with their timeline events, in pages",
                ExportPage,
                errors="401 404 422",
                params=[
                    _query("since", "number", "only interactions with activity at or after this time"),
                    _query("after", "string", "the `next` of the previous page"),
                    _query("limit", "integer", "page size 1..500, default 100", minimum=1, maximum=500,
                           default=100),
                ],
            )
        },
        "/v1/customers/{id}": {
            "get": _op("Customer profile and contacts", CustomerDetail, errors="401 404", params=ix)
        },
        "/v1/customers/{id}/timeline": {
            "get": _op(
                "Unified timeline page, oldest first",
                TimelinePage,
                errors="401 404 422",
                params=ix
                + [
                    _query("before", "string", "item id: items older than it"),
                    _query(
                        "limit", "integer", "page size 1..500, default 50", minimum=1, maximum=500, default=50
                    ),
                ],
            )
        },
        "/v1/queues": {"get": _op("Queues", QueueList)},
        "/v1/agents": {"get": _op("Agents and their states", AgentList)},
        "/v1/stats": {"get": _op("Queue and agent metrics", StatsResponse)},
        "/v1/stats/history": {
            "get": _op(
                "Trend series (rolling SL, peak waiting) per queue and for the floor, in 30 s buckets",
                HistoryResponse,
                errors="401 422",
                params=[
                    _query(
                        "minutes",
                        "integer",
                        "the last N minutes, 1..60, default 30",
                        minimum=1,
                        maximum=60,
                        default=30,
                    )
                ],
            )
        },
        "/v1/reports/intervals": {
            "get": _op(
                "Today's interval report per queue and channel, the same time yesterday, "
                "away reasons per agent (supervisors only)",
                IntervalReportResponse,
                errors="401 403 422",
                params=[
                    _query(
                        "interval",
                        "integer",
                        "interval length in minutes: 15, 30 or 60",
                        enum=[15, 30, 60],
                        default=15,
                    )
                ],
            )
        },
        "/v1/dispositions": {"get": _op("Disposition codes", DispositionList)},
        "/v1/canned-responses": {"get": _op("Canned responses", CannedList)},
        "/v1/kb/articles": {
            "get": _op(
                "KB articles",
                ArticleList,
                errors="401 422",
                params=[
                    _query(
                        "since",
                        "number",
                        "only articles updated after this time (a finite number of Unix seconds)",
                    )
                ],
            )
        },
        "/v1/audit": {
            "get": _op(
                "What supervisors read (supervisors only)",
                AuditList,
                errors="401 403 422",
                params=[
                    _query("limit", "integer", "latest N entries", minimum=1, maximum=10_000, default=500)
                ],
            )
        },
        "/v1/events": {
            "get": {
                "summary": "WebSocket event stream (upgrade); token as ?token= or bearer header",
                "parameters": [
                    _query("since", "integer", "replay events after this seq", minimum=0, maximum=2**53 - 1),
                    _query("token", "string", "bearer token"),
                ],
                "responses": {
                    "101": {"description": "switching protocols"},
                    **{
                        code: {"description": ERRORS[code], "content": _json(ErrorResponse)}
                        for code in ("401", "422", "426", "429")
                    },
                },
            }
        },
        "/sim/contacts": {
            "post": _op(
                "New inbound contact",
                SimContactResponse,
                body=SimContactRequest,
                status="201",
                errors="400 404 413 422",
                auth=False,
            )
        },
        "/sim/interactions/{id}/customer-message": {
            "post": _op(
                "The customer writes",
                MessageResponse,
                body=SimMessageRequest,
                status="201",
                errors="400 404 409 413 422",
                params=ix,
                auth=False,
            )
        },
        "/sim/interactions/{id}/typing": {
            "post": _op(
                "The customer is (not) typing",
                None,
                body=typing,
                body_optional=True,
                errors="400 404 413 422",
                params=ix,
                auth=False,
            )
        },
        "/sim/interactions/{id}/end": {
            "post": _op(
                "The customer leaves or hangs up",
                InteractionResponse,
                errors="404 409",
                params=ix,
                auth=False,
            )
        },
        "/sim/customers/{id}/compliance": {
            "post": _op(
                "Change a customer's do-not-call flag or consent",
                SimCustomerResponse,
                body=SimComplianceRequest,
                errors="400 404 413 422",
                params=ix,
                auth=False,
            )
        },
        "/sim/clock": {
            "get": _op("Simulation time", SimClockResponse, errors="", auth=False),
            "post": _op(
                "Advance a manual clock",
                SimClockResponse,
                body=SimClockRequest,
                errors="400 409 413 422",
                auth=False,
            ),
        },
        "/sim/burst": {
            "post": _op(
                "Synthetic event burst (benchmarks)",
                None,
                body=burst,
                status="202",
                errors="400 404 409 413 422",
                auth=False,
            )
        },
        "/healthz": {
            "get": {
                "summary": "Liveness: {ok, now, sockets}",
                "security": [],
                "responses": {"200": {"description": "alive"}},
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "security": [],
                "responses": {"200": {"description": "OpenAPI document"}},
            }
        },
    }


# Rules the request models check in code (model validators), stated in their schemas.
_NULL = {"type": "null"}
RULES: dict[str, dict[str, Any]] = {
    "CallRequest": {
        "oneOf": [
            {
                "properties": {"action": {"const": "dtmf"}},
                "required": ["digits"],
                "not": {"properties": {"digits": _NULL}, "required": ["digits"]},
            },
            {"properties": {"action": {"not": {"const": "dtmf"}}, "digits": _NULL}},
        ],
        "description": "`digits` is required for `dtmf`, and only for it",
    },
    "CallbackRequest": {
        "not": {"required": ["queue_id", "agent_id"],
                "properties": {"queue_id": {"type": "string"}, "agent_id": {"type": "string"}}},
        "description": "at most one of `queue_id` and `agent_id` (neither: the agent asking)",
    },
    "TransferRequest": {
        "oneOf": [
            {"required": ["queue_id"], "properties": {"queue_id": {"type": "string"}, "agent_id": _NULL}},
            {"required": ["agent_id"], "properties": {"agent_id": {"type": "string"}, "queue_id": _NULL}},
        ],
        "description": "exactly one of `queue_id` and `agent_id`",
    },
}


def _with_rules(defs: dict[str, Any], dispositions: tuple[str, ...]) -> dict[str, Any]:
    for name, rule in RULES.items():
        defs[name] = {**defs[name], **rule}
    if dispositions:
        wrapup = defs["WrapupRequest"]
        field = dict(wrapup["properties"]["disposition"])
        field["enum"] = list(dispositions)
        defs["WrapupRequest"] = {**wrapup, "properties": {**wrapup["properties"], "disposition": field}}
    return defs


@lru_cache(maxsize=4)
def openapi_document(dispositions: tuple[str, ...] = ()) -> dict[str, Any]:
    """The document; `dispositions`: the codes the server accepts (`enum`)."""
    models = [
        ErrorResponse,
        LoginRequest,
        LoginResponse,
        LogoutResponse,
        MeResponse,
        PresenceRequest,
        AgentResponse,
        CommandRequest,
        CustomerSearchResponse,
        RejectRequest,
        InteractionResponse,
        MessageRequest,
        MessageResponse,
        CallRequest,
        TransferRequest,
        WrapupRequest,
        DialRequest,
        DisclosureRequest,
        ExportPage,
        CallbackRequest,
        CallbackResponse,
        CallbackList,
        SimComplianceRequest,
        SimCustomerResponse,
        CustomerDetail,
        TimelinePage,
        InteractionList,
        QueueList,
        AgentList,
        StatsResponse,
        HistoryResponse,
        IntervalReportResponse,
        DispositionList,
        CannedList,
        ArticleList,
        AuditList,
        SimContactRequest,
        SimContactResponse,
        SimMessageRequest,
        SimClockRequest,
        SimClockResponse,
        *_burst_models(),
    ]
    _, defs = models_json_schema(
        [(m, "validation") for m in models], ref_template="#/components/schemas/{model}"
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "agentdesk/1 (mock server)",
            "version": __version__,
            "description": "See docs/protocol.md. Errors: {error: {code, message}}.",
        },
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {
            "schemas": _with_rules(defs.get("$defs", {}), dispositions),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
