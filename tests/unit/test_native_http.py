"""NativeBackend over HTTP against tiny in-process servers: error mapping,
retries with the same client_id, malformed bodies, timeouts, sanitising."""

from __future__ import annotations

import asyncio
import socket

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from agentdesk.backends.base import (
    BackendAuthError,
    BackendCommandError,
    BackendConnectionError,
)
from agentdesk.backends.http import RetryPolicy
from agentdesk.backends.native import NativeBackend
from agentdesk.domain.models import CallAction, Presence
from tests.asgi_exchange import AsgiExchange

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.005)

USER = {"id": "agent1", "name": "Agent One", "role": "agent"}


def interaction(iid: str = "i1", **extra: object) -> dict:
    return {
        "id": iid, "channel": "chat", "customer_id": "c1", "customer_name": "Ann",
        "queue_id": "q1", "state": "active", "created_at": 1.0, **extra,
    }


def backend_for(routes: list[Route], **kw: object) -> NativeBackend:
    app = Starlette(routes=routes)
    kw.setdefault("retry", FAST_RETRY)
    return NativeBackend("http://test", transport=AsgiExchange(app), **kw)


async def test_login_remembers_token_and_sends_it() -> None:
    seen: list[str | None] = []

    async def login(request: Request) -> Response:
        body = await request.json()
        assert body == {"username": "agent1", "password": "demo"}
        return JSONResponse({"token": "tok-1", "user": USER})

    async def me(request: Request) -> Response:
        seen.append(request.headers.get("authorization"))
        return JSONResponse({"user": USER, "agent": {"id": "agent1", "name": "Agent One"}})

    backend = backend_for([Route("/v1/login", login, methods=["POST"]), Route("/v1/me", me)])
    try:
        assert await backend.login("agent1", "demo") == "tok-1"
        user, agent = await backend.me()
        assert user.id == "agent1" and agent is not None and agent.presence is Presence.OFFLINE
        assert seen == ["Bearer tok-1"]
        assert backend.capabilities.simulation is False  # no /sim/clock here
        assert "tok-1" not in repr(backend)
    finally:
        await backend.close()


async def test_capabilities_detect_simulation() -> None:
    async def login(request: Request) -> Response:
        return JSONResponse({"token": "t", "user": USER})

    async def clock(request: Request) -> Response:
        return JSONResponse({"now": 1772442000.0})

    backend = backend_for([Route("/v1/login", login, methods=["POST"]), Route("/sim/clock", clock)])
    try:
        await backend.login("agent1", "demo")
        assert backend.capabilities.simulation is True
    finally:
        await backend.close()


async def test_401_is_auth_error() -> None:
    async def me(request: Request) -> Response:
        return JSONResponse({"error": {"code": "unauthorized", "message": "token expired"}}, 401)

    backend = backend_for([Route("/v1/me", me)], token="old")
    try:
        with pytest.raises(BackendAuthError, match="token expired"):
            await backend.me()
        with pytest.raises(BackendAuthError):
            await backend.use_token("still-old")
    finally:
        await backend.close()


@pytest.mark.parametrize("status", [400, 403, 404, 409, 413, 422])
async def test_4xx_is_command_error_with_code_and_message(status: int) -> None:
    calls = 0

    async def accept(request: Request) -> Response:
        nonlocal calls
        calls += 1
        return JSONResponse({"error": {"code": "nope", "message": "not yours"}}, status)

    backend = backend_for([Route("/v1/interactions/{iid}/accept", accept, methods=["POST"])])
    try:
        with pytest.raises(BackendCommandError) as info:
            await backend.accept("i1", "cid-1")
        assert (info.value.status, info.value.code, info.value.message) == (status, "nope", "not yours")
        assert calls == 1  # refusals are final: never retried
    finally:
        await backend.close()


