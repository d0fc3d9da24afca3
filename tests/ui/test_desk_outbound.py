"""Dialling, callbacks and the recording notice from the desk, on the real mock
server (manual clock: 09:00 in London, 04:00 in New York): refusals are said in
plain words before anything rings, a callback scheduled from the palette comes
back as an offer at its time, and the call bar prompts for the recording notice."""

from __future__ import annotations

from agentdesk.domain.enums import CallState


def top(desk) -> str:
    return type(desk.app.screen).__name__


async def palette(desk, words: str) -> None:
    await desk.pilot.press("ctrl+p")
    await desk.until(lambda: top(desk) == "CommandPalette", what="palette")
    for ch in words:
        await desk.pilot.press("space" if ch == " " else ch)
    await desk.settle(0.5)
    await desk.pilot.press("enter")


def toasts(desk) -> list[str]:
    return [str(n.message) for n in desk.app._notifications]


def calls_to(desk, customer_id: str) -> list:
    return [i for i in desk.screen.state.interactions.values()
            if i.customer_id == customer_id and i.direction.value == "outbound"]


async def test_dialling_a_customer_from_the_palette(desk_factory):
    async with desk_factory() as desk:
        await palette(desk, "call c0010")
        await desk.until(lambda: calls_to(desk, "c0010"), what="the outbound call in hand")
        call = calls_to(desk, "c0010")[0]
        assert call.call is not None and call.call.state in (CallState.DIALING, CallState.RINGING)
        await desk.until(lambda: call.id in desk.screen.views, what="its tab")
        bar = desk.screen.views[call.id].query_one("CallBar")
        await desk.until(lambda: "Dialling" in str(bar.render()) or "Ringing" in str(bar.render()),
                         what="dialling in the call bar")
        await desk.advance(8)
        await desk.until(lambda: calls_to(desk, "c0010")[0].call.state is CallState.CONNECTED,
                         what="connected")
        await desk.until(lambda: "read the recording notice" in str(bar.render()), what="prompt")


async def test_a_do_not_call_customer_is_refused_in_words(desk_factory):
    async with desk_factory() as desk:
        name = (await desk.probe.get_customer("c0004")).customer.name
        await palette(desk, "call c0004")
        await desk.until(lambda: any("do-not-call" in t for t in toasts(desk)), what="refusal")
        assert f"{name} is on the do-not-call list" in toasts(desk)
        assert not calls_to(desk, "c0004")


async def test_outside_the_calling_window_the_desk_says_why_before_dialling(desk_factory):
    async with desk_factory() as desk:
        sent = []
        submit = desk.screen.controller.sender.submit
        desk.screen.controller.sender.submit = lambda kind, *a, **k: (sent.append(kind),
                                                                       submit(kind, *a, **k))[1]
        await palette(desk, "call c0003")
        await desk.until(lambda: any("America/New_York" in t for t in toasts(desk)),
                         what="the window refusal")
        assert ("It is 04:00 for the customer (America/New_York): calls are allowed "
                "08:00-21:00") in toasts(desk)
        assert not calls_to(desk, "c0003") and sent == []  # nothing went to the server


async def test_a_callback_from_the_palette_comes_back_as_an_offer(desk_factory):
    async with desk_factory() as desk:
        await palette(desk, "callback c0010")
        await desk.until(lambda: top(desk) == "CallbackPicker", what="callback picker")
        await desk.pilot.press("tab")
        for ch in "refund":
            await desk.pilot.press(ch)
        await desk.pilot.press("enter")  # the note: on to the times ("in 1 hour" highlighted)
        await desk.pilot.press("enter")
        await desk.until(lambda: top(desk) != "CallbackPicker", what="picker closed")
        listed = []

        async def scheduled() -> bool:
            listed[:] = await desk.probe.list_callbacks()
            return bool(listed)

        await desk.until_server(scheduled, what="the callback on the server")
        assert len(listed) == 1 and listed[0].note == "refund"
        assert listed[0].at == desk.clock.now + 3600
        await desk.advance(3600)
        await desk.until(lambda: any(i.callback_id == listed[0].id
                                     for i in desk.screen.state.interactions.values()),
                         what="the callback offered")


