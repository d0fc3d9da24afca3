"""Real client, real mock server: dropped sockets, retried commands, idempotency."""

from __future__ import annotations

import asyncio

from agentdesk.backends.base import LinkState, new_client_id
from agentdesk.backends.http_wire import ConnectionPool, WireRequest, WireResponse, WireTimeout
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import Direction

from .conftest import Client, Connect, Event, for_ix, kind_of


def assert_clean_sequence(client: Client) -> list[Event]:
    """Every event handed out exactly once, in strictly increasing seq order."""
    events = client.events()
    seqs = client.seqs
    assert len(seqs) == len(events)
    assert seqs == sorted(set(seqs)), "duplicated or reordered events"
    return events


async def _open_chat(client: Client, sim: SimControl) -> str:
    iid = await sim.new_contact("chat", text="hello")
    await client.event("interaction.offered", for_ix(iid))
    await client.backend.accept(iid, new_client_id())
    await client.event("interaction.accepted", for_ix(iid))
    return iid


async def _inbound(client: Client, iid: str, texts: list[str]) -> None:
    for text in texts:
        await client.event(
            "message.created",
            lambda e, t=text: e.item.interaction_id == iid and e.item.body == t,
        )


async def test_socket_killed_mid_conversation_resumes_without_loss_or_duplicates(
    connect: Connect, sim: SimControl
) -> None:
    client = await connect("agent1")
    iid = await _open_chat(client, sim)
    await sim.customer_message(iid, "before the drop")
    await _inbound(client, iid, ["before the drop"])

    # Hold reconnections at a gate so the customer provably writes while the link is down.
    stream = client.backend._stream
    gate = asyncio.Event()
    real_connect = stream._connect

    async def gated_connect(*args, **kwargs):  # type: ignore[no-untyped-def]
        await gate.wait()
        return await real_connect(*args, **kwargs)

    stream._connect = gated_connect  # type: ignore[method-assign]
    for round_ in range(3):
        gate.clear()
        # Kill the TCP connection under the client: no close frame, nothing.
        ws = stream._ws
        assert ws is not None
        ws.transport.abort()
        await client.link(LinkState.RECONNECTING)
        texts = [f"while away {round_}.{n}" for n in range(5)]
        for text in texts:  # the customer keeps typing while the agent's link is down
            await sim.customer_message(iid, text)
        gate.set()
        await client.link(LinkState.CONNECTED)
        await _inbound(client, iid, texts)  # replayed from `since`

    await sim.customer_message(iid, "after")
    await _inbound(client, iid, ["after"])
    events = assert_clean_sequence(client)
    bodies = [e.item.body for e in events if kind_of(e) == "message.created"
              and e.item.direction is Direction.INBOUND]
    assert len(bodies) == len(set(bodies))  # no message twice
    diag = client.backend.diagnostics
    assert diag.reconnects == 3 and diag.out_of_order == 0 and diag.resyncs == 0
    assert diag.malformed == 0 and diag.unknown_type == 0


async def test_requested_reconnect_and_clean_replay(connect: Connect, sim: SimControl) -> None:
    client = await connect("agent1")
    iid = await _open_chat(client, sim)
    seq_before = client.backend.last_seq
    await client.backend.reconnect()
    await sim.customer_message(iid, "during reconnect")
    await client.link(LinkState.CONNECTED)
    await _inbound(client, iid, ["during reconnect"])
    assert client.backend.last_seq > seq_before
    assert_clean_sequence(client)


class LoseFirstAnswer:
    """Forwards to the real server but loses the answer of the first request to
    each matching path: the server acted, the client saw a timeout."""

    def __init__(self, path_suffix: str) -> None:
        self._inner = ConnectionPool()
        self._suffix = path_suffix
        self.bodies: list[bytes] = []

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        response = await self._inner.send(request, timeout=timeout, max_body=max_body)
        if request.path.endswith(self._suffix):
            self.bodies.append(request.body)
            if len(self.bodies) == 1:
                raise WireTimeout("answer lost")
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_retried_command_is_applied_once(connect: Connect, sim: SimControl) -> None:
    lossy = LoseFirstAnswer("/messages")
    client = await connect("agent1", transport=lossy)
    iid = await _open_chat(client, sim)
    item = await client.backend.send_message(iid, "only once please", new_client_id())
    assert len(lossy.bodies) == 2 and lossy.bodies[0] == lossy.bodies[1]  # same client_id
    ix = await client.backend.get_interaction(iid)
    page = await client.backend.get_timeline(ix.customer_id, limit=500)
    assert [i.id for i in page.items if i.body == "only once please"] == [item.id]

    # And explicitly: the same client_id twice returns the same item, no second message.
    cid = new_client_id()
    first = await client.backend.send_message(iid, "twice?", cid)
    second = await client.backend.send_message(iid, "twice?", cid)
    assert first.id == second.id
    page = await client.backend.get_timeline(ix.customer_id, limit=500)
    assert len([i for i in page.items if i.body == "twice?"]) == 1
    await client.event("message.created", lambda e: e.item.id == first.id)
    await sim.customer_message(iid, "marker")  # everything before it has been delivered
    await _inbound(client, iid, ["marker"])
    echoes = [e for e in client.events()
              if kind_of(e) == "message.created" and e.item.body in ("twice?", "only once please")]
    assert len(echoes) == 2 and len({e.item.id for e in echoes}) == 2