async def test_4xx_without_error_body_still_explains() -> None:
    async def accept(request: Request) -> Response:
        return Response("<html>nope</html>", 404)

    backend = backend_for([Route("/v1/interactions/{iid}/accept", accept, methods=["POST"])])
    try:
        with pytest.raises(BackendCommandError) as info:
            await backend.accept("i1", "cid-1")
        assert info.value.status == 404 and info.value.code == "http_404"
        assert "404" in info.value.message
    finally:
        await backend.close()


async def test_5xx_is_retried_with_the_same_client_id() -> None:
    bodies: list[dict] = []

    async def message(request: Request) -> Response:
        bodies.append(await request.json())
        if len(bodies) < 3:
            return JSONResponse({"error": {"code": "boom", "message": "try later"}}, 503)
        item = {
            "id": "m1", "customer_id": "c1", "interaction_id": "i1", "channel": "chat",
            "kind": "message", "direction": "outbound", "author": "Agent One",
            "body": bodies[-1]["body"], "at": 5.0, "client_id": bodies[-1]["client_id"],
        }
        return JSONResponse({"item": item})

    backend = backend_for([Route("/v1/interactions/{iid}/messages", message, methods=["POST"])])
    try:
        item = await backend.send_message("i1", "hello", "cid-7")
        assert item.body == "hello" and item.client_id == "cid-7"
        assert [b["client_id"] for b in bodies] == ["cid-7"] * 3
        assert all(b == bodies[0] for b in bodies)
    finally:
        await backend.close()


async def test_5xx_that_persists_becomes_connection_error() -> None:
    calls = 0

    async def call(request: Request) -> Response:
        nonlocal calls
        calls += 1
        return Response("oops", 500)

    backend = backend_for([Route("/v1/interactions/{iid}/call", call, methods=["POST"])])
    try:
        with pytest.raises(BackendConnectionError, match="server error 500"):
            await backend.call_action("i1", CallAction.HOLD, "cid-1")
        assert calls == FAST_RETRY.attempts
    finally:
        await backend.close()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[]",
        b'{"interactions": "nope"}',
        b'{"interactions": [{"id": 5}]}',
        b'{"interactions": [{"id": "i1", "channel": "fax"}]}',
        b"\xff\xfe\x00garbage",
    ],
)
async def test_malformed_body_is_connection_error(body: bytes) -> None:
    async def listing(request: Request) -> Response:
        return Response(body, 200, media_type="application/json")

    backend = backend_for([Route("/v1/interactions", listing)])
    try:
        with pytest.raises(BackendConnectionError) as info:
            await backend.list_interactions()
        assert "GET /v1/interactions" in info.value.message
    finally:
        await backend.close()


async def test_hostile_strings_in_bodies_arrive_sanitised() -> None:
    hostile = "Ann\x1b[2J\x1b]0;pwned\x07\u202e\x9b31m [bold]x[/]"

    async def listing(request: Request) -> Response:
        return JSONResponse({"interactions": [interaction(customer_name=hostile, subject=hostile)]})

    async def refuse(request: Request) -> Response:
        return JSONResponse({"error": {"code": "x\x1b[31m", "message": hostile}}, 409)

    backend = backend_for(
        [
            Route("/v1/interactions", listing),
            Route("/v1/interactions/{iid}/accept", refuse, methods=["POST"]),
        ]
    )
    try:
        [item] = await backend.list_interactions()
        for text in (item.customer_name, item.subject):
            assert text is not None
            assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
            assert text == "Ann [bold]x[/]"  # markup is kept: the UI renders it literally
        with pytest.raises(BackendCommandError) as info:
            await backend.accept("i1", "c1")
        assert "\x1b" not in info.value.message and "\x1b" not in info.value.code
    finally:
        await backend.close()


