"""Outbound calls, calling rules and customer compliance over real HTTP + WS
(manual clock: it starts at 09:00 in London, 04:00 in New York)."""

from __future__ import annotations

import pytest
import websockets

from agentdesk.testing.mockserver import DemoClient, read_frames, running_server

EPOCH = 1772442000.0  # 2026-03-02 09:00 UTC = 09:00 Europe/London (GMT)


@pytest.fixture
def server():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


def dial(agent: DemoClient, customer_id: str, client_id: str | None = None):
    body = {"customer_id": customer_id, "client_id": client_id or f"dial-{customer_id}"}
    return agent.post("/v1/outbound/calls", body)


def test_customers_carry_dnc_consent_and_time_zone(server):
    agent = DemoClient(server.url, "agent1")
    dnc = agent.get("/v1/customers/c0004").json()["customer"]
    assert dnc["dnc"] is True and dnc["timezone"] == "Europe/London"
    no_recording = agent.get("/v1/customers/c0006").json()["customer"]
    assert no_recording["dnc"] is False
    assert no_recording["consent"] == {"recording": False, "marketing": False, "sms": True}
    abroad = agent.get("/v1/customers/c0003").json()["customer"]
    assert abroad["location"] == "New York" and abroad["timezone"] == "America/New_York"
    plain = agent.get("/v1/customers/c0001").json()["customer"]
    assert plain["dnc"] is False and plain["consent"] == {
        "recording": True, "marketing": True, "sms": True}


def test_dial_refused_for_dnc_and_outside_the_calling_window(server):
    agent = DemoClient(server.url, "agent1")
    refused = dial(agent, "c0004")
    assert refused.status_code == 409
    name = agent.get("/v1/customers/c0004").json()["customer"]["name"]
    assert refused.json()["error"] == {"code": "dnc",
                                       "message": f"{name} is on the do-not-call list"}
    early = dial(agent, "c0003")
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "outside_calling_window"
    assert early.json()["error"]["message"] == (
        "It is 04:00 for the customer (America/New_York): calls are allowed 08:00-21:00")
    assert agent.get("/v1/interactions").json()["interactions"] == []  # nothing rang
    agent.advance(4 * 3600)  # 13:00 UTC: 08:00 in New York
    later = dial(agent, "c0003", "dial-again")
    assert later.status_code == 201
    assert later.json()["interaction"]["direction"] == "outbound"


async def test_dial_rings_then_connects_with_a_transcript(server):
    agent = DemoClient(server.url, "agent1")
    async with websockets.connect(agent.events_url(since=0)) as ws:
        reply = dial(agent, "c0001")
        assert reply.status_code == 201
        ix = reply.json()["interaction"]
        assert ix["state"] == "active" and ix["agent_id"] == "agent1"
        assert ix["channel"] == "voice" and ix["call"]["state"] == "dialing"
        agent.advance(2)
        assert agent.interaction(ix["id"])["call"]["state"] == "ringing"
        agent.advance(6)
        call = agent.interaction(ix["id"])["call"]
        assert call["state"] == "connected" and call["connected_at"] == EPOCH + 8
        agent.advance(9)
        frames = await read_frames(ws, until=lambda fs: sum(
            f.get("type") == "transcript.segment" for f in fs) >= 2, timeout=5)
    accepted = [f for f in frames if f.get("type") == "interaction.accepted"]
    assert accepted[0]["data"]["reason"] == "outbound"
    states = [f["data"]["call"]["state"] for f in frames if f.get("type") == "call.updated"]
    assert states[:3] == ["dialing", "ringing", "connected"]
    items = agent.get("/v1/customers/c0001/timeline").json()["items"]
    assert any("is calling" in i["body"] for i in items if i["interaction_id"] == ix["id"])
    hung = agent.act(ix["id"], "call", {"action": "hangup"}).json()["interaction"]
    assert hung["state"] == "wrapup" and hung["call"]["state"] == "ended"


@pytest.mark.parametrize(("customer_id", "outcome"), [
    ("c0007", "no_answer"), ("c0008", "busy"), ("c0009", "voicemail")])
def test_unreachable_customers_end_in_wrapup_with_the_outcome(server, customer_id, outcome):
    agent = DemoClient(server.url, "agent1")
    iid = dial(agent, customer_id).json()["interaction"]["id"]
    agent.advance(8)
    ix = agent.interaction(iid)
    assert ix["call"]["state"] == outcome
    assert ix["state"] == "wrapup" and ix["acw_deadline"] == EPOCH + 8 + 60
    closed = agent.act(iid, "wrapup", {"disposition": "follow_up"}).json()["interaction"]
    assert closed["state"] == "closed" and closed["call"]["state"] == outcome


