"""Recording disclosure on calls over real HTTP + WS on the manual clock."""

from __future__ import annotations

import pytest
import websockets

from agentdesk.testing.mockserver import DemoClient, read_frames, running_server


@pytest.fixture
def server():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


def answered_call(agent: DemoClient, customer_id: str = "c0010") -> str:
    agent.available()
    iid = agent.contact("voice", customer_id=customer_id, topic="leaving-pac-stac")
    assert agent.act(iid, "accept").status_code == 200
    return iid


def disclose(agent: DemoClient, iid: str, action: str):
    return agent.act(iid, "disclosure", {"action": action})


def transcript(agent: DemoClient, customer_id: str, iid: str) -> list[str]:
    items = agent.get(f"/v1/customers/{customer_id}/timeline?limit=500").json()["items"]
    return [i["body"] for i in items if i["interaction_id"] == iid and i["kind"] == "transcript"]


def test_every_call_starts_pending_and_confirming_is_recorded(server):
    agent = DemoClient(server.url, "agent1")
    iid = answered_call(agent)
    call = agent.interaction(iid)["call"]
    assert call["disclosure"] == "pending" and call["recording"] is True
    confirmed = disclose(agent, iid, "confirm").json()["interaction"]["call"]
    assert confirmed["disclosure"] == "confirmed"
    assert disclose(agent, iid, "confirm").status_code == 409
    items = agent.get("/v1/customers/c0010/timeline").json()["items"]
    assert items[-1]["body"] == "Recording disclosure given" and items[-1]["kind"] == "call"


def test_declining_pauses_recording_and_the_transcript_until_resumed(server):
    agent = DemoClient(server.url, "agent1")
    iid = answered_call(agent)
    agent.advance(9)  # two segments
    before = transcript(agent, "c0010", iid)
    assert len(before) == 2
    declined = disclose(agent, iid, "decline").json()["interaction"]["call"]
    assert declined["disclosure"] == "declined" and declined["recording"] is False
    agent.advance(12)  # they keep talking: nothing is transcribed
    assert transcript(agent, "c0010", iid) == before
    items = agent.get("/v1/customers/c0010/timeline").json()["items"]
    assert "The customer declined recording: recording paused" in [i["body"] for i in items]
    resumed = disclose(agent, iid, "resume").json()["interaction"]["call"]
    assert resumed["recording"] is True
    assert disclose(agent, iid, "resume").status_code == 409
    agent.advance(4)
    after = transcript(agent, "c0010", iid)
    assert len(after) == 3  # the stretch while paused is skipped, not replayed
    assert after[2] not in before


def test_a_customer_without_recording_consent_starts_paused(server):
    agent = DemoClient(server.url, "agent1")
    iid = answered_call(agent, "c0006")  # no recording consent on file
    call = agent.interaction(iid)["call"]
    assert call["recording"] is False and call["disclosure"] == "pending"
    agent.advance(9)
    assert transcript(agent, "c0006", iid) == []


async def test_supervisors_hear_of_calls_without_a_confirmed_disclosure(server):
    supervisor = DemoClient(server.url, "supervisor")
    agent = DemoClient(server.url, "agent1")
    async with websockets.connect(supervisor.events_url(since=0)) as ws:
        iid = answered_call(agent)
        agent.advance(31)
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("data", {}).get("reason") == "disclosure_overdue" for f in fs), timeout=5)
    overdue = [f for f in frames if f.get("data", {}).get("reason") == "disclosure_overdue"]
    assert overdue[0]["data"]["interaction"]["id"] == iid
    assert overdue[0]["data"]["interaction"]["call"]["disclosure"] == "pending"
    # a confirmed call is not flagged
    other = DemoClient(server.url, "agent2")
    second = answered_call(other, "c0011")
    disclose(other, second, "confirm")
    async with websockets.connect(supervisor.events_url()) as ws:
        agent.advance(31)
        late = await read_frames(ws, quiet=0.5)
    assert not [f for f in late if f.get("data", {}).get("reason") == "disclosure_overdue"]


def test_disclosure_is_for_calls_in_hand(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    chat = agent.contact("chat", customer_id="c0012")
    agent.act(chat, "accept")
    assert disclose(agent, chat, "confirm").status_code == 409
    assert agent.act(chat, "disclosure", {"action": "shout"}).status_code == 422


async def test_the_native_backend_confirms_and_declines(server):
    from agentdesk.backends.base import new_client_id
    from agentdesk.backends.native import NativeBackend

    agent = DemoClient(server.url, "agent1")
    iid = answered_call(agent)
    backend = NativeBackend(server.url)
    try:
        await backend.login("agent1", "demo")
        ix = await backend.disclosure(iid, "decline", new_client_id())
        assert ix.call is not None and ix.call.recording is False
        ix = await backend.disclosure(iid, "confirm", new_client_id())
        assert ix.call is not None and ix.call.disclosure == "confirmed"
    finally:
        await backend.close()