async def test_query_and_path_are_encoded() -> None:
    seen: list[tuple[str, dict]] = []

    async def timeline(request: Request) -> Response:
        seen.append((request.path_params["cid"], dict(request.query_params)))
        return JSONResponse({"items": [], "has_more": False})

    async def listing(request: Request) -> Response:
        seen.append(("list", dict(request.query_params)))
        return JSONResponse({"interactions": []})

    backend = backend_for(
        [Route("/v1/customers/{cid}/timeline", timeline), Route("/v1/interactions", listing)]
    )
    try:
        page = await backend.get_timeline("c 1?x&y", before="t9", limit=20)
        assert page.items == [] and page.has_more is False
        await backend.list_interactions()
        await backend.list_interactions(agent_id="agent2")
        assert seen == [
            ("c 1?x&y", {"before": "t9", "limit": "20"}),
            ("list", {}),
            ("list", {"agent": "agent2"}),
        ]
    finally:
        await backend.close()


async def test_invalid_command_is_refused_locally() -> None:
    backend = backend_for([])
    try:
        with pytest.raises(BackendCommandError) as info:
            await backend.call_action("i1", CallAction.DTMF, "cid-1", digits="12; rm -rf")
        assert info.value.status == 422
        with pytest.raises(BackendCommandError):
            await backend.send_message("i1", "", "cid-2")
        with pytest.raises(BackendCommandError):
            await backend.transfer("i1", "cid-3")  # no target
    finally:
        await backend.close()


async def test_every_snapshot_and_command_parses_its_envelope() -> None:
    stats = {"at": 3.0, "queues": [{"queue_id": "q1", "waiting": 2}]}
    agent = {"id": "agent1", "name": "Agent One", "presence": "break"}
    routes = [
        Route("/v1/interactions/{iid}", lambda r: JSONResponse({"interaction": interaction()})),
        Route("/v1/customers/{cid}", lambda r: JSONResponse({"customer": {"id": "c1", "name": "Ann"}})),
        Route("/v1/queues", lambda r: JSONResponse({"queues": [{"id": "q1", "name": "Q", "channels": ["chat"]}]})),
        Route("/v1/agents", lambda r: JSONResponse({"agents": [agent]})),
        Route("/v1/stats", lambda r: JSONResponse({"stats": stats})),
        Route("/v1/dispositions", lambda r: JSONResponse({"dispositions": [{"code": "ok", "label": "OK"}]})),
        Route("/v1/canned-responses", lambda r: JSONResponse({"canned_responses": [
            {"id": "g", "shortcut": "hi", "title": "Hi", "body": "Hello"}]})),
        Route("/v1/kb/articles", lambda r: JSONResponse({"articles": [{"id": "a", "title": "T", "body": "B"}]})),
        Route("/v1/me/presence", lambda r: JSONResponse({"agent": agent}), methods=["PUT"]),
        Route("/v1/interactions/{iid}/read", lambda r: JSONResponse({}), methods=["POST"]),
        Route("/v1/interactions/{iid}/{verb}",
              lambda r: JSONResponse({"interaction": interaction(state="wrapup")}), methods=["POST"]),
    ]
    backend = backend_for(routes)
    try:
        assert (await backend.get_interaction("i1")).id == "i1"
        assert (await backend.get_customer("c1")).customer.name == "Ann"
        assert (await backend.list_queues())[0].id == "q1"
        assert (await backend.list_agents())[0].presence is Presence.BREAK
        assert (await backend.get_stats()).queues[0].waiting == 2
        assert (await backend.list_dispositions())[0].code == "ok"
        assert (await backend.list_canned_responses())[0].shortcut == "hi"
        assert (await backend.list_kb_articles(since=1.0))[0].id == "a"
        assert (await backend.set_presence(Presence.BREAK)).presence is Presence.BREAK
        await backend.mark_read("i1")
        assert (await backend.reject("i1", "c1")).state == "wrapup"
        assert (await backend.wrapup("i1", "ok", "c2", notes="n")).state == "wrapup"
        assert (await backend.transfer("i1", "c3", queue_id="q2")).state == "wrapup"
    finally:
        await backend.close()


# --- real sockets: refused connections and stalled servers ------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_server_is_connection_error() -> None:
    backend = NativeBackend(f"http://127.0.0.1:{_free_port()}", timeout=1.0, retry=FAST_RETRY)
    try:
        with pytest.raises(BackendConnectionError, match="cannot reach"):
            await backend.login("agent1", "demo")
    finally:
        await backend.close()


