"""Integration of the desk with the native client: re-login, reissued retries,
subscribe-before-snapshot, sender vs link, the presence menu's cursor.
Real mock server, real client, Pilot."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

from agentdesk.backends.base import LinkState, LinkStatus, StreamItem
from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import Direction, Presence
from agentdesk.store.outbox import OutboxKind
from agentdesk.testing.mockserver import running_server
from agentdesk.ui.app import make_app
from agentdesk.ui.widgets.composer.composer import Composer

sys.path.insert(0, str(Path(__file__).parent))

from conftest import Desk, FrozenClock


def _screen_name(desk: Desk) -> str:
    return type(desk.app.screen).__name__


async def _sign_in_again(desk: Desk, password: str = "demo") -> None:
    await desk.until(lambda: _screen_name(desk) == "ReloginDialog", what="re-login dialog")
    # Type only once the password field has focus (on a loaded machine the dialog
    # can be on screen a moment before its on_mount moved the focus there).
    await desk.until(lambda: getattr(desk.app.focused, "id", None) == "relogin-password",
                     what="password field focused")
    for ch in password:
        await desk.pilot.press(ch)
    await desk.pilot.press("enter")
    await desk.until(lambda: desk.app.screen is desk.screen, timeout=15, what="dialog closed")


class RecordingBackend(NativeBackend):
    """The native client, noting when the stream connects and when snapshots load."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log: list[str] = []

    def events(self) -> AsyncIterator[StreamItem]:
        inner = super().events()

        async def follow() -> AsyncIterator[StreamItem]:
            async for item in inner:
                if isinstance(item, LinkStatus):
                    self.log.append(f"link:{item.state.value}")
                yield item

        return follow()

    async def me(self) -> Any:
        self.log.append("me")
        return await super().me()


@asynccontextmanager
async def _desk_with_token(tmp: Path, token: str | None) -> AsyncIterator[Desk]:
    """A desk whose backend starts with `token` (None: signed in as agent1)."""
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True, seed=7) as server:
        backend = RecordingBackend(server.url)
        if token is None:
            await backend.login("agent1", "demo")
        else:
            backend._api.token = token  # a token this server never issued
        probe = NativeBackend(server.url)
        await probe.login("agent1", "demo")
        await probe.set_presence(Presence.AVAILABLE)
        sim = SimControl(server.url)
        clock = FrozenClock(await sim.now())
        app = make_app(backend, clock=clock, username="agent1", store_path=tmp / "desk.db",
                       tz=UTC)
        resumed: list[int] = []
        original_resume = app.sender.resume

        def counting_resume() -> None:
            resumed.append(1)
            original_resume()

        app.sender.resume = counting_resume  # type: ignore[method-assign]
        app.resumed = resumed  # type: ignore[attr-defined]
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                desk = Desk(app, pilot, sim, server, clock, probe)
                await desk.until(lambda: app.desk is not None, what="desk screen")
                yield desk
        finally:
            await sim.aclose()
            await probe.close()
            await backend.close()


async def test_unknown_token_at_start_asks_to_sign_in_once_then_works(tmp_path):
    async with _desk_with_token(tmp_path, "not-a-token-of-this-server") as desk:
        await desk.until(lambda: _screen_name(desk) == "ReloginDialog", what="re-login dialog")
        # the stream keeps retrying meanwhile: still one dialog, not one per retry
        await desk.settle(1.5)
        assert sum(type(s).__name__ == "ReloginDialog" for s in desk.app.screen_stack) == 1
        await _sign_in_again(desk)
        screen = desk.screen
        await desk.until(lambda: screen.link.state is LinkState.CONNECTED, what="link up")
        await desk.until(lambda: screen.state.agent is not None, what="snapshot loaded")
        iid = await desk.offer("chat", text="hello after sign-in")
        assert screen.state.interactions[iid].state.value == "offered"


