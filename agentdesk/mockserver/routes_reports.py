"""`GET /v1/reports/intervals?interval=15`: today's interval report (supervisors).

Per interval of 15, 30 or 60 minutes, per queue and channel: offered,
answered, abandoned, SL %, ASA, AHT, transfers; the day's totals, the same
figures up to the same time yesterday, and away-reason totals per agent
(agentdesk/domain/reports.py). The response models are here so the OpenAPI
document (openapi.py) describes exactly what the route sends.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentdesk.domain.models import Role
from agentdesk.domain.reports import build_report
from agentdesk.mockserver.http import HttpError, current_user, json_response, server_of

INTERVAL_MINUTES = (15, 30, 60)


class ReportRow(BaseModel):
    start: float
    queue_id: str
    channel: str | None  # None: the queue's total
    offered: int
    answered: int
    abandoned: int
    answered_in_sl: int
    sl_pct: float | None
    asa_s: float | None
    aht_s: float | None
    handled: int
    transfers: int
    threshold_s: float


class AwayTotal(BaseModel):
    agent_id: str
    reason: str
    seconds: float


class IntervalReport(BaseModel):
    interval_s: float
    day_start: float
    now: float
    rows: list[ReportRow]
    totals: list[ReportRow]
    yesterday: list[ReportRow]
    away: list[AwayTotal]


class IntervalReportResponse(BaseModel):
    report: IntervalReport


async def get_interval_report(request: Request) -> Response:
    user = current_user(request)
    if user.role is not Role.SUPERVISOR:
        raise HttpError(403, "forbidden", "reports are for supervisors")
    raw = request.query_params.get("interval", "15")
    try:
        minutes = int(raw)
    except ValueError:
        raise HttpError(422, "invalid", "interval must be 15, 30 or 60 (minutes)") from None
    if minutes not in INTERVAL_MINUTES:
        raise HttpError(422, "invalid", "interval must be 15, 30 or 60 (minutes)")
    server = server_of(request)
    server.record_audit(user, request.method, request.url.path, request.url.query)
    server.sync_clock()
    server.commit()
    sim = server.sim
    log = sim.report_log
    report = build_report(sim.queues, log.records(sim), log.spans_until(sim, sim.now), sim.now,
                          minutes * 60.0)
    return json_response({"report": report})


ROUTES = [Route("/v1/reports/intervals", get_interval_report, methods=["GET"])]
