"""Fault test: the mock server is SIGKILLed and restarted (same port, same --db)
three times during a live chat, with messages in flight both ways: customer
messages whose events have not reached the agent yet, and agent replies going
out through the persistent outbox (some submitted while the server is down).

After the last restart nothing is lost and nothing is doubled, on the server
(the timeline, via GET) and on the client (message.created events by item id
and client_id), and the agent's replies are in the order they were written.
Manual clock, no traffic: the only events are the ones this test makes.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from agentdesk.backends.base import LinkState, new_client_id
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.events import SnapshotNeeded
from agentdesk.domain.models import Direction
from agentdesk.store.outbox import Outbox, OutboxState
from agentdesk.store.sender import CommandSender
from agentdesk.testing.mockserver import SubprocessServer, spawn_server

from .conftest import WAIT, Connect, for_ix, kind_of, until

ARGS = ("--manual-clock", "--agents", "3", "--bots", "0", "--no-traffic")
ROUNDS = 3


async def _spawn(*args: str) -> SubprocessServer:
    return await asyncio.to_thread(spawn_server, *args)


async def test_killed_three_times_mid_conversation_nothing_lost_nothing_doubled(
        connect: Connect, tmp_path: Path) -> None:
    db = tmp_path / "mock.db"
    proc = await _spawn("--db", str(db), *ARGS)
    url, port = proc.url, str(urlsplit(proc.url).port)
    procs = [proc]
    sim = SimControl(url)
    outbox = Outbox(tmp_path / "agentdesk.db")
    sender: CommandSender | None = None
    customer: list[str] = []  # what the customer said, in order
    agent: list[str] = []  # what the agent wrote, in order
    client_ids: dict[str, str] = {}  # agent body -> client_id
    try:
        client = await connect("agent1", url=url)
        b = client.backend
        sender = CommandSender(b, outbox, backoff_base=0.05, backoff_cap=0.3)
        sender.start()
        iid = await sim.new_contact("chat", text="hello, anyone?")
        customer.append("hello, anyone?")
        await client.event("interaction.offered", for_ix(iid))
        await b.accept(iid, new_client_id())

        def reply(text: str) -> None:
            item = sender.submit("message", iid, {"body": text})  # type: ignore[union-attr]
            agent.append(text)
            client_ids[text] = item.client_id

        for r in range(ROUNDS):
            # Both sides talk; the kill lands while replies are still going out and
            # the customer's events may not have reached the agent yet.
            for n in range(3):
                text = f"customer {r}.{n}"
                await sim.customer_message(iid, text)
                customer.append(text)
                reply(f"agent {r}.{n}")
            await asyncio.to_thread(procs[-1].kill)  # SIGKILL: no flush, no goodbye
            # The agent keeps writing while the server is down: the outbox holds it.
            for n in range(2):
                reply(f"agent {r}.down.{n}")
            await until(lambda: sender.last_error, "a send tried against the stopped server")
            assert all(outbox.get(client_ids[f"agent {r}.down.{n}"]).state  # type: ignore[union-attr]
                       in (OutboxState.QUEUED, OutboxState.SENDING) for n in range(2))
            procs.append(await _spawn("--db", str(db), "--port", port, *ARGS))
            assert procs[-1].url == url
            # Straight back to work, before the client has caught up; the next kill
            # waits only for the socket to be up again (so each kill cuts a live one).
            text = f"customer {r}.back"
            await sim.customer_message(iid, text)
            customer.append(text)
            reply(f"agent {r}.back")
            await client.link(LinkState.CONNECTED)

        await sender.wait_idle(WAIT)
        await sim.customer_message(iid, "last word")
        customer.append("last word")
        await client.event("message.created", lambda e: e.item.body == "last word")
        for text in agent:  # the echo of every reply reached the client too
            await _echo(client, text)

        # -- the server: every message once, replies in the order written ------------
        assert all(outbox.get(cid).state is OutboxState.SENT  # type: ignore[union-attr]
                   for cid in client_ids.values())
        ix = await b.get_interaction(iid)
        page = await b.get_timeline(ix.customer_id, limit=500)
        mine = [i for i in page.items if i.interaction_id == iid]
        mine.sort(key=lambda i: (i.at, i.id))
        inbound = [i.body for i in mine if i.direction is Direction.INBOUND]
        outbound = [i for i in mine if i.direction is Direction.OUTBOUND]
        assert inbound == customer
        assert [i.body for i in outbound] == agent
        assert [i.client_id for i in outbound] == [client_ids[t] for t in agent]

        # -- the client: every message.created once (by item id and by client_id) -----
        created = [e.item for e in client.events() if kind_of(e) == "message.created"
                   and e.item.interaction_id == iid]
        ids = Counter(item.id for item in created)
        assert ids and max(ids.values()) == 1, "an event was handed out twice"
        by_cid = Counter(item.client_id for item in created if item.client_id)
        assert max(by_cid.values()) == 1
        assert set(by_cid) == set(client_ids.values())
        # (the opening line came with the offer, not as a message.created event)
        assert [i.body for i in created if i.direction is Direction.INBOUND] == customer[1:]
        seqs = client.seqs
        assert seqs == sorted(set(seqs))
        # The replay buffer survives in --db: resuming never needed a full resync.
        assert not any(isinstance(i, SnapshotNeeded) for i in client.log)
        assert b.diagnostics.reconnects >= ROUNDS and b.diagnostics.out_of_order == 0
    finally:
        if sender is not None:
            await sender.stop()
        outbox.close()
        await sim.aclose()
        for p in procs:
            await asyncio.to_thread(p.stop)


async def _echo(client, text: str) -> None:  # type: ignore[no-untyped-def]
    if any(kind_of(e) == "message.created" and e.item.body == text for e in client.events()):
        return
    await client.event("message.created", lambda e: e.item.body == text)


async def test_link_states_around_a_kill(connect: Connect, tmp_path: Path) -> None:
    """The client reports the outage and the recovery (what the desk header shows)."""
    db = tmp_path / "mock.db"
    proc = await _spawn("--db", str(db), *ARGS)
    port = str(urlsplit(proc.url).port)
    second: SubprocessServer | None = None
    try:
        client = await connect("agent1", url=proc.url)
        await asyncio.to_thread(proc.kill)
        lost = await client.link(LinkState.RECONNECTING)
        assert lost.detail
        second = await _spawn("--db", str(db), "--port", port, *ARGS)
        await client.link(LinkState.CONNECTED)
        me, info = await client.backend.me()  # the same token still works
        assert me.id == "agent1" and info is not None
    finally:
        for p in (proc, second):
            if p is not None:
                await asyncio.to_thread(p.stop)