async def test_slow_server_times_out_cleanly() -> None:
    """A server that accepts the connection and never answers."""
    stalled: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stalled.append(writer)
        await reader.read(65536)  # take the request, answer nothing

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    backend = NativeBackend(
        f"http://127.0.0.1:{port}", timeout=0.2, retry=RetryPolicy(attempts=2, base_delay=0.001)
    )
    try:
        with pytest.raises(BackendConnectionError, match="no answer within 0.2s"):
            await backend.accept("i1", "cid-1")
        assert len(stalled) >= 2  # retried once (same request), then gave up
    finally:
        await backend.close()
        for writer in stalled:
            writer.close()
        server.close()
        await server.wait_closed()


def test_retry_policy_backoff_is_bounded() -> None:
    policy = RetryPolicy(attempts=5, base_delay=0.5, max_delay=2.0)
    for attempt in range(1, 10):
        assert 0 <= policy.delay(attempt) <= 2.0



async def test_unencodable_text_is_sent_not_crashed() -> None:
    """A lone surrogate (a bad paste) must not turn into a raw UnicodeEncodeError."""
    seen: list[dict] = []

    async def message(request: Request) -> Response:
        seen.append(await request.json())
        item = {"id": "m1", "customer_id": "c1", "interaction_id": request.path_params["iid"],
                "channel": "chat", "kind": "message", "direction": "outbound", "author": "A",
                "body": seen[-1]["body"], "at": 1.0}
        return JSONResponse({"item": item})

    backend = backend_for([Route("/v1/interactions/{iid}/messages", message, methods=["POST"])])
    try:
        item = await backend.send_message("i\ud8001", "bad \ud800 paste \U0001f600", "cid-1")
        assert seen[0]["body"] == "bad ? paste \U0001f600" and item.interaction_id == "i?1"
    finally:
        await backend.close()


async def test_delayed_answers_time_out_and_the_client_stays_usable() -> None:
    """Answers that come later than the timeout: a clean error, then business as usual."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_line = await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        if b"/v1/stats" in request_line:
            await asyncio.sleep(1.0)  # far beyond the client's timeout
        body = b'{"stats": {"at": 5.0}}' if b"/v1/stats" in request_line else b'{"queues": []}'
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        try:
            writer.write(head + body)
            await writer.drain()
        except ConnectionError:
            pass  # the client gave up on us, as it should
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    backend = NativeBackend(f"http://127.0.0.1:{port}", timeout=0.2,
                            retry=RetryPolicy(attempts=1))
    try:
        with pytest.raises(BackendConnectionError, match="no answer within 0.2s"):
            await backend.get_stats()
        assert await backend.list_queues() == []  # nothing wedged
        with pytest.raises(BackendConnectionError):
            await backend.get_stats()
    finally:
        await backend.close()
        server.close()
        await server.wait_closed()


async def test_a_closed_backend_says_so() -> None:
    backend = backend_for([])
    await backend.close()
    await backend.close()  # twice is fine
    with pytest.raises(BackendConnectionError, match="closed"):
        await backend.list_queues()


async def test_empty_credentials_are_refused_locally() -> None:
    backend = backend_for([])
    try:
        with pytest.raises(BackendCommandError) as info:
            await backend.login("", "demo")
        assert info.value.status == 422 and "username" in info.value.message
        with pytest.raises(BackendCommandError):
            await backend.set_presence("partying")  # type: ignore[arg-type]
    finally:
        await backend.close()


async def test_huge_bodies_are_refused_without_buffering_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import agentdesk.backends.http as http_mod

    monkeypatch.setattr(http_mod, "MAX_RESPONSE_BYTES", 10_000)

    async def listing(request: Request) -> Response:
        return Response(b'{"interactions": [' + b" " * 50_000 + b"]}", 200)

    backend = backend_for([Route("/v1/interactions", listing)])
    try:
        with pytest.raises(BackendConnectionError, match="larger than"):
            await backend.list_interactions()
    finally:
        await backend.close()
