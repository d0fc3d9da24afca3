"""--db: a killed and restarted server keeps its state, seqs and idempotency keys."""

from __future__ import annotations

import asyncio
import json

import websockets

from agentdesk.testing.mockserver import DemoClient, spawn_server

ARGS = ("--manual-clock", "--agents", "3", "--bots", "0", "--no-traffic")


async def _drain(url: str) -> list[dict]:
    frames = []
    async with websockets.connect(url) as ws:
        while True:
            try:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 0.5)))
            except TimeoutError:
                return [f for f in frames if "seq" in f]


async def test_kill_and_restart_keeps_state(tmp_path):
    db = str(tmp_path / "state.db")
    first = spawn_server("--db", db, *ARGS)
    try:
        agent = DemoClient(first.url, "agent1")
        token = agent.token
        agent.available()
        iid = agent.contact("email", subject="Moving house", text="I move next month")
        agent.act(iid, "accept")
        sent = agent.act(iid, "messages", {"body": "Noted", "client_id": "persist-1"})
        assert sent.status_code == 201
        agent.advance(30)
        seen = await _drain(agent.events_url(since=0))
        last_seq = seen[-1]["seq"]
    finally:
        first.kill()  # no clean shutdown
    second = spawn_server("--db", db, *ARGS)
    try:
        agent = DemoClient(second.url)
        agent.token = token  # the old token still works
        agent.http.headers["Authorization"] = f"Bearer {token}"
        assert agent.get("/sim/clock").json()["now"] == 1772442030.0
        ix = agent.interaction(iid)
        assert ix["state"] == "active" and ix["subject"] == "Moving house"
        assert agent.get("/v1/me").json()["agent"]["presence"] == "available"
        retry = agent.act(iid, "messages", {"body": "Noted", "client_id": "persist-1"})
        assert retry.status_code == 201 and retry.json() == sent.json()
        items = agent.get(f"/v1/customers/{ix['customer_id']}/timeline").json()["items"]
        assert sum(1 for i in items if i["body"] == "Noted") == 1
        # resuming from an older seq replays exactly what was missed, then goes on
        resumed = await _drain(agent.events_url(since=last_seq - 3))
        seqs = [f["seq"] for f in resumed]
        assert seqs[:3] == [last_seq - 2, last_seq - 1, last_seq]
        assert [f["type"] for f in resumed[:3]] == [f["type"] for f in seen[-3:]]
        assert seqs == sorted(set(seqs))
        # new work continues with higher seqs
        agent.act(iid, "wrapup", {"disposition": "resolved"})
        after = await _drain(agent.events_url(since=seqs[-1]))
        assert after and after[0]["seq"] == seqs[-1] + 1
    finally:
        assert second.stop() == 0  # SIGTERM: clean exit
    third = spawn_server("--db", db, *ARGS)
    try:
        agent = DemoClient(third.url)
        agent.http.headers["Authorization"] = f"Bearer {token}"
        assert agent.interaction(iid)["state"] == "closed"
    finally:
        third.stop()
