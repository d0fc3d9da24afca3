"""Voice calls, transfers, wrap-up and timeouts through HTTP + WS, on the manual clock."""

from __future__ import annotations

import pytest
import websockets

from agentdesk.testing.mockserver import DemoClient, read_frames, running_server


@pytest.fixture
def server():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


async def test_call_controls_transcript_and_hangup(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    async with websockets.connect(agent.events_url(since=0)) as ws:
        iid = agent.contact("voice", topic=None)
        ix = agent.interaction(iid)
        assert ix["call"]["state"] == "ringing"
        accepted = agent.act(iid, "accept").json()["interaction"]
        assert accepted["call"]["state"] == "connected"
        agent.advance(9)  # two transcript segments at 4 s intervals
        frames = await read_frames(ws, quiet=0.3)
        segments = [f for f in frames if f.get("type") == "transcript.segment"]
        assert len(segments) == 2
        # the agent answers the phone: agent first (issue 14 item 17)
        assert segments[0]["data"]["item"]["speaker"] == "agent"
        assert segments[1]["data"]["item"]["speaker"] == "customer"
        assert agent.act(iid, "call", {"action": "hold"}).json()["interaction"]["call"][
            "state"] == "held"
        assert agent.act(iid, "call", {"action": "hold"}).status_code == 409
        assert agent.act(iid, "call", {"action": "dtmf", "digits": "1"}).status_code == 409
        agent.advance(20)  # no transcript while held; hold time accrues
        held = await read_frames(ws, quiet=0.3)
        assert not [f for f in held if f.get("type") == "transcript.segment"]
        call = agent.act(iid, "call", {"action": "resume"}).json()["interaction"]["call"]
        assert call["state"] == "connected" and call["hold_total_s"] == pytest.approx(20)
        assert agent.act(iid, "call", {"action": "mute"}).json()["interaction"]["call"]["muted"]
        assert agent.act(iid, "call", {"action": "mute"}).status_code == 409
        agent.act(iid, "call", {"action": "unmute"})
        call = agent.act(iid, "call", {"action": "dtmf", "digits": "12#"}).json()[
            "interaction"]["call"]
        assert call["dtmf"] == "12#"
        updates = await read_frames(ws, until=lambda fs: sum(
            f.get("type") == "call.updated" for f in fs) >= 4, timeout=3)
        calls = [f["data"]["call"] for f in updates if f.get("type") == "call.updated"]
        # resume, mute, unmute, dtmf (the hold update was read above)
        assert [c["muted"] for c in calls] == [False, True, False, False]
        assert calls[-1]["dtmf"] == "12#"
        # a call cannot be wrapped up while connected
        assert agent.act(iid, "wrapup", {"disposition": "resolved"}).status_code == 409
        assert agent.act(iid, "messages", {"body": "hi"}).status_code == 409
        ended = agent.act(iid, "call", {"action": "hangup"}).json()["interaction"]
        assert ended["state"] == "wrapup" and ended["call"]["state"] == "ended"
        assert ended["acw_deadline"] == pytest.approx(ended["ended_at"] + 60)
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "interaction.ended" for f in fs), timeout=3)
        assert frames[-1]["data"]["reason"] == "agent_hangup"
        closed = agent.act(iid, "wrapup", {"disposition": "technician"}).json()["interaction"]
        assert closed["state"] == "closed" and closed["disposition"] == "technician"


