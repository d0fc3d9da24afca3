"""InteractionView: state line countdowns, composer state, per-view drafts."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from textual.containers import Horizontal  # noqa: E402
from widget_data import T0, call, chat_scene, interaction  # noqa: E402
from widget_harness import UTC, WidgetApp  # noqa: E402

from agentdesk.domain.models import CallState, Channel, InteractionState  # noqa: E402
from agentdesk.ui.widgets.composer import Composer  # noqa: E402
from agentdesk.ui.widgets.interaction import InteractionView  # noqa: E402


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_the_view_counts_down_the_same_second_as_the_banner_and_the_tab() -> None:
    """Mid-second the view's "16 s" and the banner's and tab's "0:16" agree (the
    view rounded up: "17 s" next to "0:16 left")."""
    from agentdesk.ui.screens.desk_support import offer_line
    from agentdesk.ui.timefmt import duration

    clock = Clock(T0 + 0.4)
    offered = interaction(Channel.CHAT, InteractionState.OFFERED, offer_expires_at=T0 + 17)
    app = WidgetApp(lambda: InteractionView(offered, clock, tz=UTC))
    async with app.run_test(size=(100, 30)):
        view = app.query_one(InteractionView)
        assert view.state_text.endswith(", 16 s")
        assert "0:16 left" in offer_line(offered, clock.now).plain
        assert duration(max(0.0, T0 + 17 - clock.now)) == "0:16"  # the tab's countdown
        view.update_interaction(offered.model_copy(update={"state": InteractionState.WRAPUP,
                                                           "acw_deadline": T0 + 43}))
        assert view.state_text.endswith(", 42 s left")


async def test_offer_countdown_then_active_then_wrapup_then_closed() -> None:
    clock = Clock(T0)
    offered = interaction(Channel.CHAT, InteractionState.OFFERED, offer_expires_at=T0 + 17)
    app = WidgetApp(lambda: InteractionView(offered, clock, tz=UTC))
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(InteractionView)
        assert view.call_bar is None
        assert view.state_text == "Incoming chat - F2 accept, F3 reject, 17 s"
        assert view.composer.disabled_reason is not None
        clock.now += 3
        view.tick()
        assert view.state_text.endswith("14 s")
        view.update_interaction(offered.model_copy(update={"state": InteractionState.ACTIVE}))
        await pilot.pause()
        assert view.state_text == "" and view.composer.disabled_reason is None
        view.update_interaction(offered.model_copy(update={"state": InteractionState.WRAPUP,
                                                           "acw_deadline": clock.now + 43}))
        assert view.state_text == "After-contact work - F9 to wrap up, 43 s left"
        clock.now += 50
        view.tick()
        assert view.state_text == "After-contact work - F9 to wrap up, 0 s left"
        view.update_interaction(offered.model_copy(update={"state": InteractionState.CLOSED,
                                                           "disposition": "resolved"}))
        await pilot.pause()
        assert view.state_text == "Closed (resolved) - read only"
        assert view.has_class("-closed") and view.composer.disabled_reason


async def test_voice_view_has_a_call_bar_and_one_timer() -> None:
    clock = Clock(T0 + 30)
    voice = interaction(Channel.VOICE, call=call(CallState.CONNECTED))
    app = WidgetApp(lambda: InteractionView(voice, clock, tz=UTC))
    async with app.run_test(size=(100, 30)):
        view = app.query_one(InteractionView)
        assert view.call_bar is not None
        assert "00:30" in str(view.call_bar.render())
        assert view.composer.kind == "note"
        clock.now += 5
        view.tick()
        assert "00:35" in str(view.call_bar.render())
        view.update_interaction(voice.model_copy(update={"call": call(CallState.HELD, held_since=T0 + 35)}))
        assert "On hold" in str(view.call_bar.render())
        countdowns = [t for t in view._timers if t.name == "interaction-countdown"]
        assert len(countdowns) == 1


async def test_two_views_side_by_side_keep_their_own_drafts() -> None:
    messages: list = []
    clock = Clock(T0)
    first = interaction(Channel.CHAT)
    second = interaction(Channel.SMS, id="int-10")
    app = WidgetApp(lambda: Horizontal(InteractionView(first, clock, tz=UTC, id="left"),
                                       InteractionView(second, clock, tz=UTC, id="right")))
    async with app.run_test(size=(120, 30), message_hook=messages.append) as pilot:
        left = app.query_one("#left", InteractionView)
        right = app.query_one("#right", InteractionView)
        left.timeline.set_items(chat_scene(), has_more=False)
        left.composer.focus_body()
        await pilot.press("a", "b")
        right.composer.focus_body()
        await pilot.press("z", "enter")
        await pilot.pause()
        assert left.composer.text == "ab" and right.composer.text == ""
        sent = {id(m): m for m in messages if isinstance(m, Composer.Submitted)}
        assert [(m.interaction_id, m.body) for m in sent.values()] == [("int-10", "z")]


async def test_state_line_and_call_bar_name_the_remapped_keys() -> None:
    """Issue 14 item 9: remapped keys show where the view names them."""
    clock = Clock(T0)
    offered = interaction(Channel.VOICE, InteractionState.OFFERED, offer_expires_at=T0 + 9,
                          call=call(CallState.RINGING, connected_at=None))
    app = WidgetApp(lambda: InteractionView(offered, clock, tz=UTC))
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(InteractionView)
        view.set_keys({"offer-accept": "^a", "wrapup": "^w", "call-hangup": "^x", "offer-reject": "f3"})
        assert view.state_text == "Incoming call - ^a accept, F3 reject, 9 s"  # 'f3' shown as the footer does
        view.update_interaction(offered.model_copy(update={
            "state": InteractionState.ACTIVE, "call": call(CallState.CONNECTED)}))
        await pilot.pause()
        assert view.call_bar is not None and "^x hang up" in str(view.call_bar.render())
        view.update_interaction(offered.model_copy(update={
            "state": InteractionState.WRAPUP, "acw_deadline": T0 + 40,
            "call": call(CallState.ENDED, ended_at=T0)}))
        assert view.state_text == "After-contact work - ^w to wrap up, 40 s left"
        assert "^w wrap up" in str(view.call_bar.render())
