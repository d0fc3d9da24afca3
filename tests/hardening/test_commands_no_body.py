"""Issue 15, item 2: accept / reject / read with no body, an empty object or a bad
client_id answer 404 / 409 / 422 as docs/protocol.md promises, never 500."""

from __future__ import annotations

import httpx
import pytest

from agentdesk.testing.mockserver import DemoClient, running_server


@pytest.fixture(scope="module")
def server():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


@pytest.mark.parametrize("action", ["accept", "reject", "read"])
def test_no_body_on_unknown_id_is_404(server, action):
    agent = DemoClient(server.url, "agent1")
    token = agent.http.headers["Authorization"]
    for content in (None, b"", b"{}"):
        r = httpx.post(f"{server.url}/v1/interactions/in-nope/{action}", content=content,
                       headers={"Authorization": token})
        assert r.status_code == 404, (content, r.text)
        assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("action", ["accept", "reject", "read"])
def test_bad_client_id_is_422(server, action):
    agent = DemoClient(server.url, "agent1")
    for body in ({"client_id": ""}, {"client_id": 5},
                 {"client_id": "a b"}, {"other": 1}):
        r = agent.post(f"/v1/interactions/in-nope/{action}", body)
        assert r.status_code == 422, (body, r.text)


def test_no_body_on_a_real_offer_accepts_it(server):
    agent = DemoClient(server.url, "agent2")
    agent.available()
    iid = agent.contact("chat", text="hello")
    r = httpx.post(f"{server.url}/v1/interactions/{iid}/accept",
                   headers={"Authorization": agent.http.headers["Authorization"]})
    assert r.status_code == 200, r.text
    assert r.json()["interaction"]["state"] == "active"
    again = httpx.post(f"{server.url}/v1/interactions/{iid}/read",
                       headers={"Authorization": agent.http.headers["Authorization"]})
    assert again.status_code == 200
