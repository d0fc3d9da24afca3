"""The mock server over real HTTP on loopback: login, offers, commands, errors, roles."""

from __future__ import annotations

import pytest

from agentdesk.testing.mockserver import DemoClient, running_server


@pytest.fixture(scope="module")
def server():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


@pytest.fixture
def agent(server):
    """agent1, available; everything it had is cleaned up afterwards."""
    client = DemoClient(server.url, "agent1")
    client.available()
    yield client
    _cleanup(server.url)
    client.close()


def _cleanup(url: str) -> None:
    """Close whatever the test left open so tests stay independent."""
    sup = DemoClient(url, "supervisor")
    for ix in sup.get("/v1/interactions").json()["interactions"]:
        if ix["state"] in ("queued", "offered"):
            sup.post(f"/sim/interactions/{ix['id']}/end")
        elif ix["state"] in ("active", "wrapup"):
            owner = DemoClient(url, ix["agent_id"])
            if ix["state"] == "active" and ix["channel"] == "voice":
                owner.act(ix["id"], "call", {"action": "hangup"})
            owner.act(ix["id"], "wrapup", {"disposition": "resolved"})
    for n in (1, 2, 3):
        DemoClient(url, f"agent{n}").put("/v1/me/presence", {"presence": "offline"})
    sup.close()


