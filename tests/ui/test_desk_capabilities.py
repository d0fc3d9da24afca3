"""The desk against a backend that declares fewer capabilities than agentdesk/1
(no voice, no offers, no ACW timer): its keys are not in the footer, F1 or the
palette; pressed anyway they say why in one line. Also: a render scheduled by
a timer or an event never assumes the screen's widgets exist."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

from textual.widgets import Static
from textual.widgets._footer import FooterKey

from agentdesk.domain import session as S
from agentdesk.domain.capabilities import Capabilities
from agentdesk.domain.models import CallInfo, CallState, InteractionState
from agentdesk.ui.app import make_app
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs

sys.path.insert(0, str(Path(__file__).parents[1]))

from fake_backend import T0, FakeBackend, chat
from pilot_wait import until

NO_VOICE = Capabilities(backend="chatty", voice=False, offers=False, acw_timer=False,
                        reasons={"voice": "Calls: chatty has no phone line"})


@asynccontextmanager
async def fake_desk(tmp_path: Path, caps: Capabilities) -> AsyncIterator[tuple[Any, Any, FakeBackend]]:
    backend = FakeBackend(caps)
    call = CallInfo(state=CallState.CONNECTED, connected_at=T0)
    backend.interactions = [chat("v1", InteractionState.ACTIVE, channel="voice", call=call)]
    app = make_app(backend, clock=lambda: T0 + 5, username="ada", store_path=tmp_path / "desk.db",
                   tz=UTC)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        backend.connect()
        await until(pilot, lambda: app.desk is not None and "v1" in app.desk.views, "the tab")
        await until(pilot, lambda: app.desk.current_id == "v1", "v1 current")
        await pilot.pause(0.1)
        yield app, pilot, backend
    await backend.close()


def footer_keys(app: Any) -> set[str]:
    return {k.key for k in app.screen.query(FooterKey)}


async def test_voice_keys_show_where_the_backend_has_voice(tmp_path: Path) -> None:
    async with fake_desk(tmp_path, Capabilities(backend="fake")) as (app, pilot, _backend):
        await until(pilot, lambda: {"f5", "f6", "f8"} <= footer_keys(app), "call keys in the footer")


async def test_missing_capabilities_hide_keys_and_say_why_when_pressed(tmp_path: Path) -> None:
    async with fake_desk(tmp_path, NO_VOICE) as (app, pilot, backend):
        keys = footer_keys(app)
        assert not {"f5", "f6", "f8"} & keys, keys
        assert "f9" in keys  # wrap-up is there on every backend
        await pilot.press("f5")
        await until(pilot, lambda: any(n.message == "Calls: chatty has no phone line"
                                       for n in app._notifications), "the reason toast")
        assert not any(c[0] == "call_action" for c in backend.calls)
        # F1 does not list what this backend cannot do.
        await pilot.press("f1")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "help")
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Hang up" not in shown and "Hold" not in shown and "Wrap-up" in shown
        await pilot.press("escape")
        # The palette offers no call commands either (it lists what the footer has).
        assert "hold" not in {b.binding.action for b in app.desk.active_bindings.values()}


async def test_without_offers_conversations_arrive_as_tabs(tmp_path: Path) -> None:
    async with fake_desk(tmp_path, NO_VOICE) as (app, pilot, backend):
        from agentdesk.domain.events import InteractionChange, InteractionChanged

        backend.push(InteractionChanged(InteractionChange.UPDATED, chat("c2"), T0 + 1))
        await until(pilot, lambda: "c2" in app.desk.views, "the new conversation's tab")
        assert "f2" not in footer_keys(app)  # nothing to accept
        # ... and a backend that shows unassigned work as "take" offers still can.
        backend.push(InteractionChanged(InteractionChange.OFFERED,
                                        chat("c3", InteractionState.OFFERED, agent_id=None), T0 + 2))
        await until(pilot, lambda: "c3" in app.desk.views, "the offer")
        app.desk.activate("c3")
        await pilot.press("f2")
        await until(pilot, lambda: ("accept", "c3") in backend.calls, "take")


async def test_a_scheduled_render_without_widgets_does_nothing(tmp_path: Path) -> None:
    """`_flush` (from a timer or an event) on a screen whose widgets are gone or not
    there yet: it raised NoMatches from `_render_tabs` under load before."""
    async with fake_desk(tmp_path, NO_VOICE) as (app, pilot, backend):
        desk = app.desk
        await desk.query_one(InteractionTabs).remove()
        await desk.query("#banner").remove()
        desk.changed(S.Changes(added={"v1"}, updated={"v1"}, me=True))
        desk._flush()
        desk._tick()
        desk.link_changed(desk.link)
        await pilot.pause(0.1)
        assert app.is_running and app._exception is None


async def test_without_callbacks_the_list_key_says_why_and_the_panel_dial_is_refused(
        tmp_path: Path) -> None:
    """A backend without callbacks or outbound calls (Chatwoot declares both off):
    alt+l says why instead of opening an empty list, and `c` in the customer
    panel is refused in one line, nothing sent."""
    async with fake_desk(tmp_path, Capabilities(backend="fake")) as (app, pilot, backend):
        await pilot.press("alt+l")
        await until(pilot, lambda: any("Callbacks" in str(n.message) for n in app._notifications),
                    "the reason toast")
        assert type(app.screen).__name__ != "CallbacksToday"
        app.desk.dial_customer("c-v1", "Cust v1")
        await until(pilot, lambda: any("Outbound calls" in str(n.message)
                                       for n in app._notifications), "the dial refused")
        assert not any(c[0] == "dial" for c in backend.calls)
