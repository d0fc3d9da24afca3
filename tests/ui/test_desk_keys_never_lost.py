"""Issue 14 item 1: no state of the app may leave the agent without keys.

Every modal is driven into its timeout/close path, then F1 must open help and
F4 the presence menu."""

from __future__ import annotations

import pytest

from agentdesk.domain.enums import CallState

KEYMAP = {"wrapup": "ctrl+w", "offer-accept": "f2,ctrl+a"}


def top(desk) -> str:
    return type(desk.app.screen).__name__


async def keys_still_work(desk) -> None:
    await desk.settle()
    assert top(desk) == "DeskScreen", desk.app.screen_stack
    await desk.pilot.press("f1")
    focused = desk.app.focused
    await desk.until(lambda: top(desk) == "HelpScreen",
                     what=f"help after F1 {desk.app.screen_stack} focused={focused} "
                          f"attached={focused.is_attached if focused else None}")
    await desk.pilot.press("escape")
    await desk.until(lambda: top(desk) == "DeskScreen", what="help closed")
    await desk.pilot.press("f4")
    await desk.until(lambda: top(desk) == "PresenceMenu", what="presence after F4")
    await desk.pilot.press("escape")
    await desk.until(lambda: top(desk) == "DeskScreen", what="presence closed")


async def test_acw_timeout_with_notes_focused_leaves_keys_working(desk_factory):
    async with desk_factory(size=(80, 24), keymap=KEYMAP) as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen
        await desk.until(lambda: screen.state.interactions[iid].call is not None
                         and screen.state.interactions[iid].call.state is CallState.CONNECTED,
                         what="connected")
        await desk.pilot.press("f8")
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="wrap-up")
        await desk.pilot.press("ctrl+w")
        await desk.until(lambda: top(desk) == "WrapupDialog", what="wrap-up dialog")
        await desk.pilot.press("tab")
        await desk.pilot.press(*"called back")
        await desk.advance(61)
        await desk.until(lambda: iid not in screen.views, what="closed by ACW timeout")
        await keys_still_work(desk)
        # An offer can still be taken with the remapped key.
        new = await desk.offer("chat")
        screen.activate(new)
        await desk.pilot.press("ctrl+a")
        await desk.until(lambda: screen.state.interactions[new].state.value == "active", what="accepted")


# (key that opens it, the screen class it opens, how it leaves)
MODALS = {
    "help": ("f1", "HelpScreen", "escape"),
    "presence": ("f4", "PresenceMenu", "escape"),
    "quit": ("f10", "QuitDialog", "escape"),
    "kb-search": ("ctrl+k", "KbSearchDialog", "escape"),
    "canned": ("ctrl+underscore", "CannedPicker", "escape"),
    "dtmf": ("ctrl+d", "DtmfPad", "escape"),
    "disclosure": ("ctrl+r", "DisclosureDialog", "escape"),
    "transfer": ("f7", "TransferDialog", "escape"),
    "wrapup": ("f9", "WrapupDialog", "escape"),
    "diagnostics": ("alt+d", "DiagnosticsScreen", "escape"),
}




@pytest.mark.parametrize("name", sorted(MODALS))
async def test_every_modal_left_after_its_interaction_closed_leaves_keys_working(desk_factory, name):
    """The interaction closes (customer hangs up, ACW runs out) while the modal is
    open; closing the modal must leave F1 and F4 working."""
    key, screen_name, leave = MODALS[name]
    async with desk_factory(size=(80, 24)) as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen
        screen.activate(iid)
        await desk.settle()
        if name == "wrapup":
            await desk.pilot.press("f8")
            await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="acw")
        await desk.pilot.press(key)
        await desk.until(lambda: screen_name in [type(s).__name__ for s in desk.app.screen_stack],
                         what=f"{screen_name} open: {desk.app.screen_stack}")
        if name != "wrapup":
            await desk.sim.end(iid)
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="acw")
        await desk.advance(61)
        await desk.until(lambda: iid not in screen.views, what="closed by ACW timeout")
        if top(desk) != "DeskScreen":
            await desk.pilot.press(leave)
        await desk.until(lambda: top(desk) == "DeskScreen", what=f"back on the desk {desk.app.screen_stack}")
        await keys_still_work(desk)