def test_login_good_and_bad(server):
    c = DemoClient(server.url)
    r = c.post("/v1/login", {"username": "agent1", "password": "demo"})
    assert r.status_code == 200
    assert r.json()["user"] == {"id": "agent1", "name": "Agent 1", "role": "agent"}
    bad = c.post("/v1/login", {"username": "agent1", "password": "nope"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_credentials"
    unknown = c.post("/v1/login", {"username": "mallory", "password": "demo"})
    assert unknown.status_code == 401
    assert c.get("/v1/me").status_code == 401
    c.http.headers["Authorization"] = "Bearer forged"
    assert c.get("/v1/me").json()["error"]["code"] == "unauthorized"


def test_me_and_presence(agent):
    me = agent.get("/v1/me").json()
    assert me["user"]["role"] == "agent"
    assert me["agent"]["presence"] == "available"
    assert me["agent"]["routing_state"] == "idle"
    r = agent.put("/v1/me/presence", {"presence": "break"})
    assert r.json()["agent"]["routing_state"] == "off_queue"


def test_offer_reaches_the_available_agent_and_accept_twice_conflicts(server, agent):
    other = DemoClient(server.url, "agent2")  # logged in but offline: gets nothing
    iid = agent.contact("chat", text="Hello there")
    mine = agent.get("/v1/interactions").json()["interactions"]
    assert [ix["id"] for ix in mine] == [iid]
    assert mine[0]["state"] == "offered" and mine[0]["agent_id"] == "agent1"
    assert mine[0]["offer_expires_at"] > mine[0]["offered_at"]
    assert other.get("/v1/interactions").json()["interactions"] == []
    assert other.act(iid, "accept").status_code == 409
    r = agent.act(iid, "accept")
    assert r.status_code == 200 and r.json()["interaction"]["state"] == "active"
    again = agent.act(iid, "accept")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_reject_returns_to_queue(server, agent):
    iid = agent.contact("sms")
    r = agent.act(iid, "reject")
    assert r.status_code == 200
    ix = r.json()["interaction"]
    assert ix["state"] == "queued" and ix["agent_id"] is None
    assert agent.get("/v1/interactions").json()["interactions"] == []
    # another agent becoming available gets it
    second = DemoClient(server.url, "agent2")
    second.available()
    assert second.interaction(iid)["agent_id"] == "agent2"


def test_chat_exchange_unread_read_and_reply_sla(agent):
    iid = agent.contact("chat", text="My broadband is slow")
    agent.act(iid, "accept")
    agent.post(f"/sim/interactions/{iid}/customer-message", {"text": "Are you there?"})
    ix = agent.interaction(iid)
    assert ix["unread"] == 2 and ix["reply_due_at"] == pytest.approx(ix["created_at"] + 60)
    assert agent.act(iid, "read").json()["interaction"]["unread"] == 0
    r = agent.act(iid, "messages", {"body": "Let me check", "client_id": "reply-1"})
    assert r.status_code == 201
    item = r.json()["item"]
    assert item["direction"] == "outbound" and item["client_id"] == "reply-1"
    assert agent.interaction(iid)["reply_due_at"] is None
    note = agent.act(iid, "messages", {"body": "VIP", "kind": "note"}).json()["item"]
    assert note["kind"] == "note" and note["direction"] == "internal"
    customer = ix["customer_id"]
    page = agent.get(f"/v1/customers/{customer}/timeline", params={"limit": 500}).json()
    mine = [i["body"] for i in page["items"] if i["interaction_id"] == iid
            and i["kind"] in ("message", "note")]
    assert mine == ["My broadband is slow", "Are you there?", "Let me check", "VIP"]
    r = agent.act(iid, "wrapup", {"disposition": "resolved", "notes": "done"})
    closed = r.json()["interaction"]
    assert closed["state"] == "closed" and closed["disposition"] == "resolved"


def test_email_subject_and_cc(agent):
    iid = agent.contact("email", subject="Router broken", text="It blinks red")
    ix = agent.interaction(iid)
    assert ix["subject"] == "Router broken"
    agent.act(iid, "accept")
    item = agent.act(iid, "messages", {"body": "Try a reset", "cc": ["tech@example.com"]}
                     ).json()["item"]
    assert item["subject"] == "Re: Router broken" and item["cc"] == ["tech@example.com"]
    custom = agent.act(iid, "messages", {"body": "x", "subject": "Your router"}).json()["item"]
    assert custom["subject"] == "Your router"
    chat = agent.contact("chat")
    agent.act(chat, "accept")
    assert agent.act(chat, "messages", {"body": "x", "cc": ["a@b.c"]}).status_code == 409


def test_customer_profile_and_paged_history(agent):
    detail = agent.get("/v1/customers/c0001").json()
    assert detail["customer"]["id"] == "c0001" and detail["customer"]["name"]
    assert len(detail["contacts"]) >= 24  # a rich customer
    first = agent.get("/v1/customers/c0001/timeline", params={"limit": 10}).json()
    assert len(first["items"]) == 10 and first["has_more"]
    older = agent.get("/v1/customers/c0001/timeline",
                      params={"limit": 10, "before": first["items"][0]["id"]}).json()
    assert older["items"][-1]["at"] <= first["items"][0]["at"]
    assert {i["channel"] for i in first["items"] + older["items"]} <= {
        "chat", "email", "sms", "social", "voice"}
    assert agent.get("/v1/customers/nobody").status_code == 404
    assert agent.get("/v1/customers/c0001/timeline", params={"before": "zz"}).status_code == 404


def test_reference_data(agent):
    assert len(agent.get("/v1/dispositions").json()["dispositions"]) >= 8
    canned = agent.get("/v1/canned-responses").json()["canned_responses"]
    assert len(canned) >= 10 and all(c["shortcut"].startswith("/") for c in canned)
    queues = agent.get("/v1/queues").json()["queues"]
    assert {q["id"] for q in queues} >= {"support", "billing", "sales", "email"}
    assert len(agent.get("/v1/agents").json()["agents"]) == 3
    assert "stats" in agent.get("/v1/stats").json()
    articles = agent.get("/v1/kb/articles").json()["articles"]
    assert isinstance(articles, list)
    assert agent.get("/v1/kb/articles", params={"since": 9e12}).json()["articles"] == []


def test_error_shapes(server, agent):
    http = agent.http
    r = http.post("/v1/interactions/nope/accept", content=b"{not json",
                  headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_json"
    r = http.post("/v1/interactions/nope/messages", json={"body": "x", "client_id": "k1"})
    assert r.status_code == 404 and set(r.json()["error"]) == {"code", "message"}
    r = http.post("/v1/interactions/nope/messages", json={"client_id": "k2"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    r = http.post("/v1/interactions/nope/messages",
                  json={"client_id": "k3", "body": "x", "bogus": 1})
    assert r.status_code == 422
    r = http.post("/v1/interactions/nope/messages", content=b"x" * (1024 * 1024 + 1))
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    r = http.post("/v1/interactions/nope/call", json={"client_id": "k4", "action": "dtmf"})
    assert r.status_code == 422
    iid = agent.contact("chat")
    agent.act(iid, "accept")
    r = agent.act(iid, "call", {"action": "hold"})
    assert r.status_code == 409  # hold a chat
    r = agent.act(iid, "call", {"action": "dtmf", "digits": "12"})
    assert r.status_code == 409
    r = agent.act(iid, "wrapup", {"disposition": "no-such-code"})
    assert r.status_code == 422
    other = DemoClient(server.url, "agent2")
    r = other.act(iid, "wrapup", {"disposition": "resolved"})
    assert r.status_code == 409  # someone else's interaction
    assert agent.interaction(iid)["state"] == "active"  # refused: no state change
    assert http.get("/v1/nowhere").json()["error"]["code"] == "not_found"


def test_idempotent_retry_gives_same_answer_and_one_message(agent):
    iid = agent.contact("chat")
    agent.act(iid, "accept")
    body = {"body": "only once", "client_id": "same-key-1"}
    first = agent.act(iid, "messages", body)
    second = agent.act(iid, "messages", body)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    cid = agent.interaction(iid)["customer_id"]
    items = agent.get(f"/v1/customers/{cid}/timeline", params={"limit": 500}).json()["items"]
    assert sum(1 for i in items if i["body"] == "only once") == 1
    # a refused command is remembered too: same status and body on retry
    bad1 = agent.act(iid, "accept", {"client_id": "acc-again"})
    bad2 = agent.act(iid, "accept", {"client_id": "acc-again"})
    assert bad1.status_code == bad2.status_code == 409 and bad1.json() == bad2.json()


def test_supervisor_is_read_only_everywhere(server, agent):
    iid = agent.contact("chat", text="hello")
    sup = DemoClient(server.url, "supervisor")
    assert sup.get("/v1/me").json()["agent"] is None
    all_ixs = sup.get("/v1/interactions").json()["interactions"]
    assert any(ix["id"] == iid for ix in all_ixs)
    assert sup.get("/v1/interactions", params={"agent": "agent1"}).status_code == 200
    unread_before = agent.interaction(iid)["unread"]
    mutating = [
        ("PUT", "/v1/me/presence", {"presence": "available"}),
        ("POST", f"/v1/interactions/{iid}/accept", {"client_id": "s1"}),
        ("POST", f"/v1/interactions/{iid}/reject", {"client_id": "s2"}),
        ("POST", f"/v1/interactions/{iid}/read", {"client_id": "s3"}),
        ("POST", f"/v1/interactions/{iid}/messages", {"client_id": "s4", "body": "x"}),
        ("POST", f"/v1/interactions/{iid}/call", {"client_id": "s5", "action": "hold"}),
        ("POST", f"/v1/interactions/{iid}/transfer", {"client_id": "s6", "queue_id": "sales"}),
        ("POST", f"/v1/interactions/{iid}/wrapup", {"client_id": "s7", "disposition": "x"}),
        ("POST", "/v1/interactions/unknown/accept", None),
        ("POST", f"/v1/interactions/{iid}/messages", {"garbage": True}),
    ]
    for method, path, body in mutating:
        r = sup.http.request(method, path, json=body)
        assert r.status_code == 403, (method, path, r.text)
        assert r.json()["error"]["code"] == "forbidden"
    assert agent.interaction(iid)["unread"] == unread_before
    sup.get(f"/v1/interactions/{iid}")
    assert agent.interaction(iid)["unread"] == unread_before  # watching never marks read
    audit = sup.get("/v1/audit").json()["entries"]
    assert any(e["path"] == f"/v1/interactions/{iid}" and e["user"] == "supervisor"
               for e in audit)
    assert agent.get("/v1/audit").status_code == 403
    assert agent.get("/v1/interactions", params={"agent": "agent2"}).status_code == 403


def test_openapi_covers_every_path(server):
    doc = DemoClient(server.url).get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ["/v1/login", "/v1/me", "/v1/me/presence", "/v1/interactions",
                 "/v1/interactions/{id}", "/v1/interactions/{id}/accept",
                 "/v1/interactions/{id}/reject", "/v1/interactions/{id}/read",
                 "/v1/interactions/{id}/messages", "/v1/interactions/{id}/call",
                 "/v1/interactions/{id}/transfer", "/v1/interactions/{id}/wrapup",
                 "/v1/customers/{id}", "/v1/customers/{id}/timeline", "/v1/queues",
                 "/v1/agents", "/v1/stats", "/v1/dispositions", "/v1/canned-responses",
                 "/v1/kb/articles", "/v1/events", "/sim/contacts",
                 "/sim/interactions/{id}/customer-message", "/sim/interactions/{id}/end",
                 "/sim/clock", "/v1/audit"]:
        assert path in doc["paths"], path
    refs = []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(doc)
    schemas = doc["components"]["schemas"]
    for ref in refs:
        assert ref.split("/")[-1] in schemas, ref


def test_hostile_text_is_stored_sanitised(agent):
    nasty = "hi \x1b[31mred\x1b[0m \u202eevil [bold]x[/] \x00\x07"
    iid = agent.contact("chat", text=nasty)
    agent.act(iid, "accept")
    cid = agent.interaction(iid)["customer_id"]
    items = agent.get(f"/v1/customers/{cid}/timeline", params={"limit": 5}).json()["items"]
    body = next(i["body"] for i in items if i["interaction_id"] == iid and "red" in i["body"])
    assert "\x1b" not in body and "\u202e" not in body and "\x00" not in body
    assert "[bold]x[/]" in body  # markup is data, kept literally


def test_deeply_nested_or_odd_bodies_are_client_errors(agent):
    http = agent.http
    deep = b"[" * 50_000 + b"]" * 50_000
    r = http.post("/v1/interactions/x/messages", content=deep)
    assert r.status_code in (400, 413)
    assert http.post("/v1/login", content=b"[1, 2]").status_code == 422
    assert http.post("/v1/login", content=b"").status_code == 400
    assert http.post("/v1/login", content=b"\xff\xfe").status_code == 400
    r = http.get("/v1/customers/c0001/timeline", params={"limit": "many"})
    assert r.status_code == 422
    assert http.get("/v1/interactions/%E2%80%AE%1B").status_code == 404
    assert http.delete("/v1/me").status_code == 405


def test_agents_read_only_their_own_interactions(server):
    from agentdesk.testing.mockserver import DemoClient

    a1, a2 = DemoClient(server.url, "agent1"), DemoClient(server.url, "agent2")
    a1.available()
    iid = a1.contact("chat")
    assert a1.get(f"/v1/interactions/{iid}").status_code == 200
    r = a2.get(f"/v1/interactions/{iid}")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    boss = DemoClient(server.url, "supervisor")
    assert boss.get(f"/v1/interactions/{iid}").status_code == 200
