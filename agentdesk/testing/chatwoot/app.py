"""The fake Chatwoot server: REST routes and the ActionCable `/cable`, with
controls for tests (new conversations, customer messages and typing, other
agents' actions, raw pushes, dropped or refused sockets, lost answers).

Behaviour follows the shared reference (chatwoot-api.md): `api_access_token`
auth, account-scoped paths, `assignee_type=me|unassigned`, 25 conversations
a page, messages `before` (20) / `after` (100), labels POST replacing the set,
an agent's `toggle_status open` assigning to them, a team assignment
dropping an assignee who is not a team member, echo_id echoed on the cable
only (never stored), typing sent to everyone but the typer, and the cable's
welcome / subscribe / confirm / ping protocol with a silent non-confirm for
a bad pubsub token.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse as _StarletteJSON
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute

from agentdesk.testing.chatwoot.cable import CableEndpoint, CableSocket
from agentdesk.testing.chatwoot.world import ACCOUNT_ID, FConversation, FUser, World


class JSONResponse(_StarletteJSON):
    """ASCII JSON, so hostile test text with lone surrogates still goes out
    (escaped), as a Rails server would send it."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


A = "/api/v1/accounts/{account_id:int}"
C = A + "/conversations/{conversation_id:int}"


class ChatwootFake(CableEndpoint):
    """State + controls. Every control is a coroutine run on the server's loop."""

    def __init__(self, *, ping_interval: float = 3.0) -> None:
        self.world = World()
        self.ping_interval = ping_interval
        self.cables: list[CableSocket] = []
        self.refuse_cable = False  # sockets closed before the welcome (an outage)
        self.reject_subscriptions = False  # bad token -> reject_subscription instead of silence
        self.lose_answers: list[tuple[str, str]] = []  # (method, path suffix): apply, then 502
        self.requests: list[tuple[str, str]] = []
        self.agent_typing: dict[int, str] = {}  # conversation -> "on"/"off" from agents
        self.subscribed = asyncio.Event()
        self.app = self._build()

    # -- controls for tests ---------------------------------------------------------------

    async def new_conversation(self, name: str = "Grace Hopper", text: str = "Hello?", *,
                               inbox_id: int = 1, email: str | None = None,
                               subject: str | None = None, assignee_id: int | None = None,
                               contact_id: int | None = None, priority: str | None = None,
                               attachments: list[dict[str, Any]] | None = None
                               ) -> FConversation:
        w = self.world
        contact = w.contacts.get(contact_id) if contact_id else None
        if contact is None:
            contact = w.contact(name, email=email or f"{name.split()[0].lower()}@example.net",
                                custom_attributes={"plan": "gold"},
                                additional_attributes={"city": "Lisbon"})
        attrs = {"mail_subject": subject} if subject else {}
        conv = w.conversation(contact, inbox_id, assignee_id=assignee_id,
                              additional_attributes=attrs, priority=priority)
        await self.broadcast("conversation.created", w.conversation_push(conv))
        await self.customer_message(conv.id, text, attachments=attachments, subject=subject)
        return conv

    async def customer_message(self, conversation_id: int, text: str, *,
                               attachments: list[dict[str, Any]] | None = None,
                               subject: str | None = None, cc: list[str] | None = None) -> int:
        w = self.world
        conv = w.conversations[conversation_id]
        was = conv.status
        attrs: dict[str, Any] = {}
        if subject or cc:
            attrs["email"] = {"subject": subject, "cc": cc or []}
        msg = w.message(conv, 0, text, sender=w.contacts[conv.contact_id].push(),
                        attachments=[{"id": i + 1, "message_id": 0, "file_type": a.get(
                            "file_type", "file"), "account_id": ACCOUNT_ID, "extension": None,
                            "data_url": a["data_url"], "thumb_url": "",
                            "file_size": a.get("file_size", 0), "width": None, "height": None}
                            for i, a in enumerate(attachments or [])],
                        content_attributes=attrs)
        await self.broadcast("message.created", w.message_json(msg, push=True))
        if conv.status != was:
            await self._conversation_events(conv, "conversation.status_changed")
        return msg.id

    async def customer_typing(self, conversation_id: int, on: bool) -> None:
        w = self.world
        conv = w.conversations[conversation_id]
        await self.broadcast(f"conversation.typing_{'on' if on else 'off'}",
                             {"conversation": w.conversation_push(conv),
                              "user": w.contacts[conv.contact_id].push(), "is_private": False})

    async def assign(self, conversation_id: int, user_id: int | None) -> None:
        """Another agent (or an admin) changes the assignee."""
        conv = self.world.conversations[conversation_id]
        conv.assignee_id = user_id
        conv.updated_at = time.time()
        await self._conversation_events(conv, "assignee.changed")

    async def set_status(self, conversation_id: int, status: str) -> None:
        conv = self.world.conversations[conversation_id]
        conv.status = status
        conv.updated_at = time.time()
        await self._conversation_events(conv, "conversation.status_changed")

    async def set_availability(self, user_id: int, availability: str) -> None:
        """An agent goes online, busy or offline (their dashboard's choice, or
        auto-offline). Every subscriber gets a `presence.update` now, as the reply
        to its next `update_presence` would bring it."""
        self.world.users[user_id].availability = availability
        for cable in list(self.cables):
            if cable.ident is not None:
                await self._presence(cable)

    async def push(self, event: str, data: dict[str, Any]) -> None:
        await self.broadcast(event, data)

    def posts(self, suffix: str) -> int:
        return sum(1 for m, p in self.requests if m == "POST" and p.endswith(suffix))

    # -- broadcasting -------------------------------------------------------------------------

    async def _conversation_events(self, conv: FConversation, specific: str) -> None:
        data = self.world.conversation_push(conv)
        await self.broadcast(specific, data)
        await self.broadcast("conversation.updated", data)

    # -- the app ---------------------------------------------------------------------------------

    def _build(self) -> Starlette:
        fake = self

        class Faults(BaseHTTPMiddleware):
            async def dispatch(self, request: Request, call_next: Any) -> Response:
                fake.requests.append((request.method, request.url.path))
                response = await call_next(request)
                for i, (method, suffix) in enumerate(fake.lose_answers):
                    if request.method == method and request.url.path.endswith(suffix):
                        del fake.lose_answers[i]
                        return Response("bad gateway", status_code=502)
                return response

        routes = [
            Route("/auth/sign_in", self._sign_in, methods=["POST"]),
            Route("/api/v1/profile", self._profile, methods=["GET"]),
            Route("/api/v1/profile/availability", self._availability, methods=["POST"]),
            Route(A + "/conversations", self._conversations, methods=["GET"]),
            Route(A + "/conversations/meta", self._meta, methods=["GET"]),
            Route(C, self._conversation, methods=["GET"]),
            Route(C + "/messages", self._messages, methods=["GET", "POST"]),
            Route(C + "/toggle_status", self._toggle_status, methods=["POST"]),
            Route(C + "/toggle_typing_status", self._typing, methods=["POST"]),
            Route(C + "/assignments", self._assignments, methods=["POST"]),
            Route(C + "/labels", self._conv_labels, methods=["GET", "POST"]),
            Route(C + "/update_last_seen", self._last_seen, methods=["POST"]),
            Route(A + "/contacts/{contact_id:int}", self._contact, methods=["GET"]),
            Route(A + "/contacts/{contact_id:int}/conversations", self._contact_convs,
                  methods=["GET"]),
            Route(A + "/canned_responses", self._canned, methods=["GET"]),
            Route(A + "/agents", self._agents, methods=["GET"]),
            Route(A + "/teams", self._teams, methods=["GET"]),
            Route(A + "/labels", self._labels, methods=["GET"]),
            Route(A + "/inboxes", self._inboxes, methods=["GET"]),
            Route(A + "/inbox_members/{inbox_id:int}", self._inbox_members, methods=["GET"]),
            Route(A + "/teams/{team_id:int}/team_members", self._team_members, methods=["GET"]),
            Route("/api/v2/accounts/{account_id:int}/summary_reports/agent", self._agent_summary,
                  methods=["GET"]),
            WebSocketRoute("/cable", self._cable),
        ]
        app = Starlette(routes=routes)
        app.add_middleware(Faults)
        return app

    # -- REST helpers ------------------------------------------------------------------------------

    def _user(self, request: Request) -> FUser | None:
        return self.world.user_by_token(request.headers.get("api_access_token"))

    @staticmethod
    def _unauthorized() -> JSONResponse:
        return JSONResponse({"error": "You need to sign in or sign up before continuing."}, 401)

    def _guard(self, request: Request) -> tuple[FUser | None, Response | None]:
        user = self._user(request)
        if user is None:
            return None, self._unauthorized()
        account = request.path_params.get("account_id")
        if account is not None and account != ACCOUNT_ID:
            return None, self._unauthorized()
        return user, None

    def _conv(self, request: Request) -> FConversation | None:
        return self.world.conversations.get(request.path_params["conversation_id"])

    @staticmethod
    async def _body(request: Request) -> dict[str, Any]:
        try:
            body = await request.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    # -- REST routes ----------------------------------------------------------------------------------

    async def _sign_in(self, request: Request) -> Response:
        body = await self._body(request)
        user = next((u for u in self.world.users.values() if u.email == body.get("email")), None)
        if user is None or user.password != body.get("password"):
            return JSONResponse({"success": False, "errors": [
                "Invalid login credentials. Please try again."]}, 401)
        return JSONResponse({"data": user.profile()},
                            headers={"access-token": "devise", "client": "c", "uid": user.email})

    async def _profile(self, request: Request) -> Response:
        user, denied = self._guard(request)
        return denied or JSONResponse(user.profile())

    async def _availability(self, request: Request) -> Response:
        user, denied = self._guard(request)
        if denied:
            return denied
        profile = (await self._body(request)).get("profile") or {}
        value = profile.get("availability")
        if value not in ("online", "busy", "offline"):
            return JSONResponse({"error": "invalid availability"}, 422)
        user.availability = value
        return JSONResponse(user.profile())

    def _visible(self, user: FUser, status: str) -> list[FConversation]:
        convs = [c for c in self.world.conversations.values()
                 if status == "all" or c.status == status]
        return sorted(convs, key=lambda c: c.updated_at, reverse=True)

    async def _conversations(self, request: Request) -> Response:
        user, denied = self._guard(request)
        if denied:
            return denied
        q = request.query_params
        convs = self._visible(user, q.get("status", "open"))
        counts = {"mine_count": sum(c.assignee_id == user.id for c in convs),
                  "unassigned_count": sum(c.assignee_id is None for c in convs),
                  "assigned_count": sum(c.assignee_id is not None for c in convs),
                  "all_count": len(convs)}
        kind = q.get("assignee_type", "all")
        if kind == "me":
            convs = [c for c in convs if c.assignee_id == user.id]
        elif kind == "unassigned":
            convs = [c for c in convs if c.assignee_id is None]
        elif kind == "assigned":
            convs = [c for c in convs if c.assignee_id is not None]
        page = max(1, int(q.get("page", "1")))
        convs = convs[(page - 1) * 25: page * 25]
        return JSONResponse({"data": {"meta": counts, "payload": [
            self.world.conversation_rest(c) for c in convs]}})

    async def _meta(self, request: Request) -> Response:
        user, denied = self._guard(request)
        if denied:
            return denied
        convs = self._visible(user, request.query_params.get("status", "open"))
        return JSONResponse({"meta": {"mine_count": sum(c.assignee_id == user.id for c in convs),
                                      "unassigned_count": sum(c.assignee_id is None for c in convs),
                                      "assigned_count": sum(c.assignee_id is not None
                                                            for c in convs),
                                      "all_count": len(convs)}})

    async def _conversation(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        conv = self._conv(request)
        if conv is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        return JSONResponse(self.world.conversation_rest(conv))

    async def _messages(self, request: Request) -> Response:
        user, denied = self._guard(request)
        if denied:
            return denied
        conv = self._conv(request)
        if conv is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        w = self.world
        if request.method == "POST":
            body = await self._body(request)
            content = body.get("content")
            if not isinstance(content, str) or not content:
                return JSONResponse({"error": "content can't be blank"}, 422)
            attrs: dict[str, Any] = {}
            if body.get("cc_emails") and w.inboxes[conv.inbox_id].channel_type == "Channel::Email":
                attrs["cc_emails"] = [e.strip() for e in str(body["cc_emails"]).split(",")]
            msg = w.message(conv, 1, content, private=bool(body.get("private")),
                            sender=user.push(), content_attributes=attrs)
            echo = body.get("echo_id") if isinstance(body.get("echo_id"), str) else None
            await self.broadcast("message.created", w.message_json(msg, echo_id=echo, push=True))
            return JSONResponse(w.message_json(msg))
        q = request.query_params
        found = [m for m in w.messages if m.conversation_id == conv.id]
        before, after = q.get("before"), q.get("after")
        if after is not None:
            found = [m for m in found if m.id > int(after)][:100]
        elif before is not None:
            found = [m for m in found if m.id < int(before)][-20:]
        else:
            found = found[-20:]
        meta = {"labels": conv.labels, "additional_attributes": conv.additional_attributes,
                "contact": w.contacts[conv.contact_id].push()}
        return JSONResponse({"meta": meta, "payload": [w.message_json(m) for m in found]})

    async def _toggle_status(self, request: Request) -> Response:
        user, denied = self._guard(request)
        if denied:
            return denied
        conv = self._conv(request)
        if conv is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        body = await self._body(request)
        status = body.get("status") or ("resolved" if conv.status == "open" else "open")
        if status not in ("open", "resolved", "pending", "snoozed"):
            return JSONResponse({"error": "invalid status"}, 422)
        changed = status != conv.status
        if changed and status == "resolved" and conv.assignee_id is not None:
            w = self.world
            w.resolved[conv.assignee_id] = w.resolved.get(conv.assignee_id, 0) + 1
        conv.status = status
        conv.snoozed_until = body.get("snoozed_until") if status == "snoozed" else None
        if status == "open" and conv.assignee_id is None and user.role == "agent":
            conv.assignee_id = user.id  # PR #3925: opening assigns the agent
        if changed:
            conv.updated_at = time.time()
            await self._conversation_events(conv, "conversation.status_changed")
        return JSONResponse({"meta": {}, "payload": {"success": True, "current_status": status,
                                                     "conversation_id": conv.id,
                                                     "snoozed_until": conv.snoozed_until}})

    async def _typing(self, request: Request) -> Response:
        user, denied = self._guard(request)
        if denied:
            return denied
        conv = self._conv(request)
        if conv is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        body = await self._body(request)
        status = body.get("typing_status")
        if status not in ("on", "off"):
            return JSONResponse({"error": "invalid typing_status"}, 422)
        self.agent_typing[conv.id] = status
        await self.broadcast(f"conversation.typing_{status}",
                             {"conversation": self.world.conversation_push(conv),
                              "user": user.push(), "is_private": bool(body.get("is_private"))},
                             exclude=user)
        return Response(status_code=200)

    async def _assignments(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        conv = self._conv(request)
        if conv is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        body = await self._body(request)
        w = self.world
        if "assignee_id" in body:
            assignee = body["assignee_id"]
            if assignee is not None and assignee not in w.users:
                return JSONResponse({"error": "Agent not found"}, 404)
            if assignee != conv.assignee_id:
                conv.assignee_id = assignee
                conv.updated_at = time.time()
                await self._conversation_events(conv, "assignee.changed")
            return JSONResponse(w.users[assignee].agent() if assignee else None)
        team = body.get("team_id")
        if team not in w.teams:
            return JSONResponse({"error": "Team not found"}, 404)
        if team != conv.team_id:
            conv.team_id = team
            conv.updated_at = time.time()
            if conv.assignee_id is not None and conv.assignee_id not in w.team_members[team]:
                conv.assignee_id = None  # the assignee is not in the new team
            await self._conversation_events(conv, "team.changed")
        return JSONResponse({"id": team, "name": w.teams[team], "account_id": ACCOUNT_ID})

    async def _conv_labels(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        conv = self._conv(request)
        if conv is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        if request.method == "POST":
            labels = (await self._body(request)).get("labels")
            if not isinstance(labels, list):
                return JSONResponse({"error": "labels must be a list"}, 422)
            conv.labels = [str(x) for x in labels]  # replaces the whole set
            conv.updated_at = time.time()
            await self.broadcast("conversation.updated", self.world.conversation_push(conv))
        return JSONResponse({"payload": conv.labels})

    async def _last_seen(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        conv = self._conv(request)
        if conv is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        conv.agent_last_seen_at = time.time()
        await self.broadcast("conversation.read", self.world.conversation_push(conv))
        return Response(status_code=200)

    async def _contact(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        contact = self.world.contacts.get(request.path_params["contact_id"])
        if contact is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        return JSONResponse({"payload": contact.rest()})

    async def _contact_convs(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        cid = request.path_params["contact_id"]
        convs = [c for c in self.world.conversations.values() if c.contact_id == cid]
        return JSONResponse({"payload": [self.world.conversation_rest(c) for c in convs]})

    async def _canned(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        return denied or JSONResponse(self.world.canned)

    async def _agents(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        return denied or JSONResponse([u.agent() for u in self.world.users.values()])

    async def _teams(self, request: Request) -> Response:
        user, denied = self._guard(request)
        if denied:
            return denied
        return JSONResponse([{"id": tid, "name": name, "description": None,
                              "allow_auto_assign": False, "account_id": ACCOUNT_ID,
                              "is_member": user.id in self.world.team_members[tid]}
                             for tid, name in self.world.teams.items()])

    async def _labels(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        return denied or JSONResponse({"payload": [
            {"id": i, "title": t, "description": d, "color": "#1f93ff", "show_on_sidebar": True}
            for i, (t, d) in enumerate(self.world.labels.items(), 1)]})

    async def _inboxes(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        return denied or JSONResponse({"payload": [i.rest() for i in
                                                   self.world.inboxes.values()]})

    async def _inbox_members(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        ids = self.world.inbox_members.get(request.path_params["inbox_id"])
        if ids is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        return JSONResponse({"payload": [self.world.users[i].agent() for i in sorted(ids)]})

    async def _team_members(self, request: Request) -> Response:
        _user, denied = self._guard(request)
        if denied:
            return denied
        ids = self.world.team_members.get(request.path_params["team_id"])
        if ids is None:
            return JSONResponse({"error": "Resource could not be found"}, 404)
        return JSONResponse([self.world.users[i].agent() for i in sorted(ids)])

    async def _agent_summary(self, request: Request) -> Response:
        """Reports are for administrators: an agent gets Chatwoot's 401 (Pundit)."""
        user, denied = self._guard(request)
        if denied:
            return denied
        if user.role != "administrator":
            return JSONResponse({"error": "You are not authorized to do this action"}, 401)
        return JSONResponse([{"id": u.id, "conversations_count": 0,
                              "resolved_conversations_count": self.world.resolved.get(u.id, 0),
                              "avg_resolution_time": None, "avg_first_response_time": None,
                              "avg_reply_time": None} for u in self.world.users.values()])
