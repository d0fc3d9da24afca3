"""F9 opens with a drafted summary of the contact (domain/summary.py), built
from the call transcript on the real mock server; the agent edits and sends it."""

from __future__ import annotations

from textual.widgets import Input

from agentdesk.domain.enums import CallState


def top(desk) -> str:
    return type(desk.app.screen).__name__


async def test_wrapup_opens_with_the_drafted_summary(desk_factory):
    async with desk_factory(size=(120, 40)) as desk:
        iid = await desk.accepted("voice", topic="update-personal-details")
        screen = desk.screen
        await desk.until(lambda: screen.state.interactions[iid].call is not None
                         and screen.state.interactions[iid].call.state is CallState.CONNECTED,
                         what="connected")
        await desk.advance(60)  # the whole scripted call is said (a segment every 4 s)
        await desk.pilot.press("f8")
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="acw")
        await desk.pilot.press("f9")
        await desk.until(lambda: top(desk) == "WrapupDialog", what="wrap-up dialog")
        notes = desk.app.screen.query_one("#wrapup-notes", Input).value
        assert notes.startswith("Reason: I got married and want to change my name on the account.")
        assert "Promised: We update it within 5 working days." in notes
        assert "(Technical support > " in notes or "(Account > " in notes  # the IVR path


async def test_an_email_draft_holds_only_what_was_said(desk_factory):
    async with desk_factory(size=(120, 40)) as desk:
        iid = await desk.accepted("email", text=None)
        screen = desk.screen
        await desk.pilot.press("f9")
        await desk.until(lambda: top(desk) == "WrapupDialog", what="wrap-up dialog")
        notes = desk.app.screen.query_one("#wrapup-notes", Input).value
        # an email has a customer message: the reason is drafted, nothing else invented
        assert notes.startswith("Reason: ") and "Promised" not in notes
        assert iid in screen.state.interactions
