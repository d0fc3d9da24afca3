"""`GET /v1/export`: the interactions a user may read, with their timeline
events, page by page (for `agentdesk export`, BI tools and QA).

Agents get the interactions they handled or transferred away; supervisors
(audited) get every one. `since` keeps the interactions with activity
(created, ended or closed) at or after it; `after` is the last id of the
previous page.
"""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agentdesk.domain.models import Interaction, Role
from agentdesk.mockserver.http import HttpError, current_user, json_response, server_of
from agentdesk.protocol.requests import ExportPage, ExportRecord

MAX_PAGE = 500


def _last_activity(ix: Interaction) -> float:
    return max(ix.created_at, ix.ended_at or 0.0, ix.closed_at or 0.0)


async def export(request: Request) -> Response:
    user = current_user(request)
    server = server_of(request)
    if user.role is Role.SUPERVISOR:
        server.record_audit(user, request.method, request.url.path, request.url.query)
    params = request.query_params
    try:
        since = float(params.get("since", "0"))
        limit = int(params.get("limit", "100"))
        if not math.isfinite(since):
            raise ValueError
    except ValueError:
        raise HttpError(422, "invalid", "since must be a finite number and limit an integer") \
            from None
    if not 1 <= limit <= MAX_PAGE:
        raise HttpError(422, "invalid", f"limit must be between 1 and {MAX_PAGE}")
    after = params.get("after")
    sim = server.sim
    if after is not None and after not in sim.interactions:
        raise HttpError(404, "not_found", f"no interaction {after!r}")
    ids = list(sim.interactions)  # creation order: stable pages while new ones arrive
    start = ids.index(after) + 1 if after is not None else 0
    records: list[ExportRecord] = []
    last: str | None = None
    for iid in ids[start:]:
        last = iid
        ix = sim.interactions[iid]
        mine = user.role is Role.SUPERVISOR or user.id in (ix.agent_id, ix.transferred_from)
        if mine and _last_activity(ix) >= since:
            items = [i for i in sim.items.get(ix.customer_id, []) if i.interaction_id == iid]
            records.append(ExportRecord(interaction=ix, events=items))
            if len(records) >= limit:
                break
    more = last is not None and last != ids[-1]
    return json_response(ExportPage(records=records, next=last if more else None))


ROUTES = [Route("/v1/export", export, methods=["GET"])]