async def test_the_recording_notice_is_confirmed_from_the_palette(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("voice", customer_id="c0010")
        await desk.until(lambda: desk.screen.state.interactions[iid].call.state
                         is CallState.CONNECTED, what="connected")
        bar = desk.screen.views[iid].query_one("CallBar")
        await desk.until(lambda: "read the recording notice" in str(bar.render()), what="prompt")
        await palette(desk, "customer declines recording")
        await desk.until(lambda: "REC PAUSED" in str(bar.render()), what="recording paused")
        await palette(desk, "confirm the recording")
        await desk.until(lambda: "recording notice" not in str(bar.render()), what="confirmed")


def test_the_rules_line_marks_what_a_rule_forbids():
    from agentdesk.domain.models import Consent, Customer
    from agentdesk.ui.widgets.customer.compliance_line import compliance_line

    assert compliance_line(Customer(id="c1", name="Ada")) is None
    line = compliance_line(Customer(id="c1", name="Ada", dnc=True,
                                    consent=Consent(recording=False, sms=False)))
    assert line is not None
    assert line.plain == "Rules    ⛔ do not call · no recording consent · no SMS"


async def test_the_customer_panel_shows_the_rules(desk_factory):
    async with desk_factory() as desk:
        await desk.offer("email", customer_id="c0004", text="Stop calling me")
        panel = desk.screen.query_one("CustomerPanel")
        await desk.until(lambda: "⛔ do not call" in str(panel._profile_text.render()),
                         what="the rules line")


async def test_a_callback_scheduled_from_wrapup_lands_in_the_notes(desk_factory):
    from textual.widgets import Input

    async with desk_factory() as desk:
        iid = await desk.accepted("voice", customer_id="c0010")
        await desk.until(lambda: desk.screen.state.interactions[iid].call.state
                         is CallState.CONNECTED, what="connected")
        await desk.pilot.press("f8")
        await desk.until(lambda: desk.screen.state.interactions[iid].state.value == "wrapup",
                         what="acw")
        await desk.pilot.press("f9")
        await desk.until(lambda: top(desk) == "WrapupDialog", what="wrap-up dialog")
        await desk.pilot.press("ctrl+b")
        await desk.until(lambda: top(desk) == "CallbackPicker", what="callback picker")
        await desk.pilot.press("enter")  # in 1 hour
        await desk.until(lambda: top(desk) == "WrapupDialog", what="back in wrap-up")
        field = desk.app.screen.query_one("#wrapup-notes", Input)
        await desk.until(lambda: "Callback: " in field.value, what="the callback in the notes")
        listed = []

        async def scheduled() -> bool:
            listed[:] = await desk.probe.list_callbacks()
            return bool(listed)

        await desk.until_server(scheduled, what="the callback on the server")
        assert [cb.customer_id for cb in listed] == ["c0010"]
        assert listed[0].at == desk.clock.now + 3600


async def test_the_customer_panel_shows_local_time_and_marks_outside_hours(desk_factory):
    async with desk_factory() as desk:
        await desk.accepted("email", customer_id="c0003", text="Call me after work")  # New York
        panel = desk.screen.query_one("CustomerPanel")

        def profile() -> str:
            return str(panel._profile_text.render())

        await desk.until(lambda: "Local" in profile(), what="the local time line")
        assert ("Local    04:00 America/New_York\n         ⚠ outside 08:00-21:00"
                in profile())
        await desk.advance(4 * 3600 + 60)  # 08:01 in New York
        panel.refresh_local_time()  # what the per-minute timer calls
        await desk.until(lambda: "08:01 America/New_York" in profile(), what="a new minute")
        assert "outside" not in profile()


async def test_the_callback_picker_greys_times_outside_the_customer_hours(desk_factory):
    from textual.widgets import OptionList

    async with desk_factory() as desk:  # 09:00 UTC: 04:00 in New York
        await palette(desk, "callback c0003")
        await desk.until(lambda: top(desk) == "CallbackPicker", what="callback picker")
        options = desk.app.screen.query_one("#callback-times", OptionList).options
        assert [o.disabled for o in options] == [True, True, True, False, True, False, False]
        assert "04:30 local · outside 08:00-21:00" in str(options[0].prompt)
        await desk.pilot.press("enter")  # the first time allowed: in 4 hours, 08:00 there
        await desk.until(lambda: top(desk) != "CallbackPicker", what="picker closed")
        listed = []
        for _ in range(100):
            listed = await desk.probe.list_callbacks()
            if listed:
                break
            await desk.pilot.pause(0.05)
        assert [cb.at for cb in listed] == [desk.clock.now + 4 * 3600]


async def test_a_do_not_call_customer_gets_no_callback_picker(desk_factory):
    async with desk_factory() as desk:
        name = (await desk.probe.get_customer("c0004")).customer.name
        await palette(desk, "callback c0004")
        await desk.until(lambda: f"{name} is on the do-not-call list" in toasts(desk),
                         what="refused at once")
        assert top(desk) != "CallbackPicker" and await desk.probe.list_callbacks() == []
