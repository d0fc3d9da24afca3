"""Real client, real mock server: sessions, snapshots, tokens, supervisors."""

from __future__ import annotations

import pytest

from agentdesk.backends.base import (
    BackendAuthError,
    BackendCommandError,
    LinkState,
    new_client_id,
)
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import CallAction, Presence, Role, RoutingState
from agentdesk.testing.mockserver import ServerHandle, running_server

from .conftest import FAST_RETRY, FAST_STREAM, Client, Connect, for_ix


async def test_login_me_and_snapshots(server: ServerHandle) -> None:
    backend = NativeBackend(server.url, retry=FAST_RETRY)
    try:
        token = await backend.login("agent1", "demo")
        assert token and backend.token == token
        user, agent = await backend.me()
        assert user.id == "agent1" and user.role is Role.AGENT
        assert agent is not None and agent.id == "agent1"
        assert backend.capabilities.simulation is True
        queues = await backend.list_queues()
        assert queues and all(q.id and q.channels for q in queues)
        assert await backend.list_dispositions()
        assert await backend.list_canned_responses()
        assert isinstance(await backend.list_kb_articles(), list)
        assert (await backend.get_stats()).at > 0
        assert await backend.list_interactions() == []
        info = await backend.set_presence(Presence.BREAK, next=None)
        assert info.presence is Presence.BREAK

        # The same token works from a second backend (a restarted desk).
        again = NativeBackend(server.url, retry=FAST_RETRY)
        try:
            assert (await again.use_token(token)).id == "agent1"
        finally:
            await again.close()
    finally:
        await backend.close()


async def test_wrong_password_and_unknown_token_are_auth_errors(server: ServerHandle) -> None:
    backend = NativeBackend(server.url, retry=FAST_RETRY)
    try:
        with pytest.raises(BackendAuthError):
            await backend.login("agent1", "not-the-password")
        with pytest.raises(BackendAuthError):
            await backend.use_token("forged-token")
    finally:
        await backend.close()


async def test_token_of_a_forgotten_session_is_auth_error() -> None:
    """A token the server no longer knows (it restarted without --db): BackendAuthError."""
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True) as first:
        backend = NativeBackend(first.url, retry=FAST_RETRY)
        token = await backend.login("agent1", "demo")
        await backend.close()
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True) as second:
        backend = NativeBackend(second.url, token=token, retry=FAST_RETRY)
        try:
            with pytest.raises(BackendAuthError):
                await backend.me()
            with pytest.raises(BackendAuthError):
                await backend.list_interactions()
        finally:
            await backend.close()


async def test_supervisor_reads_everything_and_mutations_are_refused(
    connect: Connect, sim: SimControl
) -> None:
    agent = await connect("agent1")
    boss = await connect("supervisor")
    user, info = await boss.backend.me()
    assert user.role is Role.SUPERVISOR and info is None
    assert {a.id for a in await boss.backend.list_agents()} >= {"agent1", "agent2", "agent3"}

    iid = await sim.new_contact("chat", text="Hello, anyone there?")
    await agent.event("interaction.offered", for_ix(iid))
    await boss.event("interaction.offered", for_ix(iid))  # supervisors see every event
    watched = await boss.backend.list_interactions(agent_id="agent1")
    assert [ix.id for ix in watched] == [iid]

    refusals = [
        boss.backend.accept(iid, new_client_id()),
        boss.backend.reject(iid, new_client_id()),
        boss.backend.send_message(iid, "I am the boss", new_client_id()),
        boss.backend.call_action(iid, CallAction.HOLD, new_client_id()),
        boss.backend.transfer(iid, new_client_id(), queue_id=watched[0].queue_id),
        boss.backend.wrapup(iid, "resolved", new_client_id()),
        boss.backend.set_presence(Presence.AVAILABLE),
    ]
    for attempt in refusals:
        with pytest.raises(BackendCommandError) as info_:
            await attempt
        assert info_.value.status == 403

    # The agent's offer is untouched by all that.
    ix = await agent.backend.get_interaction(iid)
    assert ix.state == "offered" and ix.agent_id == "agent1"
    me = (await agent.backend.me())[1]
    assert me is not None and me.routing_state is RoutingState.OFFERED


async def test_server_clock_is_learnt_from_the_stream(connect: Connect, sim: SimControl) -> None:
    client = await connect("agent1")
    sim_now = await sim.now()
    assert abs(sim_now - 1772442000.0) < 3600  # the manual clock, far from the wall clock
    assert abs(client.backend.server_now() - sim_now) < 60
    # Later events carry later times: the estimate follows the sim clock forward.
    later = await sim.advance(3600)
    iid = await sim.new_contact("chat", text="hi")
    await client.event("interaction.offered", for_ix(iid))
    assert abs(client.backend.server_now() - later) < 60


async def test_stream_with_a_refused_token_says_sign_in_again(server: ServerHandle) -> None:
    backend = NativeBackend(server.url, token="forged", retry=FAST_RETRY, stream_policy=FAST_STREAM)
    client = Client(backend)
    await client.start(wait_connected=False)
    try:
        status = await client.link(LinkState.RECONNECTING)
        assert "not authorised" in status.detail and backend.link_auth_failed
        assert client.events() == []
    finally:
        await client.close()
