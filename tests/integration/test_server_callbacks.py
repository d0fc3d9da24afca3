"""Scheduled callbacks over real HTTP + WS on the manual clock (09:00 in London
at the start): the rules at scheduling and at dial time, the due offer, a
missed callback back in the queue and told to supervisors, and --db."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from agentdesk.testing.mockserver import DemoClient, read_frames, running_server, spawn_server

EPOCH = 1772442000.0  # 09:00 Europe/London
HOUR = 3600.0


@pytest.fixture
def server():
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True) as srv:
        yield srv


def schedule(agent: DemoClient, customer_id: str, at: float, note: str = "", **target):
    body = {"client_id": f"cb-{customer_id}-{at}", "customer_id": customer_id, "at": at,
            "note": note, **target}
    return agent.post("/v1/callbacks", body)


def test_scheduling_checks_the_rules_at_the_callback_time(server):
    agent = DemoClient(server.url, "agent1")
    dnc = schedule(agent, "c0004", EPOCH + HOUR)
    assert dnc.status_code == 409 and dnc.json()["error"]["code"] == "dnc"
    late = schedule(agent, "c0001", EPOCH + 13 * HOUR)  # 22:00 in London
    assert late.status_code == 409
    assert late.json()["error"] == {
        "code": "outside_calling_window",
        "message": "It is 22:00 for the customer (Europe/London): calls are allowed 08:00-21:00"}
    # New York is at 04:00 now, but 14:00 UTC is 09:00 there: fine to schedule
    assert schedule(agent, "c0003", EPOCH + 5 * HOUR).status_code == 201
    assert schedule(agent, "c0001", EPOCH - 60).status_code == 422  # in the past
    assert schedule(agent, "c0001", EPOCH + HOUR, queue_id="nope").status_code == 404
    both = schedule(agent, "c0001", EPOCH + HOUR, queue_id="support", agent_id="agent2")
    assert both.status_code == 422


def test_callbacks_are_listed_for_their_agent_queue_and_supervisors(server):
    agent1 = DemoClient(server.url, "agent1")
    mine = schedule(agent1, "c0002", EPOCH + 2 * HOUR, "Refund check").json()["callback"]
    assert mine["agent_id"] == "agent1" and mine["state"] == "scheduled"
    assert mine["queue_id"] == "support" and mine["note"] == "Refund check"
    queued = schedule(agent1, "c0005", EPOCH + HOUR, queue_id="billing").json()["callback"]
    assert queued["agent_id"] is None
    listed = agent1.get("/v1/callbacks").json()["callbacks"]
    assert [cb["id"] for cb in listed] == [queued["id"], mine["id"]]  # by time
    agent2 = DemoClient(server.url, "agent2")
    seen = {cb["id"] for cb in agent2.get("/v1/callbacks").json()["callbacks"]}
    assert mine["id"] not in seen  # another agent's callback
    everyone = DemoClient(server.url, "supervisor").get("/v1/callbacks").json()["callbacks"]
    assert {cb["id"] for cb in everyone} == {mine["id"], queued["id"]}


async def test_a_due_callback_is_offered_and_accepting_dials(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    cb = schedule(agent, "c0002", EPOCH + HOUR, "Promised a call about the refund").json()[
        "callback"]
    async with websockets.connect(agent.events_url(since=0)) as ws:
        agent.advance(HOUR - 1)
        assert agent.get("/v1/interactions").json()["interactions"] == []
        agent.advance(1)
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "interaction.offered" for f in fs), timeout=5)
    offered = next(f for f in frames if f.get("type") == "interaction.offered")["data"][
        "interaction"]
    assert offered["callback_id"] == cb["id"] and offered["direction"] == "outbound"
    assert offered["agent_id"] == "agent1" and offered["customer_id"] == "c0002"
    due = [f for f in frames if f.get("type") == "callback.updated"]
    assert due[-1]["data"]["callback"]["state"] == "offered"
    ix = agent.act(offered["id"], "accept").json()["interaction"]
    assert ix["state"] == "active" and ix["call"]["state"] == "dialing"
    agent.advance(8)
    assert agent.interaction(ix["id"])["call"]["state"] == "connected"
    listed = agent.get("/v1/callbacks").json()["callbacks"]
    assert listed[0]["state"] == "dialled" and listed[0]["interaction_id"] == ix["id"]


def test_the_rules_are_checked_again_when_the_callback_dials(server):
    agent = DemoClient(server.url, "agent1")
    agent.available()
    cb = schedule(agent, "c0002", EPOCH + HOUR).json()["callback"]
    # the customer asks not to be called any more before the callback is due
    assert agent.post("/sim/customers/c0002/compliance", {"dnc": True}).status_code == 200
    agent.advance(HOUR)
    offer = agent.get("/v1/interactions").json()["interactions"][0]
    refused = agent.act(offer["id"], "accept")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "dnc"
    listed = agent.get("/v1/callbacks").json()["callbacks"][0]
    assert listed["id"] == cb["id"] and listed["state"] == "blocked"
    assert listed["blocked_reason"].endswith("is on the do-not-call list")
    gone = agent.interaction(offer["id"])
    assert gone["state"] == "closed" and gone["disposition"] == "not_dialled"
    assert gone["call"] is None  # nothing was dialled


def test_an_offer_that_waited_past_the_window_is_not_dialled(server):
    agent = DemoClient(server.url, "agent1")
    schedule(agent, "c0001", EPOCH + 11.9 * HOUR)  # 20:54 in London
    agent.advance(11.9 * HOUR)  # due: offered (agent1 is not available: it waits)
    agent.advance(0.2 * HOUR)  # 21:06
    agent.available()
    offer = agent.get("/v1/interactions").json()["interactions"][0]
    refused = agent.act(offer["id"], "accept")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "outside_calling_window"


async def test_a_missed_callback_goes_back_to_the_queue_and_supervisors_hear(server):
    agent1 = DemoClient(server.url, "agent1")
    agent1.available()
    cb = schedule(agent1, "c0002", EPOCH + HOUR).json()["callback"]
    supervisor = DemoClient(server.url, "supervisor")
    async with websockets.connect(supervisor.events_url(since=0)) as ws:
        agent1.advance(HOUR)
        agent2 = DemoClient(server.url, "agent2")
        agent2.available()  # reserved for agent1: agent2 gets nothing yet
        assert agent2.get("/v1/interactions").json()["interactions"] == []
        agent1.advance(21)  # agent1 lets the offer time out
        frames = await read_frames(ws, until=lambda fs: any(
            f.get("type") == "callback.missed" for f in fs), timeout=5)
    missed = next(f for f in frames if f.get("type") == "callback.missed")["data"]
    assert missed["callback"]["id"] == cb["id"] and missed["callback"]["missed"] == 1
    assert missed["reason"] == "missed"
    # back in the queue for anyone: agent2 is offered it now
    offers = agent2.get("/v1/interactions").json()["interactions"]
    assert [o["callback_id"] for o in offers] == [cb["id"]]
    assert offers[0]["state"] == "offered"


def test_a_callback_waiting_for_an_absent_agent_is_released_to_anyone(server):
    agent1 = DemoClient(server.url, "agent1")  # never available
    cb = schedule(agent1, "c0002", EPOCH + HOUR).json()["callback"]
    agent2 = DemoClient(server.url, "agent2")
    agent2.available()
    agent1.advance(HOUR + 599)
    assert agent2.get("/v1/interactions").json()["interactions"] == []
    agent1.advance(2)
    offers = agent2.get("/v1/interactions").json()["interactions"]
    assert [o["callback_id"] for o in offers] == [cb["id"]]
    listed = DemoClient(server.url, "supervisor").get("/v1/callbacks").json()["callbacks"]
    assert listed[0]["missed"] == 1


async def _frames(url: str) -> list[dict]:
    frames = []
    async with websockets.connect(url) as ws:
        while True:
            try:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 0.5)))
            except TimeoutError:
                return frames


def test_callbacks_and_compliance_changes_survive_a_restart(tmp_path):
    db = str(tmp_path / "state.db")
    args = ("--manual-clock", "--agents", "3", "--bots", "0", "--no-traffic")
    first = spawn_server("--db", db, *args)
    try:
        agent = DemoClient(first.url, "agent1")
        token = agent.token
        cb = schedule(agent, "c0002", EPOCH + HOUR, "after the restart").json()["callback"]
        agent.post("/sim/customers/c0005/compliance", {"consent": {"recording": False}})
        agent.post("/sim/customers/c0001/compliance", {"dnc": True})
    finally:
        first.kill()
    second = spawn_server("--db", db, *args)
    try:
        agent = DemoClient(second.url)
        agent.http.headers["Authorization"] = f"Bearer {token}"
        assert agent.get("/v1/callbacks").json()["callbacks"] == [cb]
        assert agent.get("/v1/customers/c0005").json()["customer"]["consent"]["recording"] is False
        assert agent.get("/v1/customers/c0001").json()["customer"]["dnc"] is True
        assert dial_code(agent, "c0001") == "dnc"
        agent.available()
        agent.advance(HOUR)  # the due timer was kept: the callback is offered
        offers = agent.get("/v1/interactions").json()["interactions"]
        assert [o["callback_id"] for o in offers] == [cb["id"]]
    finally:
        second.stop()


def dial_code(agent: DemoClient, customer_id: str) -> str:
    reply = agent.post("/v1/outbound/calls", {"client_id": "x1", "customer_id": customer_id})
    return reply.json()["error"]["code"]


def test_a_version_6_file_is_migrated(tmp_path):
    import sqlite3

    from agentdesk.mockserver.persistence import STEPS, Store
    from agentdesk.store.schema import migrate

    path = str(tmp_path / "old.db")
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, STEPS[:6], name=path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    conn.close()
    store = Store(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 7
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"callbacks", "customer_compliance"} <= tables
    finally:
        store.close()
