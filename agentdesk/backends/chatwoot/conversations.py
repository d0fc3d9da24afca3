"""Reading conversations and messages over REST: the open lists, one
conversation, a contact's conversations, message pages `before` (the unified
timeline) and `after` (the catch-up). Chatwoot's envelopes vary by endpoint
and version (a bare array, `payload`, `data.payload`): `payload_list` takes
them all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import BackendConnectionError
from agentdesk.backends.chatwoot.mapping import (
    ConversationView,
    InboxInfo,
    MappingError,
    as_dict,
    conversation_view,
    message_item,
    message_sort_key,
)
from agentdesk.backends.chatwoot.rest import seg
from agentdesk.domain.models import TimelineItem, TimelinePage

if TYPE_CHECKING:
    from agentdesk.backends.chatwoot.rest import ChatwootRest
    from agentdesk.backends.chatwoot.tracker import Tracker

log = logging.getLogger("agentdesk.backend.chatwoot")

PAGE_SIZE = 25  # conversations per page (Chatwoot's CONVERSATION_RESULTS_PER_PAGE)
MAX_PAGES = 40  # 1,000 conversations per list: enough for one agent's desk
MESSAGES_PAGE = 20  # messages per `before` page
MESSAGES_AFTER = 100  # messages per `after` page


class ConversationReads:
    def __init__(self, rest: ChatwootRest, tracker: Tracker,
                 inboxes: Callable[[], dict[str, InboxInfo]]) -> None:
        self.rest = rest
        self.tracker = tracker
        self.inboxes = inboxes

    async def open_views(self) -> list[ConversationView]:
        """Open conversations assigned to me, then the unassigned ones in my inboxes."""
        views: list[ConversationView] = []
        for assignee in ("me", "unassigned"):
            for page in range(1, MAX_PAGES + 1):
                answer = await self.rest.get(self.rest.acct("/conversations"),
                                             {"assignee_type": assignee, "status": "open",
                                              "page": page})
                batch = payload_list(as_dict(answer).get("data") or answer)
                views.extend(self.views(batch))
                if len(batch) < PAGE_SIZE:
                    break
        return views

    def views(self, raw: list[Any]) -> list[ConversationView]:
        views = []
        for obj in raw:
            try:
                views.append(conversation_view(obj, me=self.tracker.me, inboxes=self.inboxes()))
            except MappingError as exc:
                log.warning("chatwoot: skipped a conversation (%s)", exc)
        return views

    async def fetch_view(self, conversation_id: str) -> ConversationView:
        answer = await self.rest.get(self.rest.conv(conversation_id))
        try:
            return conversation_view(answer, me=self.tracker.me, inboxes=self.inboxes())
        except MappingError as exc:
            raise BackendConnectionError(f"Chatwoot sent a conversation without an id ({exc})"
                                         ) from None

    async def messages_after(self, conversation_id: str, after: int) -> list[Any]:
        """Every message newer than `after`, oldest first (100 per request)."""
        found: list[Any] = []
        cursor = after
        for _ in range(MAX_PAGES):
            answer = await self.rest.get(self.rest.conv(conversation_id, "/messages"),
                                         {"after": cursor})
            batch = payload_list(answer)
            ids = [i for i in (int_id(m) for m in batch) if i is not None and i > cursor]
            found.extend(m for m in batch if (int_id(m) or 0) > cursor)
            if len(batch) < MESSAGES_AFTER or not ids:
                break
            cursor = max(ids)
        return found

    async def contact_views(self, customer_id: str) -> list[ConversationView]:
        answer = await self.rest.get(self.rest.acct(f"/contacts/{seg(customer_id)}/conversations"))
        return self.views(payload_list(answer))

    async def timeline(self, customer_id: str, *, before: str | None = None,
                       limit: int = 100) -> TimelinePage:
        """Every conversation of the contact, merged oldest first; `before` is a
        message id (Chatwoot's message ids are global and grow with time)."""
        limit = max(1, min(limit, 500))
        cursor = int(before) if before and before.isdigit() else None
        items: list[TimelineItem] = []
        more = False
        for view in await self.contact_views(customer_id):
            raw, conv_more = await self.messages_before(view.id, cursor, limit)
            more = more or conv_more
            for msg in raw:
                try:
                    item = message_item(msg, customer_id=customer_id,
                                        channel=view.interaction.channel)
                except MappingError:
                    continue
                if not item.interaction_id:
                    item = item.model_copy(update={"interaction_id": view.id})
                client_id = self.tracker.client_of.get(item.id)
                if client_id and not item.client_id:
                    item = item.model_copy(update={"client_id": client_id})
                items.append(item)
        items = list({i.id: i for i in items}.values())
        items.sort(key=message_sort_key)
        if len(items) > limit:
            more = True
            items = items[-limit:]
        self.tracker.note_loaded(items)
        return TimelinePage(items=items, has_more=more)

    async def messages_before(self, conversation_id: str, before: int | None, need: int
                               ) -> tuple[list[Any], bool]:
        """Up to `need` newest messages of one conversation older than `before`."""
        found: list[Any] = []
        cursor = before
        while True:
            answer = await self.rest.get(self.rest.conv(conversation_id, "/messages"),
                                         {"before": cursor})
            batch = [m for m in payload_list(answer)
                     if cursor is None or (int_id(m) or 0) < cursor]
            found[:0] = batch
            ids = [i for i in (int_id(m) for m in batch) if i is not None]
            if len(batch) < MESSAGES_PAGE or not ids:
                return found, False
            if len(found) >= need:
                return found, True
            cursor = min(ids)


def payload_list(answer: Any) -> list[Any]:
    """A list answer in any of Chatwoot's envelopes: a bare array, {"payload": [...]},
    {"data": {"payload": [...]}} or {"data": [...]}."""
    if isinstance(answer, list):
        return answer
    obj = as_dict(answer)
    for key in ("payload", "data"):
        value = obj.get(key)
        if isinstance(value, list):
            return value
        if isinstance(value, dict):
            inner = value.get("payload")
            if isinstance(inner, list):
                return inner
    return []


def int_id(obj: Any) -> int | None:
    value = as_dict(obj).get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
