"""QA fixes: the offer banner whatever tab is active, the split pane with the
keyboard as the current interaction, the palette's Quit asking first, and the
wrap-up dialog when the ACW time runs out. Real mock server, Pilot."""

from __future__ import annotations


def _banner(desk) -> str:
    banner = desk.screen.query_one("#banner")
    return str(banner.render()) if banner.display else ""


def _toasts(desk) -> list[str]:
    return [str(n.message) for n in desk.app._notifications]


async def _type(desk, text):
    for ch in text:
        await desk.pilot.press("space" if ch == " " else ch)


async def test_offer_banner_while_another_chat_is_focused(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        a = await desk.accepted("chat", text="first customer")
        await desk.until(lambda: screen.views[a].composer.has_focus_within, what="composer focused")
        assert _banner(desk) == ""
        b = await desk.offer("chat", text="second customer")
        await desk.settle()
        assert screen.active_id == a  # the open chat stays in front
        name = screen.state.interactions[b].customer_name
        await desk.until(lambda: "offer" in _banner(desk) and name in _banner(desk),
                         what=f"offer banner, got {_banner(desk)!r}")
        assert "F2 accept" in _banner(desk) and "F3 reject" in _banner(desk)
        await desk.pilot.press("f2")
        await desk.until(lambda: screen.state.interactions[b].state.value == "active", what="offer accepted")
        assert screen.state.interactions[a].state.value == "active"
        await desk.until(lambda: "offer" not in _banner(desk), what="banner gone")


async def test_f3_rejects_the_ringing_offer_not_the_open_email(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        a = await desk.accepted("email", subject="invoice", text="where is my invoice")
        b = await desk.offer("chat", text="hello?")
        await desk.settle()
        assert screen.active_id == a
        assert "Chat offer" in _banner(desk)
        await desk.pilot.press("f3")
        await desk.until(lambda: type(desk.app.screen).__name__ == "RejectDialog", what="reasons")
        await desk.pilot.press("enter")
        await desk.until(lambda: b not in screen.state.interactions, what="offer rejected")
        assert screen.state.interactions[a].state.value == "active"


async def _split_with_focus_right(desk):
    screen = desk.screen
    a = await desk.accepted("chat", text="first")
    b = await desk.accepted("chat", text="second")
    screen.activate(a)
    await desk.pilot.press("ctrl+backslash")
    await desk.settle()
    assert screen.active_id == a and screen.split_id == b
    screen.views[b].composer.focus_body()
    await desk.settle()
    return a, b


async def test_split_focused_pane_is_the_current_interaction(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        a, b = await _split_with_focus_right(desk)
        assert screen.current_id == b
        assert screen.active_interaction().id == b
        # the side column follows the pane with the keyboard
        customer_b = screen.state.interactions[b].customer_id
        await desk.until(lambda: screen.query_one("#customer")._detail is not None
                         and screen.query_one("#customer")._detail.customer.id == customer_b,
                         what="customer panel shows B")
        await desk.pilot.press("f7")
        await desk.until(lambda: type(desk.app.screen).__name__ == "TransferDialog", what="transfer dialog")
        assert desk.app.screen.customer == screen.state.interactions[b].customer_name
        await desk.pilot.press("escape")
        await desk.settle()
        # a message in the focused pane is read, with no "new message" toast
        await desk.sim.customer_message(b, "are you there?")
        await desk.until(lambda: any(i.body == "are you there?" for i in screen.views[b].timeline.items),
                         what="message shown")
        await desk.settle(1.2)
        assert screen.state.unread.get(b, 0) == 0
        assert not any("new message" in t for t in _toasts(desk)), _toasts(desk)
        # focus back in the left pane: A is current again
        screen.views[a].composer.focus_body()
        await desk.settle()
        assert screen.current_id == a


async def test_palette_quit_asks_first_with_open_work(desk_factory):
    async with desk_factory() as desk:
        await desk.accepted("chat", text="still talking")
        commands = {c.title: c for c in desk.app.get_system_commands(desk.app.screen)}
        assert commands["Quit"].callback == desk.app.action_request_quit
        assert "Theme" in commands  # the other system commands are kept
        await desk.pilot.press("ctrl+p")
        await desk.until(lambda: type(desk.app.screen).__name__ == "CommandPalette", what="palette")
        await _type(desk, "quit")
        await desk.settle(0.5)
        await desk.pilot.press("enter")
        await desk.until(lambda: type(desk.app.screen).__name__ == "QuitDialog", what="quit dialog")
        assert desk.app.is_running


async def test_wrapup_dialog_closes_when_acw_runs_out(desk_factory):
    async with desk_factory() as desk:
        screen = desk.screen
        iid = await desk.accepted("chat", text="thanks, bye")
        await desk.sim.end(iid)
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="ACW")
        await desk.pilot.press("f9")
        await desk.until(lambda: type(desk.app.screen).__name__ == "WrapupDialog", what="dialog")
        dialog = desk.app.screen
        dialog.query_one("#wrapup-notes").value = "refund promised"
        await desk.settle()
        deadline = screen.state.interactions[iid].acw_deadline
        # the last second: never negative
        desk.clock.now = deadline + 15  # the desk's clock runs ahead of the server
        dialog._tick()
        timer = str(dialog.query_one("#wrapup-timer").render())
        assert "-" not in timer and "time is up" in timer
        await desk.advance(deadline + 1 - await desk.sim.now())
        await desk.until(lambda: iid not in screen.views, what="closed by the server")
        await desk.until(lambda: type(desk.app.screen).__name__ != "WrapupDialog", what="dialog closed")
        await desk.settle(0.3)  # the toast is raised once the dialog is gone, and must stay
        toasts = _toasts(desk)
        toasts += [] if any("ran out" in t for t in toasts) else [
            f"(views {sorted(screen.views)}, dialog bookkeeping {screen._wrapup_dialog}, "
            f"stack {[type(s).__name__ for s in desk.app.screen_stack]})"]
        assert any("After-contact work time ran out" in t and '"timeout"' in t
                   and "kept on this computer only: refund promised" in t for t in toasts), toasts
        assert not any("Wrap-up failed" in t for t in toasts)
