"""`ChatwootBackend`: the `Backend` interface on Chatwoot's Application API.

REST for snapshots and commands (`rest.py`), ActionCable for the live stream
(`live.py`), mapping onto the domain models (`mapping.py`). Which Chatwoot
call each method makes, and what "exactly once" rests on per command, is in
docs/backends/chatwoot.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from agentdesk.backends.base import (
    Backend,
    BackendAuthError,
    BackendCommandError,
    BackendConnectionError,
    StreamItem,
)
from agentdesk.backends.chatwoot.cable import CablePolicy, identifier
from agentdesk.backends.chatwoot.conversations import ConversationReads, payload_list
from agentdesk.backends.chatwoot.live import LiveStream
from agentdesk.backends.chatwoot.mapping import (
    AVAILABILITY_OF,
    ConversationView,
    InboxInfo,
    MappingError,
    account_entry,
    account_ids,
    agent_of,
    as_dict,
    as_str,
    canned_of,
    customer_detail,
    inbox_info,
    label_disposition,
    team_queue,
    user_of,
)
from agentdesk.backends.chatwoot.outbound import Outbound
from agentdesk.backends.chatwoot.rest import ChatwootRest, seg
from agentdesk.backends.chatwoot.spec import CAPABILITIES
from agentdesk.backends.chatwoot.tracker import Relation, Tracker
from agentdesk.backends.chatwoot.wrapup import parse_disposition
from agentdesk.backends.http import RetryPolicy
from agentdesk.backends.http_wire import Exchange
from agentdesk.domain.events import InteractionChange, InteractionChanged
from agentdesk.domain.models import (
    AgentInfo,
    CallAction,
    CannedResponse,
    CustomerDetail,
    Disposition,
    Interaction,
    InteractionState,
    KbArticle,
    Presence,
    Queue,
    Stats,
    TimelineItem,
    TimelinePage,
    TransferMode,
    User,
)

log = logging.getLogger("agentdesk.backend.chatwoot")

TYPING_REPEAT_S = 10.0  # re-send the same typing state at most this often

MAX_CONTENT = 150_000  # Chatwoot's content limit


class ChatwootBackend(Backend):
    """One agent's session with a Chatwoot server."""

    def __init__(self, base_url: str, *, token: str | None = None, account: str | None = None,
                 timeout: float = 10.0, transport: Exchange | None = None,
                 retry: RetryPolicy | None = None, cable_policy: CablePolicy | None = None
                 ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.capabilities = CAPABILITIES
        self.rest = ChatwootRest(self.base_url, timeout=timeout, retry=retry,
                                 transport=transport)
        self.rest.token = token
        self.wanted_account = str(account) if account not in (None, "") else None
        self.tracker = Tracker()
        self.outbound = Outbound(self.rest, self.tracker)
        self.reads = ConversationReads(self.rest, self.tracker, lambda: self.inboxes)
        self.inboxes: dict[str, InboxInfo] = {}
        self.agent_names: dict[str, str] = {}
        self._pubsub: str | None = None
        self._typing_sent: dict[str, tuple[bool, float]] = {}  # last state sent, when
        self._profile: dict[str, Any] = {}
        self._live = LiveStream(self, cable_policy or CablePolicy(open_timeout=timeout))

    def __repr__(self) -> str:  # never the token
        return f"ChatwootBackend({self.base_url!r}, user={self.user.id if self.user else None!r})"

    # -- session ---------------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self.rest.token

    @property
    def account_id(self) -> str | None:
        return self.rest.account

    @property
    def link_auth_failed(self) -> bool:
        return self._live.auth_failed

    @property
    def server_time_offset(self) -> float:
        return self._live.server_time_offset or 0.0

    def server_now(self) -> float:
        return time.time() + self.server_time_offset

    async def login(self, username: str, password: str) -> str:
        """`POST /auth/sign_in` (devise_token_auth); the token is the user's access_token."""
        try:
            answer = await self.rest.request("POST", "/auth/sign_in",
                                             body={"email": username, "password": password},
                                             auth=False, retry=False)
        except BackendAuthError as exc:
            raise BackendAuthError(f"Chatwoot refused the sign-in: {exc.message}") from None
        profile = as_dict(answer)
        profile = as_dict(profile.get("data")) or profile
        token = as_str(profile.get("access_token"))
        if not token:
            raise BackendConnectionError("Chatwoot signed you in but sent no access token "
                                         "(is this a Chatwoot server?)")
        self.rest.token = token
        try:
            await self._adopt(profile)
        except BaseException:
            self.rest.token = None  # not signed in after all (e.g. a wrong --account)
            raise
        return token

    async def use_token(self, token: str) -> User:
        """Adopt a user access token: `GET /api/v1/profile`."""
        self.rest.token = token
        user, _agent = await self.me()
        return user

    async def logout(self) -> None:
        """Nothing to do on the server: a Chatwoot access token is long-lived and
        belongs to the user (it is reset only from the profile page). Forgetting it
        locally (the keyring) is the caller's job."""

    async def me(self) -> tuple[User, AgentInfo | None]:
        profile = as_dict(await self.rest.get("/api/v1/profile"))
        await self._adopt(profile)
        assert self.user is not None
        return self.user, self._me_agent()

    async def _adopt(self, profile: dict[str, Any]) -> None:
        try:
            user = user_of(profile)
        except MappingError:
            raise BackendConnectionError("Chatwoot sent a profile without a user id") from None
        accounts = account_ids(profile)
        if self.wanted_account is not None:
            if self.wanted_account not in accounts:
                known = ", ".join(accounts) or "none"
                raise BackendCommandError(
                    f"account {self.wanted_account} is not one of this user's accounts "
                    f"({known})", status=403, code="account")
            account = self.wanted_account
        elif accounts:
            account = accounts[0]
        else:
            raise BackendCommandError("this Chatwoot user belongs to no account", status=403,
                                      code="account")
        changed = (self._pubsub, self.rest.account) != (as_str(profile.get("pubsub_token")),
                                                         account)
        self._profile = profile
        self._pubsub = as_str(profile.get("pubsub_token")) or None
        self.rest.account = account
        self.user = user
        self.tracker.me = user.id
        self.agent_names.setdefault(user.id, user.name)
        if not self.inboxes:
            await self._load_inboxes()
        if len(self.agent_names) < 2:  # names for presence.update, which carries ids only
            try:
                await self.list_agents()
            except (BackendCommandError, BackendConnectionError) as exc:
                log.info("chatwoot: agents not loaded (%s)", exc.message)
        if changed:
            self._live.kick()

    def _me_agent(self) -> AgentInfo | None:
        if self.user is None:
            return None
        entry = account_entry(self._profile, self.rest.account or "")
        return agent_of({"id": self.user.id, "name": self.user.name},
                        availability=entry.get("availability") or entry.get("availability_status"))

    def cable_identity(self) -> str | None:
        """The RoomChannel identifier, or None before sign-in."""
        if not (self._pubsub and self.user and self.rest.account):
            return None
        return identifier(self._pubsub, self.rest.account, self.user.id)

    async def close(self) -> None:
        await self._live.close()
        await self.rest.aclose()

    # -- reference data -----------------------------------------------------------------------

    async def _load_inboxes(self) -> None:
        try:
            answer = await self.rest.get(self.rest.acct("/inboxes"))
        except (BackendCommandError, BackendConnectionError) as exc:
            log.info("chatwoot: inboxes not loaded (%s); channels come from conversations",
                     exc.message)
            return
        for raw in payload_list(answer):
            try:
                info = inbox_info(raw)
            except MappingError:
                continue
            self.inboxes[info.id] = info

    async def reload_inboxes(self) -> None:
        self.inboxes.clear()
        await self._load_inboxes()

    def account_role(self) -> str:
        """The user's role in the chosen account: "administrator" or "agent"."""
        return as_str(account_entry(self._profile, self.rest.account or "").get("role"))

    def invalidate_caches(self) -> None:
        """account.cache_invalidated: inboxes (and names) are fetched again when needed."""
        self.inboxes.clear()

    # -- snapshots ----------------------------------------------------------------------------

    async def list_interactions(self, agent_id: str | None = None) -> list[Interaction]:
        if agent_id is not None and agent_id != (self.user.id if self.user else None):
            raise BackendCommandError("the Chatwoot backend lists only your own conversations",
                                      status=403, code="not_supported")
        result = []
        for view in await self.reads.open_views():
            self.tracker.remember(view)
            if self.tracker.relation(view) in (Relation.MINE, Relation.OFFER):
                result.append(view.interaction)
        return result

    async def get_interaction(self, interaction_id: str) -> Interaction:
        view = await self.reads.fetch_view(interaction_id)
        self.tracker.remember(view)
        return view.interaction

    async def get_customer(self, customer_id: str) -> CustomerDetail:
        contact = as_dict(await self.rest.get(self.rest.acct(f"/contacts/{seg(customer_id)}")))
        contact = as_dict(contact.get("payload")) or contact
        views = await self.reads.contact_views(customer_id)
        try:
            return customer_detail(contact, views)
        except MappingError as exc:
            raise BackendConnectionError(f"Chatwoot sent a contact without an id ({exc})") from None

    async def get_timeline(self, customer_id: str, *, before: str | None = None,
                           limit: int = 100) -> TimelinePage:
        """Every conversation of the contact, merged oldest first; `before` is a
        message id (Chatwoot's message ids are global and grow with time)."""
        return await self.reads.timeline(customer_id, before=before, limit=limit)

    async def list_queues(self) -> list[Queue]:
        """Teams: the transfer targets Chatwoot has besides agents."""
        return [team_queue(t) for t in payload_list(await self.rest.get(self.rest.acct("/teams")))
                if as_dict(t).get("id") is not None]

    async def list_agents(self) -> list[AgentInfo]:
        agents = []
        for raw in payload_list(await self.rest.get(self.rest.acct("/agents"))):
            try:
                agent = agent_of(raw)
            except MappingError:
                continue
            self.agent_names[agent.id] = agent.name
            agents.append(agent)
        return agents

    async def get_stats(self) -> Stats:
        """Chatwoot has no live queue figures for agents (Capabilities.stats=False)."""
        return Stats(at=self.server_now(), queues=[])

    async def list_dispositions(self) -> list[Disposition]:
        """The account's labels, the dispositions of a LABELS wrap-up."""
        answer = await self.rest.get(self.rest.acct("/labels"))
        found = (label_disposition(x) for x in payload_list(answer))
        return [d for d in found if d is not None]

    async def list_canned_responses(self) -> list[CannedResponse]:
        answer = await self.rest.get(self.rest.acct("/canned_responses"))
        result = []
        for raw in payload_list(answer):
            try:
                result.append(canned_of(raw))
            except MappingError:
                continue
        return result

    async def list_kb_articles(self, since: float | None = None) -> list[KbArticle]:
        """Chatwoot publishes no KB to agents (kb_from_server=False): the local KB serves."""
        return []

    # -- live stream ---------------------------------------------------------------------------

    def events(self) -> AsyncIterator[StreamItem]:
        return self._live.run()

    async def reconnect(self) -> None:
        await self._live.reconnect()

    # -- commands ------------------------------------------------------------------------------

    async def set_presence(self, presence: Presence, next: Presence | None = None) -> AgentInfo:
        """`POST /api/v1/profile/availability`; idempotent by nature."""
        if next is not None:
            raise BackendCommandError(CAPABILITIES.missing_reason("presence_next"), status=422,
                                      code="not_supported")
        availability = AVAILABILITY_OF[Presence(presence)]
        answer = await self.rest.post("/api/v1/profile/availability",
                                      {"profile": {"availability": availability,
                                                   "account_id": _num(self._account())}})
        profile = as_dict(answer)
        if profile.get("id") is not None:
            self._profile = profile
        agent = self._me_agent()
        if agent is None:
            raise BackendAuthError("sign in to Chatwoot first")
        if AVAILABILITY_OF[agent.presence] != availability:  # an answer without our account
            agent = agent_of({"id": agent.id, "name": agent.name}, availability=availability)
        # Chatwoot's presence.update for it comes later (or not at all): tell the desk now.
        self._live.note_presence(agent, self.server_now())
        return agent

    async def accept(self, interaction_id: str, client_id: str) -> Interaction:
        """Take an offer: assign it to me. Idempotent: already mine is success;
        someone else's is refused (409), so a take never steals a conversation."""
        view = await self.reads.fetch_view(interaction_id)
        me = self._me()
        if view.status != "open":
            raise BackendCommandError(f"this conversation is {view.status}, not open",
                                      status=409, code="not_open")
        if view.assignee_id not in (None, me):
            who = view.assignee_name or "another agent"
            raise BackendCommandError(f"{who} has already taken this conversation",
                                      status=409, code="taken")
        self.tracker.rejected.discard(interaction_id)
        self.tracker.handed_off.discard(interaction_id)
        if view.assignee_id is None:
            await self.rest.post(self.rest.conv(interaction_id, "/assignments"),
                                 {"assignee_id": _num(me)})
            view = await self.reads.fetch_view(interaction_id)
        return self._settle(view)

    async def reject(self, interaction_id: str, client_id: str,
                     reason: str | None = None) -> Interaction:
        """Chatwoot has no reject: the offer is hidden locally and stays unassigned
        for the other agents of the inbox. No request is made."""
        view = self.tracker.views.get(interaction_id) or await self.reads.fetch_view(interaction_id)
        self.tracker.views.setdefault(interaction_id, view)
        self.tracker.relations.setdefault(interaction_id, self.tracker.relation(view))
        change = self.tracker.reject(interaction_id, self.server_now())
        if change is not None:
            self._live.emit(change)
        return view.interaction.model_copy(update={"state": InteractionState.QUEUED})

    async def mark_read(self, interaction_id: str) -> None:
        """`POST …/update_last_seen` (resets Chatwoot's unread count)."""
        await self.rest.post(self.rest.conv(interaction_id, "/update_last_seen"))
        inter = self.tracker.update_interaction(interaction_id, unread=0)
        if inter is not None:
            self._live.emit(InteractionChanged(InteractionChange.UPDATED, inter,
                                               self.server_now()))

    async def send_message(self, interaction_id: str, body: str, client_id: str, *,
                           kind: str = "reply", subject: str | None = None,
                           cc: list[str] | None = None) -> TimelineItem:
        """A reply (`private: false`) or a private note (`private: true`), with
        `echo_id` = client_id. Email subjects follow the conversation (Chatwoot
        replies keep the thread's subject), so `subject` is not sent."""
        if kind not in ("reply", "note"):
            raise BackendCommandError(f"unknown message kind {kind!r} (reply or note)",
                                      status=422, code="invalid_request")
        text = body.encode("utf-8", "replace").decode("utf-8")
        if not text.strip():
            raise BackendCommandError("an empty message", status=422, code="invalid_request")
        if len(text) > MAX_CONTENT:
            raise BackendCommandError(f"a message over {MAX_CONTENT:,} characters",
                                      status=422, code="invalid_request")
        view = self.tracker.views.get(interaction_id) or await self.reads.fetch_view(interaction_id)
        return await self.outbound.send(
            interaction_id, text, client_id, private=kind == "note",
            cc=[c.strip() for c in (cc or []) if c.strip()] if kind == "reply" else [],
            customer_id=view.contact_id, channel=view.interaction.channel)

    def note_unsettled(self, client_id: str, since: float) -> None:
        """The outbox resends a command of unknown fate (also after a crash): its
        message, and a wrap-up's note, are looked for in the conversation before
        being posted again (`Outbound`)."""
        self.outbound.note_unsettled(client_id, since)
        self.outbound.note_unsettled(f"{client_id}:note", since)

    async def set_typing(self, interaction_id: str, typing: bool) -> None:
        """`POST …/toggle_typing_status` (the customer sees the agent typing).
        Debounced: the same state again within TYPING_REPEAT_S is not re-sent, so a
        caller may report every keystroke without flooding Chatwoot."""
        now = time.monotonic()
        last = self._typing_sent.get(interaction_id)
        if last is not None and last[0] == typing and now - last[1] < TYPING_REPEAT_S:
            return
        await self.rest.post(self.rest.conv(interaction_id, "/toggle_typing_status"),
                             {"typing_status": "on" if typing else "off", "is_private": False})
        self._typing_sent[interaction_id] = (typing, now)

    async def call_action(self, interaction_id: str, action: CallAction, client_id: str,
                          digits: str | None = None) -> Interaction:
        raise BackendCommandError(CAPABILITIES.missing_reason("voice"), status=501,
                                  code="not_supported")

    async def transfer(self, interaction_id: str, client_id: str, *, queue_id: str | None = None,
                       agent_id: str | None = None, mode: TransferMode = TransferMode.BLIND,
                       team_id: str | None = None) -> Interaction:
        """`POST …/assignments` with `assignee_id` (an agent) or `team_id` (a team;
        `queue_id` "team:N" is the same). Idempotent: assigning twice is a no-op."""
        if mode is TransferMode.WARM:
            raise BackendCommandError(CAPABILITIES.missing_reason("warm_transfer"), status=422,
                                      code="not_supported")
        team = team_id or queue_id
        if team is not None and team.startswith("team:"):
            team = team[len("team:"):]
        if agent_id:
            body = {"assignee_id": _num(agent_id)}
        elif team and team.isdigit():
            body = {"team_id": int(team)}
        else:
            raise BackendCommandError(CAPABILITIES.missing_reason("transfer_queue"), status=422,
                                      code="not_supported")
        if "team_id" in body:
            self.tracker.handed_off.add(interaction_id)
        await self.rest.post(self.rest.conv(interaction_id, "/assignments"), body)
        return self._settle(await self.reads.fetch_view(interaction_id))

    async def wrapup(self, interaction_id: str, disposition: str, client_id: str,
                     notes: str | None = None) -> Interaction:
        """Labels (merged: Chatwoot's POST replaces the set), an optional private
        note (echo_id = client_id + ":note"), then `toggle_status`. Each step is
        idempotent, so a retry of the whole wrap-up applies once."""
        plan = parse_disposition(disposition)
        if plan.labels:
            path = self.rest.conv(interaction_id, "/labels")
            current = [as_str(x) for x in payload_list(await self.rest.get(path))]
            merged = list(dict.fromkeys([*(c for c in current if c), *plan.labels]))
            if set(merged) != set(current):
                await self.rest.post(path, {"labels": merged})
        if notes and notes.strip():
            await self.send_message(interaction_id, notes, f"{client_id}:note", kind="note")
        body: dict[str, Any] = {"status": plan.status}
        if plan.snoozed_until is not None:
            body["snoozed_until"] = plan.snoozed_until
        await self.rest.post(self.rest.conv(interaction_id, "/toggle_status"), body)
        return self._settle(await self.reads.fetch_view(interaction_id))

    # -- helpers ---------------------------------------------------------------------------------

    def _settle(self, view: ConversationView) -> Interaction:
        """A command's fresh view: tell the stream at once (the cable's own event
        follows and is recognised as nothing new)."""
        for change in self.tracker.apply(view, self.server_now(), force=True):
            self._live.emit(change)
        return view.interaction

    def _me(self) -> str:
        if self.user is None:
            raise BackendAuthError("sign in to Chatwoot first")
        return self.user.id

    def _account(self) -> str:
        if not self.rest.account:
            raise BackendAuthError("sign in to Chatwoot first")
        return self.rest.account


def _num(value: str) -> int | str:
    return int(value) if value.isdigit() else value

