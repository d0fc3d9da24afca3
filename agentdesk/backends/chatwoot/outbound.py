"""Sending messages exactly once on a backend with no idempotency keys.

Chatwoot has none, but it echoes a client-chosen `echo_id` in the cable's
`message.created` for the new message. We send the outbox's client_id as the
echo_id, and before sending a command again we look for it:

1. the answer of an earlier attempt in this session (`_results`);
2. the echo: the cable's `message.created` carrying our echo_id (it may have
   arrived even though the POST's answer was lost);
3. only for a retry whose outcome is unknown (the earlier POST failed without
   an answer): the conversation's newest messages, for one of ours with the
   same text and privacy created since the first attempt, not already claimed
   by another client_id. Chatwoot does not store echo_id (it is an
   attr_accessor on Message), so a message list cannot show it.

A crash of the desk between the POST and marking the message sent: the
outbox keeps the attempt count, so the restarted desk's sender tells the
backend (`note_unsettled(client_id, since=<queued at>)`) and step 3 runs
before the resend, from the time the message was queued. Chatwoot keeps no
key of ours (echo_id is not stored, `source_id` is null for agents' messages),
so the match is by author, privacy, text and time; see docs/backends/chatwoot.md.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import BackendConnectionError
from agentdesk.backends.chatwoot.mapping import (
    OUTGOING,
    as_dict,
    as_list,
    as_str,
    message_item,
    message_type,
)
from agentdesk.protocol.sanitize import sanitize_text

if TYPE_CHECKING:
    from agentdesk.backends.chatwoot.rest import ChatwootRest
    from agentdesk.backends.chatwoot.tracker import Tracker
    from agentdesk.domain.models import Channel, TimelineItem

CLOCK_SLACK_S = 120.0  # our clock vs the server's, when matching "since the first attempt"


class Outbound:
    def __init__(self, rest: ChatwootRest, tracker: Tracker) -> None:
        self.rest = rest
        self.tracker = tracker
        self._results: dict[str, TimelineItem] = {}
        self._attempts: dict[str, float] = {}  # client_id -> first attempt (local clock)

    async def send(self, conversation_id: str, body: str, client_id: str, *, private: bool,
                   cc: list[str], customer_id: str, channel: Channel) -> TimelineItem:
        done = self._results.get(client_id) or self.tracker.echoes.get(client_id)
        if done is not None:
            self._results[client_id] = done
            return done
        if client_id in self._attempts:
            found = await self._find_sent(conversation_id, body, private,
                                          self._attempts[client_id], customer_id, channel)
            if found is not None:
                return self._settle(client_id, found)
        self._attempts.setdefault(client_id, time.time())
        payload: dict[str, Any] = {
            "content": body,
            "message_type": "outgoing",
            "private": private,
            "content_type": "text",
            "echo_id": client_id,
        }
        if cc:
            payload["cc_emails"] = ",".join(cc)
        # Never retried blindly: a retry goes through the echo search above.
        answer = await self.rest.post(self.rest.conv(conversation_id, "/messages"), payload,
                                      retry=False)
        if not isinstance(answer, dict):
            raise BackendConnectionError("Chatwoot answered the message with something that "
                                         "is not a message")
        item = message_item(answer, customer_id=customer_id, channel=channel)
        if not item.interaction_id:
            item = item.model_copy(update={"interaction_id": conversation_id})
        return self._settle(client_id, item)

    def note_unsettled(self, client_id: str, since: float) -> None:
        """An earlier attempt (maybe by another process) may have reached Chatwoot:
        the next send looks in the conversation first. `since`: no later than that
        attempt (the outbox's queued-at time)."""
        if client_id not in self._results:
            self._attempts[client_id] = min(since, self._attempts.get(client_id, since))

    def _settle(self, client_id: str, item: TimelineItem) -> TimelineItem:
        item = item.model_copy(update={"client_id": client_id})
        self._results[client_id] = item
        self._attempts.pop(client_id, None)
        self.tracker.note_echo(client_id, item)
        return item

    async def _find_sent(self, conversation_id: str, body: str, private: bool, since: float,
                         customer_id: str, channel: Channel) -> TimelineItem | None:
        reply = await self.rest.get(self.rest.conv(conversation_id, "/messages"))
        messages = as_list(as_dict(reply).get("payload")) if isinstance(reply, dict) else []
        me = self.tracker.me
        for raw in reversed(messages):
            msg = as_dict(raw)
            if message_type(msg) != OUTGOING or (msg.get("private") is True) != private:
                continue
            sender = as_dict(msg.get("sender"))
            if me and as_str(sender.get("id") or msg.get("sender_id")) not in ("", me):
                continue
            created = msg.get("created_at")
            if isinstance(created, (int, float)) and created < since - CLOCK_SLACK_S:
                continue
            mid = as_str(msg.get("id"))
            if not mid or mid in self.tracker.client_of:
                continue  # another send of ours
            if as_str(msg.get("content")).strip() != sanitize_text(body).strip():
                continue
            return message_item(msg, customer_id=customer_id, channel=channel)
        return None
