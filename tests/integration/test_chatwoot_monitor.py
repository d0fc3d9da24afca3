"""The Chatwoot monitor source against the fake Chatwoot: the floor's snapshots
(queues = inboxes and teams, agents with availability and work in hand, the
unassigned queue, resolved today), the live board (presence, a new
conversation, an assignment, a resolve), read-only, and a non-administrator
refused in one line."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from agentdesk.backends.base import BackendCommandError
from agentdesk.backends.chatwoot.monitor import ChatwootMonitor
from agentdesk.backends.registry import BackendOptions, load
from agentdesk.domain.events import AgentChanged, InteractionChange, InteractionChanged, StatsChanged
from agentdesk.domain.floor import Floor
from agentdesk.domain.models import Channel, InteractionState, Presence, Role, RoutingState
from agentdesk.testing.chatwoot import running_chatwoot

from .chatwoot_support import FAST_CABLE, FAST_RETRY, WAIT, Desk

BOB = ("bob@example.com", "secret-bob")  # the fake's administrator
ADA = ("ada@example.com", "secret-ada")


def new_monitor(fake: Any) -> ChatwootMonitor:
    return ChatwootMonitor(fake.url, retry=FAST_RETRY, cable_policy=FAST_CABLE)


async def _floor(monitor: ChatwootMonitor) -> Floor:
    floor = Floor()
    queues = await monitor.list_queues()
    floor.load(queues, await monitor.list_agents(), await monitor.get_stats(),
               await monitor.list_interactions(), monitor.server_now())
    return floor


async def test_the_floor_from_rest() -> None:
    async with running_chatwoot() as fake:
        await fake.new_conversation("Grace Hopper", "Invoice?", assignee_id=7)
        await fake.new_conversation("Alan Turing", "Parcel?", inbox_id=2, assignee_id=7)
        await fake.new_conversation("Edsger Dijkstra", "Open Sunday?", inbox_id=3)
        waiting = await fake.new_conversation("Katherine Johnson", "Plan?")
        fake.world.conversations[waiting.id].team_id = 2
        fake.world.resolved[9] = 4
        monitor = new_monitor(fake)
        try:
            await monitor.login(*BOB)
            assert monitor.user is not None and monitor.user.role is Role.SUPERVISOR
            floor = await _floor(monitor)
            assert set(floor.queues) == {"inbox:1", "inbox:2", "inbox:3", "inbox:4",
                                         "team:1", "team:2"}
            assert floor.queues["inbox:2"].name == "Support mail"
            assert all(q.sl_threshold_s == 0 for q in floor.queues.values())  # no goal
            qs = floor.queue_stats
            assert (qs["inbox:3"].waiting, qs["team:2"].waiting, qs["inbox:1"].waiting) == (1, 1, 0)
            assert qs["inbox:3"].longest_wait_s >= 0
            # Chatwoot has no service level, ASA, AHT or abandonment: None, never 0.
            assert (qs["inbox:3"].sl_pct, qs["inbox:3"].asa_s, qs["inbox:3"].aht_s,
                    qs["inbox:3"].abandon_pct) == (None, None, None, None)
            # Members by state: inbox 1 is Ada (busy: two in hand) and Bob (available).
            assert qs["inbox:1"].agents == {"available": 1, "busy": 1, "away": 0}
            ada = floor.agents["7"]
            assert ada.routing_state is RoutingState.BUSY
            assert {c: load.active for c, load in ada.capacity.channels.items()} == {
                Channel.CHAT: 1, Channel.EMAIL: 1}
            assert set(ada.queues) == {"inbox:1", "inbox:2", "inbox:4", "team:2"}
            assert floor.agents["9"].routing_state is RoutingState.IDLE
            assert floor.agent_stats["9"].handled == 4
            assert {ix.state for ix in floor.interactions.values()} == {
                InteractionState.ACTIVE, InteractionState.QUEUED}
            assert len(await monitor.list_interactions(agent_id="7")) == 2
            posted = [p for m, p in fake.requests if m != "GET"]
            assert posted == ["/auth/sign_in"]  # read-only: nothing else but GETs
        finally:
            await monitor.close()


async def test_live_presence_conversations_and_resolves() -> None:
    async with running_chatwoot(ping_interval=1.0) as fake:
        monitor = new_monitor(fake)
        desk = Desk(monitor)  # type: ignore[arg-type]  # the same stream reader
        try:
            await monitor.login(*BOB)
            floor = await _floor(monitor)
            await desk.start()

            def apply_until(kind: type, where: Any) -> Any:
                async def wait() -> Any:
                    while True:
                        event = await desk.next(object)
                        if isinstance(event, (AgentChanged, StatsChanged, InteractionChanged)):
                            floor.apply(event)
                        if isinstance(event, kind) and where(event):
                            return event
                return asyncio.wait_for(wait(), WAIT)

            await fake.set_availability(7, "offline")
            gone = await apply_until(AgentChanged, lambda e: e.agent.id == "7"
                                     and e.agent.presence is Presence.OFFLINE)
            assert gone.agent.routing_state is RoutingState.OFF_QUEUE
            assert floor.totals().logged_in == 1  # only Bob

            conv = await fake.new_conversation("Grace Hopper", "Hello?", inbox_id=3)
            await apply_until(StatsChanged, lambda e: any(
                q.queue_id == "inbox:3" and q.waiting == 1 for q in e.stats.queues))
            assert floor.queue_stats["inbox:3"].waiting == 1
            assert floor.interactions[str(conv.id)].state is InteractionState.QUEUED

            await fake.assign(conv.id, 9)
            taken = await apply_until(InteractionChanged, lambda e: e.interaction.id == str(conv.id)
                                      and e.change is InteractionChange.ACCEPTED)
            assert taken.interaction.agent_id == "9"
            await apply_until(AgentChanged, lambda e: e.agent.id == "9"
                              and e.agent.routing_state is RoutingState.BUSY)
            await apply_until(StatsChanged, lambda e: True)
            assert floor.queue_stats["inbox:3"].waiting == 0

            await fake.set_status(conv.id, "resolved")
            await apply_until(InteractionChanged, lambda e: e.interaction.id == str(conv.id)
                              and e.change is InteractionChange.CLOSED)
            assert str(conv.id) not in floor.interactions
            await apply_until(AgentChanged, lambda e: e.agent.id == "9"
                              and e.agent.routing_state is RoutingState.IDLE)
            await apply_until(StatsChanged, lambda e: True)
            assert floor.agent_stats["9"].handled == 1
        finally:
            await desk.stop()


async def test_read_only_and_registered_for_the_monitor() -> None:
    spec = load("chatwoot")
    assert spec.capabilities.monitor is True
    assert spec.capabilities.service_level is False
    async with running_chatwoot() as fake:
        monitor = spec.create_monitor(fake.url, options=BackendOptions(account="1"))
        assert isinstance(monitor, ChatwootMonitor)
        try:
            await monitor.login(*BOB)
            with pytest.raises(BackendCommandError, match="read-only"):
                await monitor.accept("1", "c1")
            with pytest.raises(BackendCommandError, match="read-only"):
                await monitor.send_message("1", "hi", "c2")
        finally:
            await monitor.close()


async def test_an_agent_is_refused_in_one_line() -> None:
    async with running_chatwoot() as fake:
        monitor = new_monitor(fake)
        try:
            await monitor.login(*ADA)
            assert monitor.user is not None and monitor.user.role is Role.AGENT
            with pytest.raises(BackendCommandError) as refused:
                await monitor.list_queues()
            message = refused.value.message
            assert "\n" not in message
            assert message == ("Chatwoot refused the agent reports to Ada: the monitor needs "
                               "an administrator of account 1")
        finally:
            await monitor.close()
