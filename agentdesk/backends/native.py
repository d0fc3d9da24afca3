"""The native backend: agentdesk/1 over HTTP (`http_wire`) and WebSocket (websockets).

See docs/backends.md for the guarantees. In short: every inbound body and
frame is sanitised and validated; errors come out as `BackendAuthError`
(401), `BackendCommandError` (other 4xx) or `BackendConnectionError`
(network, timeouts, 5xx after retries, malformed bodies); commands are
retried with their own `client_id`, so a retry never applies twice.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from pydantic import ValidationError

from agentdesk.backends.base import (
    CALL_REFUSALS,
    AgentDeskError,
    Backend,
    BackendCommandError,
    CallRefusedError,
    NotSupportedError,
    StreamItem,
    new_client_id,
)
from agentdesk.backends.http import JsonApi, RetryPolicy
from agentdesk.backends.http_wire import Exchange
from agentdesk.backends.registry import BackendOptions, BackendSpec
from agentdesk.backends.stream import EventStream, StreamPolicy
from agentdesk.domain.capabilities import Capabilities, TransferTarget, WrapupStyle
from agentdesk.domain.models import (
    AgentInfo,
    CallAction,
    Callback,
    CannedResponse,
    Customer,
    CustomerDetail,
    Disposition,
    Interaction,
    KbArticle,
    Model,
    Presence,
    Queue,
    Stats,
    StatsHistory,
    TimelineItem,
    TimelinePage,
    TransferMode,
    User,
)
from agentdesk.protocol.requests import (
    CallbackList,
    CallbackRequest,
    CallbackResponse,
    CallRequest,
    CommandRequest,
    CustomerSearchResponse,
    DialRequest,
    DisclosureRequest,
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

log = logging.getLogger("agentdesk.backend")

# agentdesk/1 has everything; `simulation` is probed per server (see probe_capabilities).
NATIVE_CAPABILITIES = Capabilities(
    backend="agentdesk",
    voice=True,
    offers=True,
    offer_timeout=True,
    acw_timer=True,
    presence_next=True,
    transfer_to=frozenset({TransferTarget.AGENT, TransferTarget.QUEUE}),
    warm_transfer=True,
    wrapup=WrapupStyle.DISPOSITIONS,
    kb_from_server=True,
    canned=True,
    notes=True,
    email_cc=True,
    typing_out=False,  # agentdesk/1 has no agent-typing request
    read_marks=True,
    monitor=True,
    stats=True,
    simulation=False,
    outbound=True,
    callbacks=True,
    recording_disclosure=True,
)


# Envelopes of the list / single-object responses (docs/protocol.md).
class _Interactions(Model):
    interactions: list[Interaction]


class _Queues(Model):
    queues: list[Queue]


class _Agents(Model):
    agents: list[AgentInfo]


class _Dispositions(Model):
    dispositions: list[Disposition]


class _Canned(Model):
    canned_responses: list[CannedResponse]


class _Articles(Model):
    articles: list[KbArticle]


class _StatsBody(Model):
    stats: Stats


class _HistoryBody(Model):
    history: StatsHistory


class _AgentBody(Model):
    agent: AgentInfo


class NativeBackend(Backend):
    """One session with an agentdesk/1 server (the mock server or a real one)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: float = 10.0,
        transport: Exchange | None = None,
        retry: RetryPolicy | None = None,
        stream_policy: StreamPolicy | None = None,
        capabilities: Capabilities | None = None,
    ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        # `capabilities` overrides what this server is declared to have (tests,
        # and a deployment that switched a feature off); simulation is still probed.
        self._declared = capabilities or NATIVE_CAPABILITIES
        self.capabilities = self._declared
        self._api = JsonApi(self.base_url, timeout=timeout, retry=retry, transport=transport)
        self._api.token = token
        self._stream = EventStream(
            self.base_url,
            lambda: self._api.token,
            self.diagnostics,
            stream_policy or StreamPolicy(open_timeout=timeout),
        )

    def __repr__(self) -> str:  # never show the token
        return f"NativeBackend({self.base_url!r}, user={self.user.id if self.user else None!r})"

    # -- session -------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self._api.token

    @property
    def server_time_offset(self) -> float:
        """Server clock minus local clock (seconds), as learnt from the stream."""
        return self._stream.server_time_offset or 0.0

    def server_now(self) -> float:
        return self._stream.server_now()

    @property
    def last_seq(self) -> int:
        return self._stream.last_seq

    @property
    def link_auth_failed(self) -> bool:
        """The event stream was refused for our token: the UI should ask to sign in."""
        return self._stream.auth_failed

    async def login(self, username: str, password: str) -> str:
        body = _build(LoginRequest, username=username, password=password).model_dump()
        reply: LoginResponse = await self._api.call(
            "POST", "/v1/login", body=body, model=LoginResponse, auth=False
        )
        self._api.token = reply.token
        self.user = reply.user
        self._stream.kick()  # a stream refused for the old token retries now
        await self.probe_capabilities()
        return reply.token

    async def use_token(self, token: str) -> User:
        self._api.token = token
        user, _agent = await self.me()
        self._stream.kick()
        await self.probe_capabilities()
        return user

    async def me(self) -> tuple[User, AgentInfo | None]:
        reply: MeResponse = await self._api.call("GET", "/v1/me", model=MeResponse)
        self.user = reply.user
        return reply.user, reply.agent

    async def probe_capabilities(self) -> Capabilities:
        """Find out whether the server offers the /sim control endpoints."""
        try:
            await self._api.call("GET", "/sim/clock", retry=False)
            simulation = True
        except AgentDeskError:  # 404 (no /sim), 401/403 (sim locked), unreachable: no sim
            simulation = False
        self.capabilities = replace(self._declared, simulation=simulation)
        return self.capabilities

    async def close(self) -> None:
        await self._stream.close()
        await self._api.aclose()

    # -- snapshots --------------------------------------------------------------------

    async def list_interactions(self, agent_id: str | None = None) -> list[Interaction]:
        reply: _Interactions = await self._api.call(
            "GET", "/v1/interactions", params={"agent": agent_id}, model=_Interactions
        )
        return reply.interactions

    async def get_interaction(self, interaction_id: str) -> Interaction:
        reply: InteractionResponse = await self._api.call(
            "GET", f"/v1/interactions/{_seg(interaction_id)}", model=InteractionResponse
        )
        return reply.interaction

    async def search_customers(self, query: str) -> list[Customer]:
        reply: CustomerSearchResponse = await self._api.call(
            "GET", "/v1/customers", params={"q": query}, model=CustomerSearchResponse
        )
        return reply.customers

    async def get_customer(self, customer_id: str) -> CustomerDetail:
        detail: CustomerDetail = await self._api.call(
            "GET", f"/v1/customers/{_seg(customer_id)}", model=CustomerDetail
        )
        return detail

    async def get_timeline(
        self, customer_id: str, *, before: str | None = None, limit: int = 100
    ) -> TimelinePage:
        page: TimelinePage = await self._api.call(
            "GET",
            f"/v1/customers/{_seg(customer_id)}/timeline",
            params={"before": before, "limit": limit},
            model=TimelinePage,
        )
        return page

    async def list_queues(self) -> list[Queue]:
        reply: _Queues = await self._api.call("GET", "/v1/queues", model=_Queues)
        return reply.queues

    async def list_agents(self) -> list[AgentInfo]:
        reply: _Agents = await self._api.call("GET", "/v1/agents", model=_Agents)
        return reply.agents

    async def get_stats(self) -> Stats:
        reply: _StatsBody = await self._api.call("GET", "/v1/stats", model=_StatsBody)
        return reply.stats

    async def get_stats_history(self, minutes: int = 30) -> StatsHistory:
        reply: _HistoryBody = await self._api.call(
            "GET", "/v1/stats/history", params={"minutes": minutes}, model=_HistoryBody
        )
        return reply.history

    async def list_dispositions(self) -> list[Disposition]:
        reply: _Dispositions = await self._api.call("GET", "/v1/dispositions", model=_Dispositions)
        return reply.dispositions

    async def list_canned_responses(self) -> list[CannedResponse]:
        reply: _Canned = await self._api.call("GET", "/v1/canned-responses", model=_Canned)
        return reply.canned_responses

    async def list_kb_articles(self, since: float | None = None) -> list[KbArticle]:
        reply: _Articles = await self._api.call(
            "GET", "/v1/kb/articles", params={"since": since}, model=_Articles
        )
        return reply.articles

    # -- live stream ------------------------------------------------------------------

    def events(self) -> AsyncIterator[StreamItem]:
        return self._stream.run()

    async def reconnect(self) -> None:
        """Drop the event socket now; the stream resumes from its last seq by itself."""
        await self._stream.reconnect()

    # -- commands -------------------------------------------------------------------

    async def set_presence(self, presence: Presence, next: Presence | None = None) -> AgentInfo:
        body = _build(PresenceRequest, presence=presence, next=next).model_dump(mode="json")
        reply: _AgentBody = await self._api.call(
            "PUT", "/v1/me/presence", body=body, model=_AgentBody
        )
        return reply.agent

    async def accept(self, interaction_id: str, client_id: str) -> Interaction:
        # a due callback's offer dials when accepted: a calling rule may refuse it
        result: Interaction = await _refusals(self._interaction_command(
            interaction_id, "accept", _build(CommandRequest, client_id=client_id)
        ))
        return result

    async def reject(self, interaction_id: str, client_id: str,
                     reason: str | None = None) -> Interaction:
        return await self._interaction_command(
            interaction_id, "reject", _build(RejectRequest, client_id=client_id, reason=reason)
        )

    async def mark_read(self, interaction_id: str) -> None:
        await self._api.call(
            "POST",
            f"/v1/interactions/{_seg(interaction_id)}/read",
            # Marking read is idempotent by nature; the key only satisfies the body schema.
            body=CommandRequest(client_id=new_client_id()).model_dump(),
        )

    async def send_message(
        self,
        interaction_id: str,
        body: str,
        client_id: str,
        *,
        kind: str = "reply",
        subject: str | None = None,
        cc: list[str] | None = None,
    ) -> TimelineItem:
        request = _build(
            MessageRequest, client_id=client_id, kind=kind, body=body, subject=subject, cc=cc or []
        )
        reply: MessageResponse = await self._api.call(
            "POST",
            f"/v1/interactions/{_seg(interaction_id)}/messages",
            body=request.model_dump(mode="json", exclude_none=True),
            model=MessageResponse,
        )
        return reply.item

    async def call_action(
        self, interaction_id: str, action: CallAction, client_id: str, digits: str | None = None
    ) -> Interaction:
        request = _build(CallRequest, client_id=client_id, action=action, digits=digits)
        return await self._interaction_command(interaction_id, "call", request)

    async def transfer(
        self,
        interaction_id: str,
        client_id: str,
        *,
        queue_id: str | None = None,
        agent_id: str | None = None,
        mode: TransferMode = TransferMode.BLIND,
        team_id: str | None = None,
    ) -> Interaction:
        if team_id is not None:
            raise NotSupportedError("agentdesk/1 has no teams: transfer to a queue or an agent")
        request = _build(
            TransferRequest, client_id=client_id, queue_id=queue_id, agent_id=agent_id, mode=mode
        )
        return await self._interaction_command(interaction_id, "transfer", request)

    async def wrapup(
        self, interaction_id: str, disposition: str, client_id: str, notes: str | None = None
    ) -> Interaction:
        request = _build(WrapupRequest, client_id=client_id, disposition=disposition, notes=notes)
        return await self._interaction_command(interaction_id, "wrapup", request)

    # -- outbound calls, callbacks, recording disclosure ----------------------------------

    async def dial(self, customer_id: str, client_id: str) -> Interaction:
        request = _build(DialRequest, client_id=client_id, customer_id=customer_id)
        reply: InteractionResponse = await _refusals(self._api.call(
            "POST", "/v1/outbound/calls", body=request.model_dump(mode="json"),
            model=InteractionResponse))
        return reply.interaction

    async def schedule_callback(
        self, customer_id: str, at: float, client_id: str, *, note: str = "",
        queue_id: str | None = None, agent_id: str | None = None,
    ) -> Callback:
        request = _build(CallbackRequest, client_id=client_id, customer_id=customer_id, at=at,
                         note=note, queue_id=queue_id, agent_id=agent_id)
        reply: CallbackResponse = await _refusals(self._api.call(
            "POST", "/v1/callbacks", body=request.model_dump(mode="json", exclude_none=True),
            model=CallbackResponse))
        return reply.callback

    async def list_callbacks(self) -> list[Callback]:
        reply: CallbackList = await self._api.call("GET", "/v1/callbacks", model=CallbackList)
        return reply.callbacks

    async def disclosure(self, interaction_id: str, action: str, client_id: str) -> Interaction:
        request = _build(DisclosureRequest, client_id=client_id, action=action)
        return await self._interaction_command(interaction_id, "disclosure", request)

    async def _interaction_command(
        self, interaction_id: str, verb: str, request: Any
    ) -> Interaction:
        reply: InteractionResponse = await self._api.call(
            "POST",
            f"/v1/interactions/{_seg(interaction_id)}/{verb}",
            body=request.model_dump(mode="json", exclude_none=True),
            model=InteractionResponse,
        )
        return reply.interaction

    async def logout(self) -> None:
        """Revoke this session's token on the server (`POST /v1/logout`) and drop it.
        A token the server no longer knows (401) counts as revoked; a server that
        cannot be reached raises BackendConnectionError, and the token is kept."""
        from agentdesk.backends.base import BackendAuthError

        if self._api.token is None:
            return
        try:
            await self._api.call("POST", "/v1/logout", retry=False)
        except BackendAuthError:
            pass
        self._api.token = None


