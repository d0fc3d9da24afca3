"""CallBar timers with a frozen clock, and the DTMF keypad."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "data")]

from textual.widgets import Static  # noqa: E402
from widget_data import T0, call  # noqa: E402
from widget_harness import WidgetApp  # noqa: E402

from agentdesk.domain.models import CallState  # noqa: E402
from agentdesk.ui.widgets.call import CallBar, DtmfPad  # noqa: E402
from agentdesk.ui.widgets.call.call_bar import format_duration, talk_seconds  # noqa: E402


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def bar_text(bar: CallBar) -> str:
    return str(bar.render())


def test_talk_time_excludes_hold() -> None:
    info = call(CallState.HELD, held_since=T0 + 100, hold_total_s=30.0)
    assert talk_seconds(info, T0 + 160) == 160 - 30 - 60
    ended = call(CallState.ENDED, ended_at=T0 + 50, hold_total_s=10.0)
    assert talk_seconds(ended, T0 + 9999) == 40
    assert format_duration(59) == "00:59" and format_duration(3725) == "1:02:05"


async def test_the_call_timer_ticks_without_a_layout_pass() -> None:
    """Every second of a call the bar is redrawn: as a repaint, its size never
    depends on what it says (a layout pass of the whole desk each second, before)."""
    clock = Clock(T0 + 65)
    app = WidgetApp(lambda: CallBar(call(CallState.CONNECTED), clock))
    async with app.run_test(size=(100, 10)) as pilot:
        bar = app.query_one(CallBar)
        await pilot.pause()
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(bar, layouts.append, immediate=True)
        for _ in range(3):
            clock.now += 1
            bar.tick()
            await pilot.pause()
        assert "Connected  01:08" in bar_text(bar)
        assert layouts == []


async def test_call_bar_timer_with_a_frozen_clock() -> None:
    clock = Clock(T0 + 65)
    app = WidgetApp(lambda: CallBar(call(CallState.CONNECTED, dtmf="0123456789*#12345"), clock))
    async with app.run_test(size=(100, 10)) as pilot:
        bar = app.query_one(CallBar)
        text = bar_text(bar)
        assert "Connected  01:05" in text
        assert "DTMF 56789*#12345" in text  # the last 12 digits
        assert "F5 hold" in text and "F8 hang up" in text and "ctrl+d keypad" in text
        clock.now += 10
        assert "01:05" in bar_text(bar)  # nothing moves until the owner ticks
        bar.tick()
        assert "Connected  01:15" in bar_text(bar)
        bar.update_call(call(CallState.HELD, held_since=T0 + 70, muted=True))
        await pilot.pause()
        text = bar_text(bar)
        assert "On hold  00:05" in text and "talk 01:10" in text and "MUTED" in text
        assert "F5 resume" in text and bar.has_class("-held")
        bar.update_call(call(CallState.RINGING, connected_at=None))
        assert "Ringing" in bar_text(bar) and bar.has_class("-ringing")
        assert bar.hints() == [("F8", "hang up")]  # an outbound call ringing can be cancelled
        # An inbound offer ringing is not the agent's call yet: F2/F3 on the banner decide,
        # nothing here to hang up (the footer agrees: key_applies).
        bar.update_call(call(CallState.RINGING, connected_at=None), offered=True)
        assert bar.hints() == [] and "hang up" not in bar_text(bar)
        bar.update_call(None)
        assert "No call" in bar_text(bar)


async def test_dtmf_pad_typed_and_clicked_digits() -> None:
    results: list = []
    app = WidgetApp(lambda: Static("call"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(DtmfPad(), results.append)
        await pilot.pause()
        await pilot.press("1", "2", "x", "#", "backspace", "*")
        await pilot.click("#dtmf-0")
        await pilot.click("#dtmf-hash")
        pad = app.screen
        assert isinstance(pad, DtmfPad) and pad.digits == "12*0#"
        assert "12*0#" in str(app.screen.query_one("#dtmf-digits", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        assert results == ["12*0#"]
        app.push_screen(DtmfPad(), results.append)
        await pilot.pause()
        await pilot.press("9", "escape")
        await pilot.pause()
        assert results == ["12*0#", None]


async def test_call_bar_labels_say_what_each_bound_key_does_now() -> None:
    """Issue 14 item 9: 'F6 unmute' while muted, 'F5 resume' while held, no
    hold / hang-up keys after the call ended, and the keys the desk bound."""
    clock = Clock(T0 + 65)
    app = WidgetApp(lambda: CallBar(call(CallState.CONNECTED, muted=True), clock))
    async with app.run_test(size=(100, 10)) as pilot:
        bar = app.query_one(CallBar)
        text = bar_text(bar)
        assert "F6 unmute" in text and "F6 mute" not in text and "F5 hold" in text
        bar.update_call(call(CallState.HELD, held_since=T0 + 60))
        text = bar_text(bar)
        assert "F5 resume" in text and "F6 mute" in text and "F5 hold" not in text
        bar.set_keys({"call-hold": "^h", "call-mute": "f12", "call-hangup": "^x"})
        await pilot.pause()
        text = bar_text(bar)
        assert "^h resume" in text and "F12 mute" in text and "^x hang up" in text
        assert "F5" not in text and "F6" not in text
        bar.update_call(call(CallState.ENDED, ended_at=T0 + 64))
        text = bar_text(bar)
        assert "Ended" in text
        for gone in ("resume", "hold", "mute", "hang up", "transfer", "keypad"):
            assert gone not in text.split("\n")[1]
        assert "F9 wrap up" in text
        bar.update_call(call(CallState.CONNECTED, consult_agent_id="agent5"))
        assert "F7 consult…" in bar_text(bar)


async def test_call_bar_shows_the_consult_and_the_consult_dialog_offers_what_applies() -> None:
    """Issue 14 item 3 (widget side)."""
    from textual.widgets import OptionList

    from agentdesk.ui.modals.consult_dialog import ConsultDialog

    clock = Clock(T0 + 65)
    held = call(CallState.HELD, held_since=T0 + 60, consult_agent_id="agent5", consult_state="talking")
    app = WidgetApp(lambda: CallBar(held, clock))
    results: list[str | None] = []
    async with app.run_test(size=(120, 20)) as pilot:
        bar = app.query_one(CallBar)
        bar.set_agent_names({"agent5": "Agent 5"})
        text = bar_text(bar)
        assert "consulting Agent 5 (talking, customer on hold)" in text
        assert "resume" not in text and "F7 consult…" in text
        assert [a for a, _ in ConsultDialog.choices("ringing")] == ["consult_cancel"]
        assert [a for a, _ in ConsultDialog.choices("conference")] == ["consult_complete", "consult_cancel"]
        app.push_screen(ConsultDialog("Alfie Wright", "Agent 5", "talking"), results.append)
        await pilot.pause()
        assert [o.id for o in app.screen.query_one(OptionList).options] == [
            "consult_complete", "conference", "consult_cancel"]
        await pilot.press("down", "enter")
        assert results == ["conference"]


async def test_call_bar_leads_with_the_recording_notice_key_until_it_is_answered() -> None:
    """Issue 17: the disclosure prompt names the key that records the answer."""
    clock = Clock(T0 + 65)
    app = WidgetApp(lambda: CallBar(call(CallState.CONNECTED, disclosure="pending"), clock))
    async with app.run_test(size=(100, 10)) as pilot:
        bar = app.query_one(CallBar)
        status, keys = bar_text(bar).split("\n")
        assert "read the recording notice" in status
        assert keys.startswith("ctrl+r notice")
        bar.set_keys({"call-disclosure": "f11"})
        await pilot.pause()
        assert bar_text(bar).split("\n")[1].startswith("F11 notice")
        bar.update_call(call(CallState.CONNECTED, disclosure="declined", recording=False))
        status, keys = bar_text(bar).split("\n")
        assert "REC PAUSED" in status and keys.startswith("F11 resume recording")
        bar.update_call(call(CallState.CONNECTED, disclosure="confirmed"))
        status, keys = bar_text(bar).split("\n")
        assert "notice" not in status + keys and "F11" not in keys


async def test_a_long_call_state_never_pushes_the_keys_out_of_the_bar() -> None:
    """At 80 columns a consult, MUTED, DTMF and the notice did not fit: the
    state line wrapped and the keys line fell out of the two-row bar."""
    clock = Clock(T0 + 65)
    busy = call(CallState.HELD, held_since=T0 + 60, muted=True, dtmf="1234567890",
                disclosure="pending", consult_agent_id="agent5", consult_state="talking")
    app = WidgetApp(lambda: CallBar(busy, clock))
    async with app.run_test(size=(60, 10)) as pilot:
        bar = app.query_one(CallBar)
        bar.set_agent_names({"agent5": "Agent 5"})
        await pilot.pause()
        status, keys = bar_text(bar).split("\n")
        width = bar.content_region.width
        assert len(status) <= width and status.endswith("…")
        assert keys.startswith("ctrl+r notice") and "F7 consult…" in keys
        await pilot.resize_terminal(120, 10)
        await pilot.pause()
        assert "consulting Agent 5" in bar_text(bar).split("\n")[0]


async def test_the_disclosure_dialog_offers_what_applies() -> None:
    from textual.widgets import OptionList

    from agentdesk.ui.modals.disclosure_dialog import DisclosureDialog

    assert [a for a, _ in DisclosureDialog.choices("pending", True)] == ["confirm", "decline"]
    assert [a for a, _ in DisclosureDialog.choices("confirmed", True)] == ["decline"]
    assert [a for a, _ in DisclosureDialog.choices("declined", False)] == ["resume"]
    app = WidgetApp(lambda: Static("call"))
    results: list[str | None] = []
    async with app.run_test(size=(100, 20)) as pilot:
        app.push_screen(DisclosureDialog("Alfie Wright", "pending", True), results.append)
        await pilot.pause()
        assert [o.id for o in app.screen.query_one(OptionList).options] == ["confirm", "decline"]
        await pilot.press("down", "enter")
        assert results == ["decline"]