async def test_token_revoked_mid_session_asks_to_sign_in_and_keeps_work(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        iid = await desk.accepted("chat", text="hi")
        composer = screen.views[iid].composer
        composer.insert_text("half-written answer")
        await desk.settle(0.3)
        backend = desk.app.backend
        del desk.server.server.auth.tokens[backend.token]  # the server forgets the session
        await backend.reconnect()
        await desk.until(lambda: _screen_name(desk) == "ReloginDialog", what="re-login dialog")
        await desk.settle(1.0)
        assert sum(type(s).__name__ == "ReloginDialog" for s in desk.app.screen_stack) == 1
        await _sign_in_again(desk)
        await desk.until(lambda: screen.link.state is LinkState.CONNECTED, what="link up")
        assert "half-written answer" in screen.views[iid].composer.text
        await desk.sim.customer_message(iid, "are you still there?")
        view = screen.views[iid]
        await desk.until(lambda: any(i.body == "are you still there?" for i in view.timeline.items),
                         what="live events after sign-in")


async def test_command_refused_with_401_asks_to_sign_in_and_sends_after(desk_factory):
    async with desk_factory() as desk:
        desk.app.backend._api.token = "revoked"  # commands now answer 401
        await desk.pilot.press("f4")
        await desk.until(lambda: _screen_name(desk) == "PresenceMenu", what="menu")
        await desk.pilot.press("down", "enter")  # Break
        await _sign_in_again(desk)
        await desk.until(lambda: not desk.app.sender.pending(), what="queued command sent")

        async def presence() -> Presence:
            _user, agent = await desk.probe.me()
            return agent.presence

        assert await presence() is Presence.BREAK


async def test_refused_message_is_resent_under_a_new_key_and_shown_once(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        iid = await desk.offer("chat", text="hello")
        view = screen.views[iid]
        await desk.until(lambda: view.is_mounted, what="view mounted")
        # a reply before accepting: the server refuses it (409)
        view.composer.post_message(Composer.Submitted(view.composer, iid, "early reply", "reply", None, []))
        await desk.until(lambda: any(i.client_id and view.timeline._delivery.get(i.client_id, ("",))[0] == "failed"
                                     for i in view.timeline.items), what="failed delivery")
        old = next(i.client_id for i in view.timeline.items if i.body == "early reply")
        await desk.pilot.press("f2")
        await desk.until(lambda: screen.state.interactions[iid].state.value == "active", what="accepted")
        view.timeline.focus()
        await desk.pilot.press("r")
        await desk.until(lambda: not desk.app.sender.pending(), what="resent")
        await desk.until(lambda: any(i.body == "early reply" and not i.id.startswith("pending:")
                                     for i in view.timeline.items), what="echo")
        shown = [i for i in view.timeline.items if i.body == "early reply"]
        assert len(shown) == 1 and shown[0].client_id != old
        assert view.timeline._delivery[shown[0].client_id][0] == "sent"
        page = await desk.probe.get_timeline(screen.state.interactions[iid].customer_id, limit=50)
        sent = [i for i in page.items if i.direction is Direction.OUTBOUND and i.body == "early reply"]
        assert len(sent) == 1


async def test_subscribes_before_loading_snapshots_and_resumes_sender(tmp_path):
    async with _desk_with_token(tmp_path, None) as desk:
        await desk.until(lambda: desk.screen.state.agent is not None, what="snapshot loaded")
        log = desk.app.backend.log
        assert "link:connected" in log and "me" in log
        assert log.index("link:connected") < log.index("me")
        assert desk.app.resumed  # the link came up: the sender was told to try now


async def test_presence_menu_starts_on_available(desk_factory):
    async with desk_factory(available=False) as desk:
        await desk.pilot.press("f4")
        await desk.until(lambda: _screen_name(desk) == "PresenceMenu", what="menu")
        await desk.pilot.press("enter")
        await desk.until(lambda: desk.screen.state.agent.presence is Presence.AVAILABLE, what="available")


async def test_presence_menu_enter_on_current_presence_just_closes(desk_factory):
    async with desk_factory() as desk:
        await desk.pilot.press("f4")
        await desk.until(lambda: _screen_name(desk) == "PresenceMenu", what="menu")
        await desk.pilot.press("enter")
        await desk.until(lambda: desk.app.screen is desk.screen, what="menu closed")
        await desk.settle(0.3)
        assert not [i for i in desk.app.outbox.items() if i.kind is OutboxKind.PRESENCE]


async def test_background_tab_burst_is_complete_and_pinned_when_shown(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        a = await desk.accepted("chat", text="first")
        b = await desk.accepted("chat", text="second")
        screen.activate(a)
        await desk.settle()
        for n in range(30):
            await desk.sim.customer_message(b, f"burst {n}")
        timeline = screen.views[b].timeline
        await desk.until(lambda: any(i.body == "burst 29" for i in timeline.items), what="burst")
        screen.activate(b)
        await desk.settle(0.3)
        assert timeline.virtual_size.height == timeline._total_lines
        assert timeline.pinned and timeline.scroll_offset.y == timeline.max_scroll_y
        # the bottom of the burst is what shows
        assert "burst 29" in "".join(timeline.render_line(y).text for y in range(timeline.size.height))