class AgentdeskSpec(BackendSpec):
    """agentdesk/1: the mock server, or any server speaking the protocol."""

    name = "agentdesk"
    title = "agentdesk/1"
    user_label = "User"
    token_login = False  # tokens come from `login`; AGENTDESK_TOKEN still works

    def probe(self, url: str, timeout_s: float = 5.0) -> str | None:
        """An agentdesk/1 server answers `GET /v1/me` without a token with 401 and
        an error body; anything else (nothing listening, a web page) is not one."""
        problem = super().probe(url, timeout_s)
        if problem:
            return problem
        import httpx  # `agentdesk login` only: kept off the desk's start-up path

        try:
            reply = httpx.get(url.rstrip("/") + "/v1/me", timeout=timeout_s)
        except httpx.HTTPError as exc:
            reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
            return f"cannot reach {url}: {reason}"
        try:
            body = reply.json()
        except ValueError:
            body = None
        if reply.status_code != 401 or not isinstance(body, dict) or not isinstance(body.get("error"), dict):
            return (f"{url} does not look like an agentdesk/1 server "
                    f"(GET /v1/me without a token answered {reply.status_code}, not a 401 error)")
        return None

    def create(self, url: str, *, token: str | None = None,
               options: BackendOptions | None = None) -> NativeBackend:
        options = options or BackendOptions()
        retry = RetryPolicy(attempts=options.retry_attempts) if options.retry_attempts else None
        return NativeBackend(url, token=token, timeout=options.timeout_s, retry=retry)


SPEC = AgentdeskSpec()


async def _refusals(call: Any) -> Any:
    """A refusal by a calling rule as its typed error (the message is already plain words)."""
    try:
        return await call
    except BackendCommandError as exc:
        if exc.code in CALL_REFUSALS:
            raise CallRefusedError(exc.message, status=exc.status, code=exc.code) from None
        raise


def _build(model: type[Any], **fields: Any) -> Any:
    """Validate a request locally; an invalid one is refused like the server would (422)."""
    try:
        return model(**{name: _encodable(value) for name, value in fields.items()})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "request"
        raise BackendCommandError(
            f"invalid {where}: {first.get('msg')}", status=422, code="invalid_request"
        ) from None


def _encodable(value: Any) -> Any:
    """Text the agent typed may hold a lone surrogate (a bad paste): make it "?" rather
    than refuse the whole command."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    return value


def _seg(value: str) -> str:
    """One URL path segment: ids come from the server, so never let them add segments."""
    return quote(value.encode("utf-8", "replace"), safe="")
