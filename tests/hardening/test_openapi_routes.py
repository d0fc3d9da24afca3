"""Issue 15, items 3 and 4: the OpenAPI document and the app's routes cannot drift,
and the document states the constraints the server enforces."""

from __future__ import annotations

import httpx
import pytest
from starlette.routing import Route, WebSocketRoute

from agentdesk.mockserver.app import build_app
from agentdesk.mockserver.openapi import openapi_document
from agentdesk.mockserver.server import ServerOptions
from agentdesk.testing.mockserver import DemoClient, running_server

METHODS = {"get", "put", "post", "delete", "patch"}


def _routes() -> set[tuple[str, str]]:
    app = build_app(ServerOptions(manual_clock=True, traffic=False, bots=0, agents=1))
    pairs: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Route):
            pairs |= {(m.lower(), route.path) for m in route.methods or () if m != "HEAD"}
        elif isinstance(route, WebSocketRoute):
            pairs.add(("get", route.path))  # the upgrade is a GET
    return pairs


def _documented() -> set[tuple[str, str]]:
    return {(method, path) for path, ops in openapi_document()["paths"].items()
            for method in ops if method in METHODS}


def test_every_route_is_documented_and_every_documented_path_is_served():
    routes, documented = _routes(), _documented()
    assert routes - documented == set(), "served but not in the OpenAPI document"
    assert documented - routes == set(), "in the OpenAPI document but not served"
    assert ("post", "/v1/logout") in routes


@pytest.fixture(scope="module")
def server():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


def _schema(server, name: str) -> dict:
    return httpx.get(f"{server.url}/openapi.json").json()["components"]["schemas"][name]


def _param(server, path: str, name: str) -> dict:
    op = httpx.get(f"{server.url}/openapi.json").json()["paths"][path]["get"]
    return next(p["schema"] for p in op["parameters"] if p["name"] == name)


def test_the_document_states_the_limits_the_server_enforces(server):
    agent = DemoClient(server.url, "agent1")
    minutes = _param(server, "/v1/stats/history", "minutes")
    assert (minutes["minimum"], minutes["maximum"]) == (1, 60)
    assert agent.get("/v1/stats/history?minutes=61").status_code == 422
    assert _param(server, "/v1/customers/{id}/timeline", "limit")["maximum"] == 500
    assert agent.get("/v1/customers/c0001/timeline?limit=501").status_code == 422
    assert _schema(server, "LoginRequest")["properties"]["password"]["minLength"] == 1
    r = httpx.post(f"{server.url}/v1/login", json={"username": "agent1", "password": ""})
    assert r.status_code == 422
    assert "oneOf" in _schema(server, "CallRequest")  # dtmf needs digits, only dtmf
    assert agent.act("in-x", "call", {"action": "dtmf"}).status_code == 422
    assert agent.act("in-x", "call", {"action": "hold", "digits": "1"}).status_code == 422
    assert "oneOf" in _schema(server, "TransferRequest")  # exactly one target
    assert agent.act("in-x", "transfer", {"queue_id": "a", "agent_id": "b"}).status_code == 422
    assert agent.act("in-x", "transfer", {}).status_code == 422
    codes = _schema(server, "WrapupRequest")["properties"]["disposition"]["enum"]
    assert "resolved" in codes and "timeout" in codes


def test_wrong_methods_answer_405_with_allow(server):
    r = httpx.request("DELETE", f"{server.url}/v1/me")
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["Allow"].split(",")} == {"GET", "HEAD"}
    r = httpx.get(f"{server.url}/v1/logout")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]


def test_strict_types_and_lengths_as_sent(server):
    r = httpx.post(f"{server.url}/sim/contacts", json={"channel": "chat", "text": "x" * 50_001})
    assert r.status_code == 422  # not cut to size by the sanitiser
    iid = httpx.post(f"{server.url}/sim/contacts", json={"channel": "chat"}).json()[
        "interaction_id"]
    r = httpx.post(f"{server.url}/sim/interactions/{iid}/typing", json={"typing": 0})
    assert r.status_code == 422  # 0 is not a boolean
    r = httpx.post(f"{server.url}/sim/clock", json={"advance_s": "5"})
    assert r.status_code == 422  # "5" is not a number


def test_a_client_id_reused_for_another_request_is_409(server):
    agent = DemoClient(server.url, "agent2")
    agent.available()
    iid = agent.contact("chat", text="hi")
    assert agent.post(f"/v1/interactions/{iid}/accept", {"client_id": "k-1"}).status_code == 200
    again = agent.post(f"/v1/interactions/{iid}/accept", {"client_id": "k-1"})
    assert again.status_code == 200 and again.headers["Idempotent-Replay"] == "true"
    other = agent.post(f"/v1/interactions/{iid}/messages",
                       {"client_id": "k-1", "kind": "note", "body": "x"})
    assert other.status_code == 409 and "already used" in other.json()["error"]["message"]


def test_the_event_stream_over_plain_http_is_426_after_the_token(server):
    assert httpx.get(f"{server.url}/v1/events").status_code == 401
    token = DemoClient(server.url, "agent1").token
    r = httpx.get(f"{server.url}/v1/events?token={token}")
    assert r.status_code == 426 and r.headers["Upgrade"] == "websocket"
    assert httpx.get(f"{server.url}/v1/events?token={token}&since=-1").status_code == 422