def test_acw_timeout_closes_with_timeout(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    iid = agent.contact("voice")
    agent.act(iid, "accept")
    agent.post(f"/sim/interactions/{iid}/end")
    ix = agent.interaction(iid)
    assert ix["state"] == "wrapup"
    assert agent.get("/v1/me").json()["agent"]["routing_state"] == "acw"
    agent.advance(59)
    assert agent.interaction(iid)["state"] == "wrapup"
    agent.advance(2)
    ix = agent.interaction(iid)
    assert ix["state"] == "closed" and ix["disposition"] == "timeout"
    assert agent.get("/v1/me").json()["agent"]["routing_state"] == "idle"


def test_missed_offer_sets_not_responding_until_available(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    iid = agent.contact("chat")
    agent.advance(21)
    ix = agent.interaction(iid)
    assert ix["state"] == "queued" and ix["agent_id"] is None
    me = agent.get("/v1/me").json()["agent"]
    assert me["routing_state"] == "not_responding"
    assert not me["capacity"]["channels"]["chat"]["accepting"]
    second = agent.contact("chat")
    assert agent.interaction(second)["state"] == "queued"
    agent.available()  # re-arm: the missed one is not re-offered to us, the new one is
    assert agent.interaction(second)["agent_id"] == "agent1"
    stats = agent.get("/v1/stats").json()["stats"]
    assert next(a for a in stats["agents"] if a["agent_id"] == "agent1")["missed"] == 1


async def test_blind_transfer_to_queue_and_agent(server):
    a1, a2 = DemoClient(server.url, "agent1"), DemoClient(server.url, "agent2")
    a1.available()
    iid = a1.contact("chat", topic=None)
    a1.act(iid, "accept")
    async with websockets.connect(a1.events_url()) as ws1:
        a2.available()
        r = a1.act(iid, "transfer", {"queue_id": "sales", "mode": "blind"})
        assert r.status_code == 200
        frames = await read_frames(ws1, until=lambda fs: any(
            f.get("type") == "interaction.transferred" for f in fs), timeout=3)
        assert frames[-1]["data"]["interaction"]["transferred_from"] == "agent1"
    ix = a2.interaction(iid)
    assert ix["queue_id"] == "sales" and ix["agent_id"] == "agent2" and ix["state"] == "offered"
    a2.act(iid, "accept")
    assert a2.act(iid, "transfer", {"agent_id": "agent9"}).status_code == 404
    assert a2.act(iid, "transfer", {"queue_id": "nope"}).status_code == 404
    assert a2.act(iid, "transfer", {"agent_id": "agent2"}).status_code == 409
    assert a2.act(iid, "transfer", {"agent_id": "agent3"}).status_code == 409  # offline
    r = a2.act(iid, "transfer", {"agent_id": "agent1"})
    assert r.json()["interaction"]["agent_id"] == "agent1"
    assert a1.interaction(iid)["state"] == "offered"


def test_warm_transfer_keeps_the_original_agent_until_accepted(server):
    a1, a2 = DemoClient(server.url, "agent1"), DemoClient(server.url, "agent2")
    a1.available()
    iid = a1.contact("voice")
    a1.act(iid, "accept")
    a2.available()
    r = a1.act(iid, "transfer", {"agent_id": "agent2", "mode": "warm"})
    assert r.json()["interaction"]["call"]["consult_agent_id"] == "agent2"
    assert a1.interaction(iid)["agent_id"] == "agent1"
    offered = a2.get("/v1/interactions").json()["interactions"]
    assert offered[0]["id"] == iid and offered[0]["state"] == "offered"
    assert a2.get("/v1/me").json()["agent"]["routing_state"] == "offered"
    # answering the consult puts the customer on hold and waits for agent1's decision
    assert a2.act(iid, "accept").status_code == 200
    ix = a1.interaction(iid)
    assert ix["agent_id"] == "agent1" and ix["call"]["state"] == "held"
    assert ix["call"]["consult_state"] == "talking"
    a1.advance(60)  # nothing happens by itself
    assert a1.interaction(iid)["agent_id"] == "agent1"
    r = a1.act(iid, "call", {"action": "consult_complete"})
    assert r.status_code == 200, r.text
    assert a1.get("/v1/interactions").json()["interactions"] == []
    ix = a2.interaction(iid)
    assert ix["agent_id"] == "agent2"
    assert ix["transferred_from"] == "agent1" and ix["call"]["state"] == "connected"
    assert ix["call"]["consult_state"] is None
    # a consult that nobody accepts times out and stays with the original agent
    a1.available()
    r = a2.act(iid, "transfer", {"agent_id": "agent1", "mode": "warm"})
    assert r.status_code == 200
    a2.advance(31)
    ix = a2.interaction(iid)
    assert ix["agent_id"] == "agent2" and ix["call"]["consult_agent_id"] is None


def test_next_presence_applies_when_work_is_done(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    iid = agent.contact("chat")
    agent.act(iid, "accept")
    me = agent.put("/v1/me/presence", {"presence": "available", "next": "lunch"}).json()["agent"]
    assert me["next_presence"] == "lunch" and me["presence"] == "available"
    assert agent.interaction(agent.contact("chat"))["state"] == "queued"  # no new work
    agent.act(iid, "wrapup", {"disposition": "resolved"})
    me = agent.get("/v1/me").json()["agent"]
    assert me["presence"] == "lunch" and me["next_presence"] is None
    assert me["routing_state"] == "off_queue"


def test_customer_abandons_while_queued(server):
    agent = DemoClient(server.url, "agent1")
    iid = agent.contact("chat")
    r = agent.post(f"/sim/interactions/{iid}/end")
    assert r.json()["interaction"]["state"] == "abandoned"
    assert agent.post(f"/sim/interactions/{iid}/end").status_code == 409
    support = next(q for q in agent.get("/v1/stats").json()["stats"]["queues"]
                   if q["queue_id"] == "support")
    assert support["abandoned"] == 1 and support["sl_pct"] == 0.0


def test_warm_transfer_to_a_queue_picks_an_agent_of_that_queue(server):
    a1, a2 = DemoClient(server.url, "agent1"), DemoClient(server.url, "agent2")
    a1.available()
    iid = a1.contact("chat", queue_id="support")
    a1.act(iid, "accept")
    assert a1.act(iid, "transfer", {"queue_id": "billing", "mode": "warm"}).status_code == 409
    a2.available()  # now someone in billing can take it
    r = a1.act(iid, "transfer", {"queue_id": "billing", "mode": "warm"})
    assert r.status_code == 200
    assert a1.act(iid, "transfer", {"queue_id": "billing", "mode": "warm"}).status_code == 409
    a2.act(iid, "reject")  # consult refused: stays with agent1
    ix = a1.interaction(iid)
    assert ix["agent_id"] == "agent1" and ix["queue_id"] == "support"
    a1.act(iid, "transfer", {"queue_id": "billing", "mode": "warm"})
    ix = a2.act(iid, "accept").json()["interaction"]
    assert ix["agent_id"] == "agent2" and ix["queue_id"] == "billing"


def test_missed_offer_with_work_in_hand_is_not_responding_until_rearmed(server):
    """A not-responding agent who still has a chat open is `not_responding`, not
    `busy`: in /v1/agents, /v1/me and the stats buckets. Re-arming (Available)
    goes back to `busy`, and to `idle` once the work is done."""
    agent = DemoClient(server.url, "agent1")
    sup = DemoClient(server.url, "supervisor")
    agent.available()
    chat = agent.contact("chat", topic=None)
    agent.act(chat, "accept")
    assert agent.get("/v1/me").json()["agent"]["routing_state"] == "busy"
    email = agent.contact("email", topic=None)
    assert agent.interaction(email)["agent_id"] == "agent1"
    agent.advance(21)
    assert agent.interaction(email)["state"] == "queued"
    assert agent.interaction(chat)["state"] == "active"

    def floor() -> dict:
        agents = sup.get("/v1/agents").json()["agents"]
        return next(a for a in agents if a["id"] == "agent1")

    assert agent.get("/v1/me").json()["agent"]["routing_state"] == "not_responding"
    assert floor()["routing_state"] == "not_responding"
    stats = sup.get("/v1/stats").json()["stats"]
    buckets = [q["agents"] for q in stats["queues"] if "not_responding" in q["agents"]]
    assert buckets and all(b.get("not_responding", 0) >= 1 for b in buckets)

    agent.available()  # re-arm: back to busy (the chat is still open), not idle
    assert agent.get("/v1/me").json()["agent"]["routing_state"] == "busy"
    assert floor()["routing_state"] == "busy"
    assert agent.interaction(email)["agent_id"] is None  # the missed one is not re-offered
    agent.post(f"/sim/interactions/{chat}/end")
    assert floor()["routing_state"] == "acw"
    agent.advance(61)
    assert agent.interaction(chat)["state"] == "closed"
    assert floor()["routing_state"] == "idle"


def test_warm_transfer_consult_cancel_and_conference(server):
    """Issue 14 item 3: the transferring agent decides; cancel goes back to the
    customer, conference brings the customer in, complete hands over."""
    a1, a2 = DemoClient(server.url, "agent1"), DemoClient(server.url, "agent2")
    a1.available()
    iid = a1.contact("voice")
    a1.act(iid, "accept")
    a2.available()
    a1.act(iid, "transfer", {"agent_id": "agent2", "mode": "warm"})
    # deciding before the consulted agent answered: only cancel is possible
    assert a1.act(iid, "call", {"action": "conference"}).status_code == 409
    assert a1.act(iid, "call", {"action": "consult_complete"}).status_code == 409
    a2.act(iid, "accept")
    assert a1.act(iid, "call", {"action": "resume"}).status_code == 409  # held for the consult
    call = a1.act(iid, "call", {"action": "consult_cancel"}).json()["interaction"]["call"]
    assert call["state"] == "connected" and call["consult_agent_id"] is None
    assert call["consult_state"] is None and a1.interaction(iid)["agent_id"] == "agent1"
    assert a2.get("/v1/interactions").json()["interactions"] == []
    assert a1.act(iid, "call", {"action": "consult_cancel"}).status_code == 409  # none running
    # again, this time three-way, then hand over
    a1.act(iid, "transfer", {"agent_id": "agent2", "mode": "warm"})
    a2.act(iid, "accept")
    call = a1.act(iid, "call", {"action": "conference"}).json()["interaction"]["call"]
    assert call["state"] == "connected" and call["consult_state"] == "conference"
    assert a1.act(iid, "call", {"action": "conference"}).status_code == 409
    a1.act(iid, "call", {"action": "consult_complete"})
    assert a2.interaction(iid)["agent_id"] == "agent2"
    items = a1.get(f"/v1/customers/{a1.interaction(iid)['customer_id']}/timeline?limit=100").json()["items"]
    bodies = [i["body"] for i in items if i["interaction_id"] == iid]
    assert any("answered the consult" in b for b in bodies)
    assert any(b.startswith("Consult with") and "back to the customer" in b for b in bodies)
    assert any(b.startswith("Conference:") for b in bodies)
