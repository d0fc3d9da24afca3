"""`ChatwootMonitor`: the supervisor monitor's source on Chatwoot, read-only.

It answers the calls the monitor makes of any backend (`list_queues`,
`list_agents`, `get_stats`, `list_interactions`, `get_timeline`, `events()`)
with the same domain data the agentdesk/1 supervisor stream gives, built by
`MonitorBoard` from what an administrator can read:

- `GET …/inboxes`, `GET …/teams`: the queues; `GET …/inbox_members/{inbox}`
  and `GET …/teams/{team}/team_members`: who serves which queue;
- `GET …/agents`: the agents and their availability;
- `GET …/conversations?assignee_type=all&status=open` (every page): who holds
  what, and what waits unassigned in which inbox or team;
- `GET /api/v2/accounts/{a}/summary_reports/agent?since=<midnight>&until=<now>`:
  conversations each agent resolved today ("Done");
- the cable (`RoomChannel`): conversation events move conversations between
  queues and agents, `presence.update` (the reply to the cable's own
  `update_presence`, every 20 s) gives who is online, busy or offline;
  `message.created` feeds an open drill-down. After a reconnect the monitor
  reloads everything (`SnapshotNeeded`): ActionCable has no replay.

Everything it sends is a GET (or the sign-in); every command method refuses.
A signed-in user who is not an administrator is refused by Chatwoot on the
reports (401/403): that becomes one line naming the need.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from agentdesk.backends.base import (
    Backend,
    BackendAuthError,
    BackendCommandError,
    StreamItem,
)
from agentdesk.backends.chatwoot.backend import ChatwootBackend
from agentdesk.backends.chatwoot.cable import CablePolicy
from agentdesk.backends.chatwoot.conversations import PAGE_SIZE, payload_list
from agentdesk.backends.chatwoot.live import CONVERSATION_EVENTS, IGNORED_EVENTS, LiveStream
from agentdesk.backends.chatwoot.mapping import (
    MappingError,
    as_dict,
    as_int,
    as_str,
    conversation_view,
    message_item,
    presence_of,
    team_queue,
)
from agentdesk.backends.chatwoot.monitor_board import MonitorBoard
from agentdesk.backends.chatwoot.rest import seg
from agentdesk.backends.chatwoot.spec import CAPABILITIES
from agentdesk.backends.http import RetryPolicy
from agentdesk.backends.http_wire import Exchange
from agentdesk.domain.events import ItemAdded, SnapshotNeeded
from agentdesk.domain.models import (
    AgentInfo,
    CallAction,
    CannedResponse,
    CustomerDetail,
    Disposition,
    Interaction,
    KbArticle,
    Presence,
    Queue,
    Role,
    Stats,
    TimelineItem,
    TimelinePage,
    TransferMode,
    User,
)

MAX_CONVERSATION_PAGES = 200  # 5,000 open conversations: a large account's whole floor
ADMIN = "administrator"


class ChatwootMonitor(Backend):
    """An administrator's read-only view of one Chatwoot account."""

    capabilities = CAPABILITIES

    def __init__(self, base_url: str, *, token: str | None = None, account: str | None = None,
                 timeout: float = 10.0, transport: Exchange | None = None,
                 retry: RetryPolicy | None = None, cable_policy: CablePolicy | None = None
                 ) -> None:
        super().__init__()
        # The agent session gives sign-in, the account, REST and the timeline; its
        # own live stream is never started (the monitor follows `MonitorStream`).
        self.session = ChatwootBackend(base_url, token=token, account=account, timeout=timeout,
                                       transport=transport, retry=retry,
                                       cable_policy=cable_policy)
        self.diagnostics = self.session.diagnostics
        self.board = MonitorBoard()
        self._loaded = False
        self._stream = MonitorStream(self.session,
                                     cable_policy or CablePolicy(open_timeout=timeout), self.board)

    def __repr__(self) -> str:  # never the token
        return f"ChatwootMonitor({self.session.base_url!r})"

    # -- session ---------------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self.session.token

    @property
    def link_auth_failed(self) -> bool:
        return self._stream.auth_failed

    def server_now(self) -> float:
        return time.time() + (self._stream.server_time_offset or 0.0)

    async def login(self, username: str, password: str) -> str:
        token = await self.session.login(username, password)
        self.user = self._user()
        self._stream.kick()
        return token

    async def use_token(self, token: str) -> User:
        await self.session.use_token(token)
        self.user = self._user()
        self._stream.kick()
        return self.user

    async def me(self) -> tuple[User, AgentInfo | None]:
        await self.session.me()
        self.user = self._user()
        return self.user, None

    def _user(self) -> User:
        """The session's user; a supervisor when an administrator of the account."""
        user = self.session.user
        if user is None:
            raise BackendAuthError("sign in to Chatwoot first")
        admin = self.session.account_role() == ADMIN
        return user.model_copy(update={"role": Role.SUPERVISOR if admin else Role.AGENT})

    async def close(self) -> None:
        await self._stream.close()
        await self.session.close()

    # -- the floor -------------------------------------------------------------------------

    async def list_queues(self) -> list[Queue]:
        """Loads the whole floor (the monitor asks for queues first); the other
        snapshot calls answer from that load."""
        await self.load()
        return list(self.board.queues.values())

    async def list_agents(self) -> list[AgentInfo]:
        await self._ensure_loaded()
        return self.board.agents()

    async def get_stats(self) -> Stats:
        await self._ensure_loaded()
        return self.board.stats(self.server_now())

    async def list_interactions(self, agent_id: str | None = None) -> list[Interaction]:
        await self._ensure_loaded()
        found = self.board.interactions()
        return found if agent_id is None else [ix for ix in found if ix.agent_id == agent_id]

    async def _ensure_loaded(self) -> None:
        if not self._loaded:
            await self.load()

    async def load(self) -> None:
        """Every snapshot of the floor, from REST."""
        session = self.session
        rest = session.rest
        await self.me()
        await session.reload_inboxes()
        inboxes = list(session.inboxes.values())
        teams = [as_dict(t) for t in payload_list(await rest.get(rest.acct("/teams")))]
        queues = [Queue(id=f"inbox:{i.id}", name=i.name, channels=[i.channel],
                        sl_threshold_s=0.0, sl_target_pct=0.0) for i in inboxes]
        members: dict[str, set[str]] = {}
        for inbox in inboxes:
            members[f"inbox:{inbox.id}"] = _ids(payload_list(await self._admin_get(
                rest.acct(f"/inbox_members/{seg(inbox.id)}"), "the inbox members")))
        for team in teams:
            try:
                queue = team_queue(team)
            except MappingError:
                continue
            queues.append(queue.model_copy(update={"sl_threshold_s": 0.0, "sl_target_pct": 0.0}))
            members[queue.id] = _ids(payload_list(await self._admin_get(
                rest.acct(f"/teams/{seg(queue.id[len('team:'):])}/team_members"),
                "the team members")))
        agents = await session.list_agents()
        conversations = await self._open_conversations()
        handled = await self._handled_today()
        self.board.load(queues, agents, members, conversations, handled, self.server_now())
        self._loaded = True

    async def _open_conversations(self) -> list[Interaction]:
        rest = self.session.rest
        found: list[Interaction] = []
        for page in range(1, MAX_CONVERSATION_PAGES + 1):
            answer = as_dict(await rest.get(rest.acct("/conversations"), {
                "assignee_type": "all", "status": "open", "page": page}))
            batch = payload_list(as_dict(answer.get("data")) or answer)
            for raw in batch:
                try:
                    found.append(conversation_view(raw, me=None,
                                                   inboxes=self.session.inboxes).interaction)
                except MappingError:
                    continue
            meta = as_dict(as_dict(answer.get("data")).get("meta") or answer.get("meta"))
            total = as_int(meta.get("all_count"))
            if len(batch) < PAGE_SIZE or (total is not None and page * PAGE_SIZE >= total):
                break
        return found

    async def _handled_today(self) -> dict[str, int]:
        """Conversations each agent resolved since local midnight (the agent summary
        report; administrators only)."""
        now = self.server_now()
        midnight = time.mktime(time.localtime(now)[:3] + (0, 0, 0, 0, 0, -1))
        answer = await self._admin_get(
            f"/api/v2/accounts/{seg(self.session.account_id or '')}/summary_reports/agent",
            "the agent reports", {"since": str(int(midnight)), "until": str(int(now))})
        handled: dict[str, int] = {}
        for row in payload_list(answer):
            row = as_dict(row)
            agent_id = as_str(row.get("id"))
            count = as_int(row.get("resolved_conversations_count"))
            if agent_id and count is not None:
                handled[agent_id] = max(0, count)
        return handled

    async def _admin_get(self, path: str, what: str, params: dict[str, Any] | None = None
                         ) -> Any:
        """A GET only administrators may make. The token was just accepted (the
        profile), so a 401 here, as a 403, means "not an administrator"."""
        try:
            return await self.session.rest.get(path, params)
        except (BackendAuthError, BackendCommandError) as exc:
            if isinstance(exc, BackendCommandError) and exc.status != 403:
                raise
            who = self.user.name if self.user else "this user"
            raise BackendCommandError(
                f"Chatwoot refused {what} to {who}: the monitor needs an administrator of "
                f"account {self.session.account_id}", status=403, code="not_admin") from None

    # -- drill-down -------------------------------------------------------------------------

    async def get_interaction(self, interaction_id: str) -> Interaction:
        return await self.session.get_interaction(interaction_id)

    async def get_customer(self, customer_id: str) -> CustomerDetail:
        return await self.session.get_customer(customer_id)

    async def get_timeline(self, customer_id: str, *, before: str | None = None,
                           limit: int = 100) -> TimelinePage:
        return await self.session.get_timeline(customer_id, before=before, limit=limit)

    async def list_dispositions(self) -> list[Disposition]:
        return []

    async def list_canned_responses(self) -> list[CannedResponse]:
        return []

    async def list_kb_articles(self, since: float | None = None) -> list[KbArticle]:
        return []

    # -- live ------------------------------------------------------------------------------

    def events(self) -> AsyncIterator[StreamItem]:
        return self._stream.run()

    async def reconnect(self) -> None:
        await self._stream.reconnect()

    # -- commands: none (read-only) -----------------------------------------------------------

    async def set_presence(self, presence: Presence, next: Presence | None = None) -> AgentInfo:
        raise _read_only()

    async def accept(self, interaction_id: str, client_id: str) -> Interaction:
        raise _read_only()

    async def reject(self, interaction_id: str, client_id: str,
                     reason: str | None = None) -> Interaction:
        raise _read_only()

    async def mark_read(self, interaction_id: str) -> None:
        raise _read_only()

    async def send_message(self, interaction_id: str, body: str, client_id: str, *,
                           kind: str = "reply", subject: str | None = None,
                           cc: list[str] | None = None) -> TimelineItem:
        raise _read_only()

    async def call_action(self, interaction_id: str, action: CallAction, client_id: str,
                          digits: str | None = None) -> Interaction:
        raise _read_only()

    async def transfer(self, interaction_id: str, client_id: str, *, queue_id: str | None = None,
                       agent_id: str | None = None, mode: TransferMode = TransferMode.BLIND,
                       team_id: str | None = None) -> Interaction:
        raise _read_only()

    async def wrapup(self, interaction_id: str, disposition: str, client_id: str,
                     notes: str | None = None) -> Interaction:
        raise _read_only()


