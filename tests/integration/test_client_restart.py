"""A mock server killed and restarted on the same port and --db: the client
rides it out, its token still works, state is kept, queued commands go out,
and the event stream catches up with nothing handed out twice."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from agentdesk.backends.base import LinkState, new_client_id
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.events import SnapshotNeeded
from agentdesk.domain.models import InteractionState
from agentdesk.store.outbox import Outbox, OutboxState
from agentdesk.store.sender import CommandSender
from agentdesk.testing.mockserver import SubprocessServer, spawn_server

from .conftest import WAIT, Connect, for_ix, until

ARGS = ("--manual-clock", "--agents", "3", "--bots", "0", "--no-traffic")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "mock.db"


async def _spawn(*args: str) -> SubprocessServer:
    return await asyncio.to_thread(spawn_server, *args)


async def test_server_killed_and_restarted_with_db(connect: Connect, db: Path, tmp_path: Path) -> None:
    first = await _spawn("--db", str(db), *ARGS)
    port = str(urlsplit(first.url).port)
    second: SubprocessServer | None = None
    sim = SimControl(first.url)
    sender: CommandSender | None = None
    outbox = Outbox(tmp_path / "agentdesk.db")
    try:
        client = await connect("agent1", url=first.url)
        b = client.backend
        sender = CommandSender(b, outbox, backoff_base=0.05, backoff_cap=0.3)
        sender.start()

        iid = await sim.new_contact("chat", text="are you there?")
        await client.event("interaction.offered", for_ix(iid))
        await b.accept(iid, new_client_id())
        item = sender.submit("message", iid, {"body": "yes, one moment"})
        await sender.wait_idle(WAIT)
        await client.event("message.created", lambda e: e.item.body == "yes, one moment")
        seq_before = b.last_seq

        await asyncio.to_thread(first.kill)  # SIGKILL: no goodbye
        await client.link(LinkState.RECONNECTING)
        # The agent keeps working while the server is down: the outbox holds it.
        queued = sender.submit("message", iid, {"body": "sent while the server was down"})
        await until(lambda: sender.last_error, "a send tried against the stopped server")
        assert outbox.get(queued.client_id).state in (OutboxState.QUEUED, OutboxState.SENDING)  # type: ignore[union-attr]

        second = await _spawn("--db", str(db), "--port", port, *ARGS)
        assert second.url == first.url
        await client.link(LinkState.CONNECTED)
        await sender.wait_idle(WAIT)
        assert outbox.get(queued.client_id).state is OutboxState.SENT  # type: ignore[union-attr]

        # Same token, same state.
        ix = await b.get_interaction(iid)
        assert ix.state is InteractionState.ACTIVE and ix.agent_id == "agent1"
        page = await b.get_timeline(ix.customer_id, limit=500)
        bodies = [i.body for i in page.items if i.interaction_id == iid]
        assert bodies.count("yes, one moment") == 1
        assert bodies.count("sent while the server was down") == 1
        assert outbox.get(item.client_id).state is OutboxState.SENT  # type: ignore[union-attr]

        # The stream catches up: new events flow, nothing is handed out twice.
        await sim.customer_message(iid, "thanks, I'm back")
        await client.event("message.created", lambda e: e.item.body == "thanks, I'm back")
        seqs = client.seqs
        assert seqs == sorted(set(seqs)) and b.last_seq > seq_before
        assert b.diagnostics.reconnects >= 1
        # Either the server replayed from our seq, or it asked for a resync; both are fine,
        # silently losing events is not.
        resynced = any(isinstance(i, SnapshotNeeded) for i in client.log)
        assert resynced or b.diagnostics.out_of_order == 0
    finally:
        if sender is not None:
            await sender.stop()
        outbox.close()
        await sim.aclose()
        for proc in (first, second):
            if proc is not None:
                await asyncio.to_thread(proc.stop)
