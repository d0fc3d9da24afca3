"""Issue 14 item 15: split-view panes name their customer, and after a call is
transferred the keyboard lands on the next tab's composer, never in the KB /
customer column."""

from __future__ import annotations

from agentdesk.ui.widgets.composer.composer_text_area import ComposerTextArea


def _in_side(desk) -> bool:
    focused = desk.app.focused
    side = desk.screen.query_one("#side")
    return focused is not None and side in focused.ancestors_with_self


async def test_split_panes_name_their_customers(desk_factory):
    async with desk_factory() as desk:
        a = await desk.accepted("chat", text="first")
        b = await desk.accepted("email", subject="second", text="second")
        screen = desk.screen
        screen.activate(a)
        await desk.pilot.press("ctrl+backslash")
        await desk.until(lambda: screen.tabs.split_id is not None, what="split")
        for iid in (a, b):
            view = screen.views[iid]
            name = screen.state.interactions[iid].customer_name
            assert name in str(view.border_title), (iid, view.border_title)
            assert view.border_title in [w.border_title for w in screen.query("#centre > *")]
            assert view.styles.border_top[0] != "", "the pane title shows on a top border"


async def test_after_a_call_transfer_the_next_composer_has_the_keys(desk_factory):
    async with desk_factory() as desk:
        chat = await desk.accepted("chat", text="still here")
        call = await desk.accepted("chat", text="I need billing")  # handed to a queue below
        screen = desk.screen
        screen.activate(call)
        await desk.settle()
        await desk.pilot.press("f7")
        await desk.until(lambda: type(desk.app.screen).__name__ == "TransferDialog", what="transfer")
        await desk.pilot.press("enter")
        await desk.until(lambda: call not in screen.views, what="call transferred")
        await desk.settle()
        await desk.until(lambda: isinstance(desk.app.focused, ComposerTextArea)
                         and screen.views[chat].composer in desk.app.focused.ancestors,
                         what=f"the chat's composer focused, not {desk.app.focused}")
        assert not _in_side(desk)


async def test_after_the_last_call_is_transferred_focus_is_not_in_the_side_column(desk_factory):
    async with desk_factory() as desk:
        call = await desk.accepted("voice")
        screen = desk.screen
        await desk.pilot.press("f7")
        await desk.until(lambda: type(desk.app.screen).__name__ == "TransferDialog", what="transfer")
        await desk.pilot.press("enter")
        await desk.until(lambda: call not in screen.views, what="call transferred")
        await desk.settle(0.5)
        assert not _in_side(desk), desk.app.focused