class MonitorStream(LiveStream):
    """The cable for the monitor: the connection, pings and reconnects of the
    agent's stream; account-wide events go to the `MonitorBoard` instead."""

    def __init__(self, host: ChatwootBackend, policy: CablePolicy, board: MonitorBoard) -> None:
        super().__init__(host, policy)
        self.board = board

    async def _event(self, name: str, data: dict[str, Any]) -> None:
        now = self._now()
        if name in CONVERSATION_EVENTS:
            view = conversation_view(data, me=None, inboxes=self.host.inboxes)
            resolved_by = view.assignee_id if view.status == "resolved" else None
            for event in self.board.conversation(view.interaction, now, resolved_by=resolved_by):
                self.emit(event)
        elif name == "message.created":
            self._message_item(data)
        elif name == "presence.update":
            online = {as_str(uid): presence_of(status)
                      for uid, status in as_dict(data.get("users")).items() if as_str(uid)}
            for event in self.board.presences(online, now):
                self.emit(event)
        elif name == "account.cache_invalidated":
            self.emit(SnapshotNeeded(now))  # inboxes or teams changed: load again
        elif name not in IGNORED_EVENTS and name not in _NOT_FOR_THE_MONITOR:
            self.host.diagnostics.unknown_type += 1

    def _message_item(self, data: dict[str, Any]) -> None:
        ix = self.board.open.get(as_str(data.get("conversation_id")))
        if ix is None:
            return  # not open work on the floor: nobody is watching it
        item = message_item(data, customer_id=ix.customer_id, channel=ix.channel)
        if not item.interaction_id:
            item = item.model_copy(update={"interaction_id": ix.id})
        if self.host.tracker.deliver(item) is not None:
            self.emit(ItemAdded(item, item.at or self._now()))

    async def _catch_up(self) -> None:
        """No replay in ActionCable: the monitor loads the floor again."""
        self.emit(SnapshotNeeded(self._now()))


_NOT_FOR_THE_MONITOR = frozenset({"message.updated", "conversation.typing_on",
                                  "conversation.typing_off", "contact.updated"})


def _ids(agents: list[Any]) -> set[str]:
    return {as_str(as_dict(a).get("id")) for a in agents if as_str(as_dict(a).get("id"))}


def _read_only() -> BackendCommandError:
    return BackendCommandError("the Chatwoot monitor is read-only", status=403,
                               code="read_only")

