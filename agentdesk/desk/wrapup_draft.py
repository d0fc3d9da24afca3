"""The drafted wrap-up note the wrap-up dialog opens with (F9): this contact's
conversation run through `domain/summary.py`, plus the callback the agent
scheduled for the customer during it. Local: the only reads are the timeline
and the callbacks the desk may already read; a failure means no draft, never
a failed wrap-up."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from agentdesk.backends.base import AgentDeskError

if TYPE_CHECKING:
    from agentdesk.backends.base import Backend
    from agentdesk.domain.models import Interaction

TIMELINE_ITEMS = 500  # one page: a contact's own items are the newest ones


async def draft_note(backend: Backend, inter: Interaction) -> str:
    from agentdesk.domain.summary import conversation, draft

    try:
        page = await backend.get_timeline(inter.customer_id, limit=TIMELINE_ITEMS)
    except AgentDeskError:
        return ""
    summary = draft(conversation(page.items, inter.id), interaction=inter,
                    callback=await _callback(backend, inter))
    if not (summary.reason or summary.done or summary.promised or summary.next_step):
        return ""
    return summary.one_line()


async def _callback(backend: Backend, inter: Interaction) -> str:
    if not backend.capabilities.callbacks:
        return ""
    try:
        callbacks = await backend.list_callbacks()
    except AgentDeskError:
        return ""
    made = [cb for cb in callbacks if cb.customer_id == inter.customer_id
            and cb.created_at >= inter.created_at and cb.state == "scheduled"]
    if not made:
        return ""
    cb = made[-1]
    when = dt.datetime.fromtimestamp(cb.at).strftime("%a %d %b %H:%M")
    return f"{when}" + (f", {cb.note}" if cb.note else "")
