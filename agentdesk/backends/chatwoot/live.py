"""The live stream: cable frames -> domain events, with reconnect and catch-up.

`LiveStream.run()` yields `DeskEvent`s, `LinkStatus` and `ProtocolProblem`
forever, until `close()`. Nothing the server does makes it raise:

- the cable is (re)connected with exponential backoff and full jitter; a
  refused subscription keeps retrying at the slow end with `auth_failed` set,
  and `kick()` (a new sign-in) retries at once;
- after every reconnect it catches up through REST (ActionCable has no
  replay): the open conversations assigned to me and the unassigned ones are
  listed again, conversations that left those lists are fetched to learn why,
  and the messages after the newest one delivered are fetched per
  conversation. The tracker drops what was already delivered, so nothing
  shown is stale and nothing is shown twice; if the catch-up itself fails,
  `SnapshotNeeded` tells the desk to reload;
- events of other accounts (one cable carries every account of the user) are
  dropped; unknown event names are ignored (Chatwoot adds them freely).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from agentdesk.backends.base import (
    AgentDeskError,
    BackendAuthError,
    BackendCommandError,
    LinkState,
    LinkStatus,
    ProtocolProblem,
)
from agentdesk.backends.chatwoot.cable import (
    CableBad,
    CableConnection,
    CableEvent,
    CableLost,
    CablePing,
    CablePolicy,
)
from agentdesk.backends.chatwoot.mapping import (
    INCOMING,
    MappingError,
    agent_of,
    as_dict,
    as_int,
    as_str,
    conversation_view,
    message_item,
    message_type,
    presence_of,
)
from agentdesk.backends.chatwoot.tracker import Relation
from agentdesk.domain.events import (
    AgentChanged,
    CustomerTyping,
    InteractionChange,
    InteractionChanged,
    ItemAdded,
    ServerTime,
    SnapshotNeeded,
)
from agentdesk.domain.models import AgentInfo, Presence

if TYPE_CHECKING:
    from agentdesk.backends.chatwoot.backend import ChatwootBackend
    from agentdesk.backends.chatwoot.mapping import ConversationView

log = logging.getLogger("agentdesk.backend.chatwoot")

TYPING_EXPIRES_S = 30.0  # the dashboard's expiry of a typing_on without typing_off
CONVERSATION_EVENTS = frozenset({
    "conversation.created", "conversation.updated", "conversation.status_changed",
    "conversation.read", "assignee.changed", "team.changed", "conversation.contact_changed",
})
IGNORED_EVENTS = frozenset({  # handled by the dashboard, nothing for an agent desk
    "first.reply.created", "conversation.mentioned", "notification.created",
    "notification.updated", "notification.deleted", "contact.created", "contact.deleted",
    "contact.merged",
})
_END = object()


class LiveStream:
    def __init__(self, host: ChatwootBackend, policy: CablePolicy) -> None:
        self.host = host
        self.policy = policy
        self.auth_failed = False
        self.server_time_offset: float | None = None
        self._closing = asyncio.Event()
        self._wakeup = asyncio.Event()
        self._sink: asyncio.Queue[Any] | None = None
        self._pump: asyncio.Task[None] | None = None
        self._conn: CableConnection | None = None
        self._resume_now = False
        self._typing: dict[str, asyncio.TimerHandle] = {}
        self._presence: dict[str, Presence] = {}

    # -- public ------------------------------------------------------------------------

    async def run(self) -> AsyncIterator[Any]:
        """One consumer at a time: a new run() takes the stream over."""
        queue: asyncio.Queue[Any] = asyncio.Queue()
        older, self._sink = self._sink, queue
        if older is not None:
            older.put_nowait(_END)
        if self._closing.is_set():
            yield LinkStatus(LinkState.CLOSED)
            return
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._pump_loop(), name="chatwoot-cable")
        while True:
            item = await queue.get()
            if item is _END:
                return
            yield item
            if isinstance(item, LinkStatus) and item.state is LinkState.CLOSED:
                return

    def emit(self, item: Any) -> None:
        if self._sink is not None:
            self._sink.put_nowait(item)

    def kick(self) -> None:
        self._wakeup.set()

    async def reconnect(self) -> None:
        """Drop the socket now; the stream reconnects at once and catches up."""
        self._resume_now = True
        conn = self._conn
        if conn is not None:
            await conn.close()

    async def close(self) -> None:
        self._closing.set()
        self._wakeup.set()
        for handle in self._typing.values():
            handle.cancel()
        self._typing.clear()
        conn = self._conn
        if conn is not None:
            await conn.close()
        pump = self._pump
        if pump is not None and not pump.done():
            try:
                await asyncio.wait_for(asyncio.shield(pump), 5.0)
            except (TimeoutError, asyncio.CancelledError):
                pump.cancel()
        if self._sink is not None and (pump is None or pump.done()):
            self._sink.put_nowait(LinkStatus(LinkState.CLOSED))

    # -- the connection loop -------------------------------------------------------------

    async def _pump_loop(self) -> None:
        attempt = 0
        had_link = False
        diag = self.host.diagnostics
        try:
            while not self._closing.is_set():
                ident = self.host.cable_identity()
                if ident is None and self.host.rest.token:
                    # Started with a stored or pasted access token (no login): the
                    # profile gives the user, the account and the pubsub token.
                    try:
                        await self.host.me()
                    except AgentDeskError as exc:
                        attempt += 1
                        self.auth_failed = isinstance(exc, BackendAuthError)
                        self.emit(LinkStatus(LinkState.RECONNECTING, exc.message, attempt))
                        await self._pause(self._delay(attempt))
                        continue
                    ident = self.host.cable_identity()
                if ident is None:
                    self.emit(LinkStatus(LinkState.CONNECTING, "not signed in", attempt))
                    await self._pause(None)
                    continue
                self.emit(LinkStatus(LinkState.RECONNECTING if had_link else LinkState.CONNECTING,
                                     "", attempt))
                conn = CableConnection(self.host.base_url, ident, self.policy)
                self._conn = conn
                detail = "the cable closed"
                try:
                    await conn.open()
                    self.auth_failed = False
                    attempt = 0
                    self.emit(LinkStatus(LinkState.CONNECTED))
                    if had_link:
                        diag.reconnects += 1
                        await self._catch_up()
                    had_link = True
                    async for frame in conn.frames():
                        await self._handle(frame)
                except CableLost as exc:
                    detail = exc.detail
                    self.auth_failed = exc.auth
                    if exc.auth:
                        detail = f"not authorised: {detail}"
                finally:
                    self._conn = None
                    await conn.close()
                if self._closing.is_set():
                    break
                attempt += 1
                self.emit(LinkStatus(LinkState.RECONNECTING, detail, attempt))
                await self._pause(self._delay(attempt))
        except Exception:
            log.exception("chatwoot live stream failed")
            self.emit(ProtocolProblem("the Chatwoot stream stopped after an internal error"))
        finally:
            self.emit(LinkStatus(LinkState.CLOSED))

    def _delay(self, attempt: int) -> float:
        if self._resume_now:
            self._resume_now = False
            return 0.0
        if self.auth_failed:
            return self.policy.backoff_cap
        ceiling = min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        # The first retry after a link that worked goes out almost at once.
        return random.uniform(0, ceiling if attempt > 1 else ceiling / 4)

    async def _pause(self, seconds: float | None) -> None:
        self._wakeup.clear()
        if self._closing.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), seconds)

    # -- frames ---------------------------------------------------------------------------

    async def _handle(self, frame: Any) -> None:
        diag = self.host.diagnostics
        diag.frames += 1
        if isinstance(frame, CablePing):
            self.server_time_offset = frame.at - time.time()
            self.emit(ServerTime(frame.at))
            return
        if isinstance(frame, CableBad):
            self._problem(frame.detail)
            return
        if not isinstance(frame, CableEvent):
            return
        account = frame.data.get("account_id")
        if account is not None and as_str(account) != self.host.account_id:
            return  # one cable carries every account of the user
        try:
            await self._event(frame.name, frame.data)
        except MappingError as exc:
            self._problem(f"{frame.name}: {exc}")
        except BackendCommandError as exc:
            # A conversation we may not see (403) or that is gone (404): its event
            # concerns nobody on this desk.
            log.info("chatwoot %s: %s (%s); dropped", frame.name, exc.message, exc.status)
            if exc.status not in (403, 404):
                self.emit(SnapshotNeeded(self._now()))
        except AgentDeskError as exc:
            log.info("chatwoot %s: lookup failed (%s); asking for a reload", frame.name,
                     exc.message)
            self.emit(SnapshotNeeded(self._now()))

    def _problem(self, detail: str) -> None:
        diag = self.host.diagnostics
        diag.malformed += 1
        diag.last_problem = detail
        log.warning("chatwoot cable: dropped %s", detail)
        self.emit(ProtocolProblem(detail))

    async def _event(self, name: str, data: dict[str, Any]) -> None:
        if name in ("message.created", "message.updated"):
            await self._message(data)
        elif name in CONVERSATION_EVENTS:
            view = conversation_view(data, me=self.host.tracker.me, inboxes=self.host.inboxes)
            self._emit_all(self.host.tracker.apply(view, view.version or self._now()))
        elif name in ("conversation.typing_on", "conversation.typing_off"):
            self._typing_event(data, name.endswith("_on"))
        elif name == "presence.update":
            self._presence_event(data)
        elif name == "contact.updated":
            self._contact_event(data)
        elif name == "account.cache_invalidated":
            self.host.invalidate_caches()
        elif name not in IGNORED_EVENTS:
            self.host.diagnostics.unknown_type += 1

    def _emit_all(self, events: list[InteractionChanged]) -> None:
        for event in events:
            self.emit(event)

    async def _message(self, data: dict[str, Any]) -> None:
        conv_id = as_str(data.get("conversation_id"))
        if not conv_id:
            raise MappingError("a message without a conversation")
        tracker = self.host.tracker
        view = tracker.views.get(conv_id)
        if view is None:  # a conversation we have not seen yet: learn it first
            view = await self.host.reads.fetch_view(conv_id)
            self._emit_all(tracker.apply(view, self._now(), force=True))
        self._deliver(view, data)

    def _deliver(self, view: ConversationView, data: dict[str, Any]) -> None:
        tracker = self.host.tracker
        item = message_item(data, customer_id=view.contact_id, channel=view.interaction.channel)
        if not item.interaction_id:
            item = item.model_copy(update={"interaction_id": view.id})
        fresh = tracker.deliver(item)
        if fresh is None:
            self.host.diagnostics.duplicates += 1
            return
        if tracker.relations.get(view.id) not in (Relation.MINE, Relation.OFFER):
            return
        self.emit(ItemAdded(fresh, fresh.at or self._now()))
        if message_type(data) == INCOMING:
            self._stop_typing(view.id)
            unread = as_int(as_dict(data.get("conversation")).get("unread_count"))
            fields: dict[str, Any] = {"last_customer_at": fresh.at}
            if unread is not None:
                fields["unread"] = max(0, unread)
            inter = tracker.update_interaction(view.id, **fields)
            if inter is not None:
                self.emit(InteractionChanged(InteractionChange.UPDATED, inter, fresh.at))

    def _typing_event(self, data: dict[str, Any], on: bool) -> None:
        user = as_dict(data.get("user"))
        if as_str(user.get("type")).lower() != "contact":
            return  # another agent typing (or a private note): not the customer
        conv_id = as_str(as_dict(data.get("conversation")).get("id"))
        if not conv_id or self.host.tracker.relations.get(conv_id) not in (
                Relation.MINE, Relation.OFFER):
            return
        self._stop_typing(conv_id, emit=False)
        self.emit(CustomerTyping(conv_id, on, self._now()))
        if on:
            loop = asyncio.get_running_loop()
            self._typing[conv_id] = loop.call_later(TYPING_EXPIRES_S, self._typing_expired,
                                                    conv_id)

    def _stop_typing(self, conv_id: str, *, emit: bool = True) -> None:
        handle = self._typing.pop(conv_id, None)
        if handle is not None:
            handle.cancel()
            if emit:
                self.emit(CustomerTyping(conv_id, False, self._now()))

    def _typing_expired(self, conv_id: str) -> None:
        if self._typing.pop(conv_id, None) is not None:
            self.emit(CustomerTyping(conv_id, False, self._now()))

    def note_presence(self, agent: AgentInfo, at: float) -> None:
        """A presence the adapter set itself: one AgentChanged, and the cable's own
        presence.update for it later is nothing new."""
        if self._presence.get(agent.id) is not agent.presence:
            self._presence[agent.id] = agent.presence
            self.emit(AgentChanged(agent, at))

    def _presence_event(self, data: dict[str, Any]) -> None:
        users = as_dict(data.get("users"))
        for user_id, status in users.items():
            uid = as_str(user_id)
            presence = presence_of(status)
            if not uid or self._presence.get(uid) is presence:
                continue
            self._presence[uid] = presence
            name = self.host.agent_names.get(uid) or uid
            agent = agent_of({"id": uid, "name": name}, availability=status)
            self.emit(AgentChanged(agent, self._now()))

    def _contact_event(self, data: dict[str, Any]) -> None:
        contact_id = as_str(data.get("id"))
        name = as_str(data.get("name"))
        if not contact_id or not name:
            return
        tracker = self.host.tracker
        for conv_id, view in list(tracker.views.items()):
            if view.contact_id != contact_id:
                continue
            inter = tracker.update_interaction(conv_id, customer_name=name)
            if inter is not None and tracker.relations.get(conv_id) in (Relation.MINE,
                                                                        Relation.OFFER):
                self.emit(InteractionChanged(InteractionChange.UPDATED, inter, self._now()))

    # -- catch-up after a reconnect ---------------------------------------------------------

    async def _catch_up(self) -> None:
        tracker = self.host.tracker
        now = self._now()
        try:
            listed = await self.host.reads.open_views()
            for view in listed:
                self._emit_all(tracker.apply(view, now, force=True))
            listed_ids = {v.id for v in listed}
            for conv_id in tracker.open_ids():
                if conv_id in listed_ids:
                    continue
                try:
                    view = await self.host.reads.fetch_view(conv_id)
                except BackendCommandError as exc:
                    if exc.status != 404:
                        raise
                    self._emit_all(tracker.forget(conv_id, now))
                    continue
                self._emit_all(tracker.apply(view, now, force=True))
            for conv_id in tracker.open_ids():
                after = tracker.last_message.get(conv_id)
                known = tracker.views.get(conv_id)
                if after is None or known is None:
                    continue  # the desk has not loaded it: its timeline load is fresh
                for raw in await self.host.reads.messages_after(conv_id, after):
                    self._deliver(known, as_dict(raw))
        except AgentDeskError as exc:
            log.info("chatwoot catch-up failed (%s); asking for a reload", exc.message)
            self.emit(SnapshotNeeded(now))

    def _now(self) -> float:
        return time.time() + (self.server_time_offset or 0.0)
