"""Issue 14 item 9: the offer banner, state line and call bar name the keys
bound now, written as the footer writes them (F2, not f2)."""

from __future__ import annotations

import re

from agentdesk.domain.enums import CallState

KEYMAP = {"wrapup": "ctrl+w", "offer-accept": "f2,ctrl+a", "call-hold": "f12"}


async def test_offer_banner_writes_function_keys_as_the_footer_does(desk_factory):
    async with desk_factory(keymap=KEYMAP) as desk:
        await desk.offer("chat")
        await desk.until(lambda: desk.screen.query_one("#banner").display, what="banner")
        text = str(desk.screen.query_one("#banner").render())
        assert "F2 accept" in text and "F3 reject" in text, text
        assert "f2 accept" not in text
        # agentdesk/1 offers expire: the countdown stays.
        assert re.search(r"\d+:\d\d left", text), text


async def test_call_bar_and_state_line_show_remapped_keys(desk_factory):
    async with desk_factory(keymap=KEYMAP) as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen
        view = screen.views[iid]
        await desk.until(lambda: screen.state.interactions[iid].call is not None
                         and screen.state.interactions[iid].call.state is CallState.CONNECTED,
                         what="connected")
        await desk.settle()
        keys = view.call_bar.keys
        assert keys["call-hold"] == "F12", keys
        await desk.pilot.press("f8")
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="acw")
        await desk.settle()
        assert "^w to wrap up" in view.state_text, view.state_text
