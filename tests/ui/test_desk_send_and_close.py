"""Issue 14, also expected: send-and-close. One key sends the reply and opens
the wrap-up; it is remappable and shown in the footer, F1 and the palette; a
send the composer refuses opens nothing and keeps the text."""

from __future__ import annotations

from agentdesk.ui.commands.providers import InteractionCommands
from agentdesk.ui.keymap import DESK_BINDINGS
from agentdesk.ui.modals.help_screen import help_rows


def _top(desk) -> str:
    return type(desk.app.screen).__name__


async def _type(desk, text: str) -> None:
    for ch in text:
        await desk.pilot.press("space" if ch == " " else ch)


async def test_one_key_sends_the_reply_then_opens_the_wrap_up(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat", text="can you confirm?")
        screen = desk.screen
        await _type(desk, "Confirmed, bye")
        await desk.pilot.press("ctrl+g")
        await desk.until(lambda: _top(desk) == "WrapupDialog", what="wrap-up dialog")
        await desk.until(lambda: any(i.body == "Confirmed, bye"
                                     for i in screen.views[iid].timeline.items), what="reply sent")
        customer = screen.state.interactions[iid].customer_id
        sent = [i for i in (await desk.probe.get_timeline(customer)).items if i.body == "Confirmed, bye"]
        assert sent, "the reply reached the server"
        await desk.pilot.press("enter")
        await desk.until(lambda: iid not in screen.views, what="wrapped up")


async def test_remapped_and_shown_in_footer_help_and_palette(desk_factory):
    assert any(b.id == "composer-send-close" for b in DESK_BINDINGS)
    async with desk_factory(keymap={"composer-send-close": "alt+y"}) as desk:
        iid = await desk.accepted("chat", text="hello")
        screen = desk.screen
        footer = [strip.text for strip in desk.app.screen._compositor.render_strips()][-1]
        assert "alt+y Send+wrap up" in footer, footer
        palette = [c for c in InteractionCommands.commands(None, screen) if "send the reply" in c[0]]
        assert len(palette) == 1 and palette[0][3].startswith("alt+y"), palette
        help_keys = {d: k for _, rows in help_rows(desk.app.desk.services.keymap or {}) for k, d in rows}
        assert help_keys.get("Send+wrap up") == "alt+y", help_keys
        await desk.pilot.press("ctrl+g")  # the old key does nothing now
        await desk.settle()
        assert _top(desk) == "DeskScreen"
        await desk.pilot.press("alt+y")  # nothing typed: says so, opens nothing
        await desk.settle()
        assert _top(desk) == "DeskScreen"
        await _type(desk, "Done")
        await desk.pilot.press("alt+y")
        await desk.until(lambda: _top(desk) == "WrapupDialog", what="wrap-up after alt+y")
        await desk.pilot.press("escape")
        await desk.until(lambda: _top(desk) == "DeskScreen", what="back")
        assert iid in screen.views
