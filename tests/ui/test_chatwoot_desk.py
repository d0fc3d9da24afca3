"""The whole desk on the fake Chatwoot (REST + ActionCable), driven with Pilot.

The desk talks to Chatwoot only through the `Backend` interface. What works
with the desk as it is: the snapshot (tabs from Chatwoot's conversations),
replies, private notes and canned responses through the outbox, each
reaching Chatwoot exactly once. What needs CORE's desk controller (the desk
consuming domain events rather than agentdesk/1 frames): live arrivals,
take / transfer / resolve reflected on screen, and the drop/reconnect flow;
that test skips until `agentdesk.desk` exists.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from agentdesk.backends.chatwoot.backend import ChatwootBackend
from agentdesk.backends.chatwoot.cable import CablePolicy
from agentdesk.backends.http import RetryPolicy
from agentdesk.testing.chatwoot import RunningFake, running_chatwoot
from agentdesk.ui.app import make_app

FAST_CABLE = CablePolicy(stale_after=15.0, confirm_timeout=5.0, backoff_base=0.05,
                         backoff_cap=0.3, open_timeout=5.0)


@dataclass
class ChatwootDesk:
    app: Any
    pilot: Any
    fake: RunningFake
    backend: ChatwootBackend

    @property
    def screen(self) -> Any:
        return self.app.desk

    async def until(self, predicate: Callable[[], bool], timeout: float = 10.0,
                    what: str = "") -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what or predicate}")
            await self.pilot.pause(0.05)

    async def type(self, text: str) -> None:
        for ch in text:
            await self.pilot.press("space" if ch == " " else ch)


@asynccontextmanager
async def chatwoot_desk(tmp: Path, before: Callable[[RunningFake], Any] | None = None
                        ) -> AsyncIterator[ChatwootDesk]:
    async with running_chatwoot(ping_interval=1.0) as fake:
        if before is not None:
            await before(fake)
        backend = ChatwootBackend(fake.url, retry=RetryPolicy(attempts=2, base_delay=0.02),
                                  cable_policy=FAST_CABLE)
        await backend.login("ada@example.com", "secret-ada")
        app = make_app(backend, username="ada@example.com", store_path=tmp / "desk.db",
                       tz=UTC)
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                desk = ChatwootDesk(app, pilot, fake, backend)
                await desk.until(lambda: app.desk is not None and app.desk.state.agent
                                 is not None, what="desk loaded")
                yield desk
        finally:
            await backend.close()


async def _one_assigned(fake: RunningFake) -> None:
    await fake.new_conversation("Grace Hopper", "My invoice is wrong", assignee_id=7)


async def test_desk_on_chatwoot_reply_note_canned_reach_chatwoot_once(tmp_path: Path) -> None:
    async with chatwoot_desk(tmp_path, _one_assigned) as desk:
        conv = next(iter(desk.fake.world.conversations.values()))
        iid = str(conv.id)
        screen = desk.screen
        await desk.until(lambda: iid in screen.views, what="the Chatwoot conversation's tab")
        assert screen.state.interactions[iid].customer_name == "Grace Hopper"
        screen.activate(iid)
        view = screen.views[iid]
        await desk.until(lambda: any(i.body == "My invoice is wrong"
                                     for i in view.timeline.items), what="timeline loaded")

        await desk.type("Let me check that")
        # typing_out: Chatwoot is told the agent types, once, not once per keystroke.
        await desk.until(lambda: desk.fake.agent_typing.get(conv.id) == "on", what="typing on")
        typing_posts = desk.fake.posts("/toggle_typing_status")
        assert 1 <= typing_posts < len("Let me check that")
        await desk.pilot.press("enter")
        await desk.until(lambda: not desk.app.sender.pending(), what="reply sent")
        # The draft is empty after the send: typing ends.
        await desk.until(lambda: desk.fake.agent_typing.get(conv.id) == "off", what="typing off")
        await desk.pilot.press("ctrl+t")
        await desk.type("vip customer")
        await desk.pilot.press("enter")
        await desk.until(lambda: not desk.app.sender.pending(), what="note sent")
        # Note mode ends by itself after a note (docs/desk.md): the canned reply is a reply.
        await desk.pilot.press("slash")
        await desk.until(lambda: type(desk.app.screen).__name__ == "CannedPicker",
                         what="canned picker")
        await desk.pilot.press("enter")
        await desk.until(lambda: desk.app.screen is screen, what="picker closed")
        canned = view.composer.text.strip()
        # Chatwoot's {{contact.name}} is filled in on insertion, never sent raw.
        assert canned == "Hello Grace Hopper, how can I help?"
        await desk.pilot.press("ctrl+s")
        await desk.until(lambda: not desk.app.sender.pending(), what="canned sent")

        # A variable the desk cannot fill stays visible, and the agent is warned.
        await desk.pilot.press("slash")
        await desk.until(lambda: type(desk.app.screen).__name__ == "CannedPicker",
                         what="canned picker again")
        await desk.pilot.press("up")  # the last one ("case")
        await desk.pilot.press("enter")
        await desk.until(lambda: desk.app.screen is screen, what="picker closed again")
        assert view.composer.text.strip() == "Ada here: your case is {{conversation.id}}."
        await desk.until(lambda: any("{{conversation.id}}" in n.message
                                     for n in desk.app._notifications), what="warning")

        sent = [(m.content, m.private) for m in desk.fake.world.messages if m.message_type == 1]
        assert sent == [("Let me check that", False), ("vip customer", True), (canned, False)]
        assert desk.fake.posts("/messages") == 3


NEEDS_CONTROLLER = pytest.mark.skipif(
    importlib.util.find_spec("agentdesk.desk") is None,
    reason="needs CORE's desk controller (agentdesk/desk): the desk must consume the domain "
           "events the Chatwoot backend yields (live arrivals, take, transfer, wrap-up)")


@NEEDS_CONTROLLER
async def test_desk_on_chatwoot_live_take_transfer_resolve_and_reconnect(tmp_path: Path) -> None:
    async with chatwoot_desk(tmp_path) as desk:
        fake, screen = desk.fake, desk.screen
        await asyncio.wait_for(fake.subscribed.wait(), 10)
        conv = await fake.new_conversation("Grace Hopper", "My invoice is wrong")
        iid = str(conv.id)
        await desk.until(lambda: iid in screen.views, what="offer tab")
        assert screen.state.interactions[iid].state.value == "offered"
        # Chatwoot offers do not expire: the banner has no countdown (never "0:00 left").
        banner = screen.query_one("#banner")
        await desk.until(lambda: banner.display and "Grace Hopper" in str(banner.render()),
                         what="offer banner")
        text = str(banner.render())
        assert "offer from Grace Hopper" in text and "F2 accept" in text, text
        assert "left" not in text, text
        screen.activate(iid)
        await desk.pilot.press("f2")  # take
        await desk.until(lambda: screen.state.interactions[iid].state.value == "active",
                         what="taken")
        assert fake.world.conversations[conv.id].assignee_id == 7
        await desk.type("On it")
        await desk.pilot.press("enter")
        view = screen.views[iid]
        await desk.until(lambda: [i.body for i in view.timeline.items].count("On it") == 1,
                         what="reply in the timeline")

        # The cable drops; the customer writes meanwhile; it shows once after the catch-up.
        fake.refuse_cable = True
        await fake.drop_cables()
        await fake.customer_message(conv.id, "sent while you were away")
        fake.refuse_cable = False
        await desk.until(lambda: [i.body for i in view.timeline.items]
                         .count("sent while you were away") == 1, what="caught up")
        await desk.pilot.pause(0.5)
        bodies = [i.body for i in view.timeline.items]
        assert bodies.count("sent while you were away") == 1 and bodies.count("On it") == 1

        # Transfer to the first team (billing: Ada is not a member, so it leaves her).
        await desk.pilot.press("f7")
        await desk.until(lambda: type(desk.app.screen).__name__ == "TransferDialog",
                         what="transfer dialog")
        await desk.pilot.press("enter")
        await desk.until(lambda: iid not in screen.views, what="tab closed after transfer")
        assert fake.world.conversations[conv.id].team_id == 1

        # A conversation assigned to Ada is wrapped up with a label, which resolves it.
        second = await fake.new_conversation("Alan Turing", "Thanks, all good", assignee_id=7)
        sid = str(second.id)
        await desk.until(lambda: sid in screen.views, what="assigned tab")
        screen.activate(sid)
        await desk.pilot.press("f9")
        await desk.until(lambda: type(desk.app.screen).__name__ == "LabelWrapupDialog",
                         what="wrap-up dialog")
        await desk.pilot.press("enter")
        await desk.until(lambda: sid not in screen.views, what="resolved")
        assert fake.world.conversations[second.id].status == "resolved"
        assert fake.world.conversations[second.id].labels
        assert fake.posts("/messages") == 1


async def test_dialogs_on_chatwoot_offer_only_what_the_capabilities_allow(tmp_path: Path) -> None:
    from textual.widgets import OptionList

    async with chatwoot_desk(tmp_path, _one_assigned) as desk:
        conv = next(iter(desk.fake.world.conversations.values()))
        iid, screen, app = str(conv.id), desk.screen, desk.app
        await desk.until(lambda: iid in screen.views, what="tab")
        screen.activate(iid)
        await desk.until(lambda: screen.state.interactions[iid].state.value == "active",
                         what="active")

        # F4: Chatwoot's three availabilities, away named "Busy", nothing scheduled.
        await desk.pilot.press("f4")
        await desk.until(lambda: type(app.screen).__name__ == "PresenceMenu", what="menu")
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["now:available", "now:away", "now:offline"]
        assert "Busy" in str(options.get_option_at_index(1).prompt)
        await desk.pilot.press("down", "enter")
        await desk.until(lambda: desk.fake.world.users[7].availability == "busy",
                         what="busy in Chatwoot")
        await desk.until(lambda: screen.state.agent is not None
                         and screen.state.agent.presence.value == "away", what="shown")
        header = screen.query_one("#hdr-presence")
        await desk.until(lambda: "Busy" in str(header.render()), what="Busy in the header")

        # F7: teams and agents (not Ada herself), no blind/warm switch.
        await desk.pilot.press("f7")
        await desk.until(lambda: type(app.screen).__name__ == "TransferDialog", what="transfer")
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["t:team:1", "t:team:2", "a:9"]
        assert not app.screen.query("#transfer-mode")
        await desk.pilot.press("escape")

        # F9: labels, then endings; snooze 1 hour with two labels.
        await desk.until(lambda: app.screen is screen, what="transfer closed")
        await desk.pilot.press("f9")
        await desk.until(lambda: type(app.screen).__name__ == "LabelWrapupDialog",
                         what="wrap-up")
        await desk.pilot.press("space", "down", "space", "tab", "down", "down", "down", "enter")
        await desk.until(lambda: iid not in screen.views, what="snoozed")
        snoozed = desk.fake.world.conversations[conv.id]
        assert snoozed.status == "snoozed" and sorted(snoozed.labels) == ["billing", "vip"]


@NEEDS_CONTROLLER
async def test_on_chatwoot_f3_hides_the_offer_without_asking_a_reason(tmp_path: Path) -> None:
    """Chatwoot has no reject (nothing to record a reason): no reason picker."""
    async with chatwoot_desk(tmp_path) as desk:
        fake, screen = desk.fake, desk.screen
        await asyncio.wait_for(fake.subscribed.wait(), 10)
        conv = await fake.new_conversation("Ada Lovelace", "Is anyone there?")
        iid = str(conv.id)
        await desk.until(lambda: iid in screen.views, what="offer tab")
        assert not screen.controller.capabilities.reject_reasons
        screen.activate(iid)
        await desk.pilot.press("f3")
        await desk.until(lambda: iid not in screen.views, what="offer hidden")
        assert type(desk.app.screen).__name__ == "DeskScreen"


async def test_on_chatwoot_the_header_says_working_while_conversations_are_in_hand(
        tmp_path: Path) -> None:
    # Chatwoot has no routing states: an online agent is "idle" to the adapter
    # whatever they hold. "waiting for work" beside an open conversation lied.
    async with chatwoot_desk(tmp_path, _one_assigned) as desk:
        routing = desk.screen.query_one("#hdr-routing")
        await desk.until(lambda: "working" in str(routing.render()), what="working in the header")
        conv = next(iter(desk.fake.world.conversations.values()))
        await desk.fake.set_status(conv.id, "resolved")
        await desk.until(lambda: "waiting for work" in str(routing.render()),
                         what="waiting once nothing is in hand")