def test_hanging_up_while_it_rings(server):
    agent = DemoClient(server.url, "agent1")
    iid = dial(agent, "c0001").json()["interaction"]["id"]
    agent.advance(3)
    ended = agent.act(iid, "call", {"action": "hangup"}).json()["interaction"]
    assert ended["state"] == "wrapup" and ended["call"]["state"] == "ended"
    agent.advance(10)  # the dial's timers were cancelled: it does not connect later
    assert agent.interaction(iid)["call"]["state"] == "ended"


def test_an_outbound_call_is_voice_work_for_capacity(server):
    agent = DemoClient(server.url, "agent1")
    assert dial(agent, "c0001").status_code == 201
    second = dial(agent, "c0002")
    assert second.status_code == 409 and second.json()["error"]["code"] == "no_capacity"
    assert "voice" in second.json()["error"]["message"]
    # a chat in hand leaves no room for a call either (the default rule: a call is exclusive)
    other = DemoClient(server.url, "agent2")
    other.available()
    chat = other.contact("chat", customer_id="c0010")
    assert other.act(chat, "accept").status_code == 200
    busy = dial(other, "c0002")
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "no_capacity"


def test_dial_is_idempotent_on_client_id(server):
    agent = DemoClient(server.url, "agent1")
    first = dial(agent, "c0001", "same-key")
    again = dial(agent, "c0001", "same-key")
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replay") == "true"
    assert again.json() == first.json()
    assert len(agent.get("/v1/interactions").json()["interactions"]) == 1


def test_supervisors_cannot_dial_and_bad_bodies_are_422(server):
    supervisor = DemoClient(server.url, "supervisor")
    assert dial(supervisor, "c0001").status_code == 403
    agent = DemoClient(server.url, "agent1")
    assert agent.post("/v1/outbound/calls", {"customer_id": "c0001"}).status_code == 422
    assert dial(agent, "c9999").status_code == 404


def test_the_calling_window_is_an_option_of_the_server():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True,
                        calling_window="10:00-12:00") as srv:
        agent = DemoClient(srv.url, "agent1")
        refused = dial(agent, "c0001")
        assert refused.status_code == 409
        assert refused.json()["error"]["message"].endswith("calls are allowed 10:00-12:00")
        agent.advance(3600)
        assert dial(agent, "c0001", "at-ten").status_code == 201


def test_the_calling_window_from_a_scenario_file(tmp_path):
    scenario = tmp_path / "late.toml"
    scenario.write_text('[compliance]\ncalling_window = "06:00-08:30"\n', encoding="utf-8")
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True,
                        scenario=scenario) as srv:
        refused = dial(DemoClient(srv.url, "agent1"), "c0001")
        assert "calls are allowed 06:00-08:30" in refused.json()["error"]["message"]


def test_a_bad_calling_window_is_refused_in_one_line(tmp_path):
    from agentdesk.mockserver.sim.scenario import ScenarioError, load_scenario

    scenario = tmp_path / "bad.toml"
    scenario.write_text('[compliance]\ncalling_window = "21:00-08:00"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.toml:2: compliance.calling_window: .*start before"):
        load_scenario(scenario)
    with pytest.raises(ScenarioError, match="--calling-window: 'nine' is not a window"):
        load_scenario(None, calling_window="nine")


async def test_the_native_backend_raises_typed_refusals(server):
    from agentdesk.backends.base import CallRefusedError, new_client_id
    from agentdesk.backends.native import NativeBackend

    backend = NativeBackend(server.url)
    try:
        await backend.login("agent1", "demo")
        assert backend.capabilities.outbound and backend.capabilities.callbacks
        with pytest.raises(CallRefusedError) as refused:
            await backend.dial("c0004", new_client_id())
        assert refused.value.code == "dnc"
        assert refused.value.message.endswith("is on the do-not-call list")
        with pytest.raises(CallRefusedError) as early:
            await backend.dial("c0003", new_client_id())
        assert early.value.code == "outside_calling_window"
        ix = await backend.dial("c0001", new_client_id())
        assert ix.call is not None and ix.call.state.value == "dialing"
        assert ix.direction.value == "outbound"
    finally:
        await backend.close()
