"""Chatwoot backend against the fake Chatwoot: sign-in, account choice,
snapshots, reference data, presence."""

from __future__ import annotations

import asyncio

import pytest

from agentdesk.backends.base import BackendAuthError, BackendCommandError
from agentdesk.backends.chatwoot.backend import ChatwootBackend
from agentdesk.backends.registry import BackendOptions, load
from agentdesk.domain.capabilities import TransferTarget, WrapupStyle
from agentdesk.domain.models import Channel, InteractionState, Presence
from agentdesk.testing.chatwoot import running_chatwoot

from .chatwoot_support import ADA, chatwoot_desk, new_backend


async def test_password_sign_in_gives_the_users_access_token() -> None:
    async with running_chatwoot() as fake:
        backend = new_backend(fake)
        try:
            token = await backend.login(*ADA)
            assert token == fake.world.users[7].access_token
            user, agent = await backend.me()
            assert (user.id, user.name) == ("7", "Ada")
            assert agent is not None and agent.presence is Presence.AVAILABLE
            assert backend.account_id == "1"
            caps = backend.capabilities
            assert caps.voice is False and caps.offers is True and caps.acw_timer is False
            assert caps.wrapup is WrapupStyle.LABELS
            assert caps.transfer_to == {TransferTarget.AGENT, TransferTarget.TEAM}
            assert "voice" in caps.missing_reason("voice").lower()
        finally:
            await backend.close()


async def test_wrong_password_is_one_line_and_signs_nothing_in() -> None:
    async with running_chatwoot() as fake:
        backend = new_backend(fake)
        try:
            with pytest.raises(BackendAuthError) as refused:
                await backend.login("ada@example.com", "nope")
            assert "Invalid login credentials" in refused.value.message
            assert "\n" not in refused.value.message
            assert backend.token is None and backend.user is None
        finally:
            await backend.close()


async def test_token_sign_in_through_the_registry() -> None:
    async with running_chatwoot() as fake:
        spec = load("chatwoot")
        assert (spec.title, spec.user_label, spec.token_login) == ("Chatwoot", "Email", True)
        backend = spec.create(fake.url, options=BackendOptions(account="1"))
        assert isinstance(backend, ChatwootBackend)
        try:
            user = await backend.use_token(fake.world.users[7].access_token)
            assert user.id == "7" and backend.account_id == "1"
            await backend.logout()  # long-lived token: nothing to revoke
            with pytest.raises(BackendAuthError):
                await backend.use_token("not-a-token")
        finally:
            await backend.close()


async def test_an_account_that_is_not_the_users_is_refused_by_name() -> None:
    async with running_chatwoot() as fake:
        backend = new_backend(fake, account="2")
        try:
            with pytest.raises(BackendCommandError) as refused:
                await backend.login(*ADA)
            assert refused.value.message == "account 2 is not one of this user's accounts (1)"
        finally:
            await backend.close()


async def test_snapshot_tabs_offers_and_reference_data() -> None:
    async with chatwoot_desk(stream=False) as (fake, desk):
        mine = await fake.new_conversation("Grace Hopper", "Mine", assignee_id=7)
        offer = await fake.new_conversation("Alan Turing", "Unassigned", inbox_id=3)
        await fake.new_conversation("Edsger Dijkstra", "Bob's", assignee_id=9)
        resolved = await fake.new_conversation("Barbara Liskov", "Old", assignee_id=7)
        await fake.set_status(resolved.id, "resolved")

        found = {i.id: i for i in await desk.backend.list_interactions()}
        assert set(found) == {str(mine.id), str(offer.id)}
        assert found[str(mine.id)].state is InteractionState.ACTIVE
        assert found[str(mine.id)].agent_id == "7"
        assert found[str(offer.id)].state is InteractionState.OFFERED
        assert found[str(offer.id)].channel is Channel.SMS
        assert found[str(offer.id)].unread == 1

        assert [(q.id, q.name) for q in await desk.backend.list_queues()] == [
            ("team:1", "billing"), ("team:2", "tech")]
        assert {a.id for a in await desk.backend.list_agents()} == {"7", "9"}
        assert [d.code for d in await desk.backend.list_dispositions()] == [
            "billing", "vip", "refund"]
        canned = await desk.backend.list_canned_responses()
        assert [(c.shortcut, c.body) for c in canned] == [
            ("hi", "Hello {customer}, how can I help?"),  # Chatwoot's variables, mapped
            ("bye", "Thanks for reaching out. Have a good day!"),
            ("case", "{agent_first} here: your case is {{conversation.id}}.")]
        assert await desk.backend.list_kb_articles() == []


async def test_presence_maps_onto_chatwoot_availability() -> None:
    async with chatwoot_desk(stream=False) as (fake, desk):
        agent = await desk.backend.set_presence(Presence.AWAY)
        assert agent.presence is Presence.AWAY
        assert fake.world.users[7].availability == "busy"
        agent = await desk.backend.set_presence(Presence.BREAK)  # break is busy too
        assert agent.presence is Presence.AWAY
        agent = await desk.backend.set_presence(Presence.AVAILABLE)
        assert agent.presence is Presence.AVAILABLE and fake.world.users[7].availability == "online"
        with pytest.raises(BackendCommandError) as refused:
            await desk.backend.set_presence(Presence.OFFLINE, next=Presence.AVAILABLE)
        assert "schedule" in refused.value.message


async def test_a_backend_built_with_only_a_token_signs_itself_in_and_connects() -> None:
    # The CLI path (a stored, prompted or AGENTDESK_TOKEN token): no login() call.
    from agentdesk.backends.base import LinkState, LinkStatus
    from agentdesk.backends.chatwoot.backend import ChatwootBackend
    from agentdesk.testing.chatwoot import running_chatwoot

    async with running_chatwoot() as fake:
        token = fake.world.users[7].access_token
        backend = ChatwootBackend(fake.url, token=token)
        try:
            async def first_connected() -> None:
                async for item in backend.events():
                    if isinstance(item, LinkStatus) and item.state is LinkState.CONNECTED:
                        return
            await asyncio.wait_for(first_connected(), 20)
            assert backend.user is not None and backend.user.id == "7"
        finally:
            await backend.close()
