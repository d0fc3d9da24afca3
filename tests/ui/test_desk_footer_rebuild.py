"""The desk's footer is rebuilt only when the keys it shows change: Textual's
rebuilds every key on each bindings refresh (a remove, a mount and a layout
pass of the whole screen), and a key under the pointer lost its hover."""

from __future__ import annotations

from textual.widgets._footer import FooterKey


def key_widgets(desk) -> list[FooterKey]:
    return list(desk.screen.query(FooterKey))


async def test_a_refresh_with_the_same_keys_keeps_the_key_widgets(desk_factory):
    async with desk_factory() as desk:
        await desk.settle()
        before = key_widgets(desk)
        assert before, "the footer shows keys"
        for _ in range(3):
            desk.screen.refresh_bindings()
            await desk.settle()
        after = key_widgets(desk)
        assert [id(k) for k in after] == [id(k) for k in before]  # not rebuilt
        assert all(k.is_attached for k in after)


async def test_keys_that_change_are_rebuilt(desk_factory):
    async with desk_factory() as desk:
        await desk.settle()
        before = {k.action for k in key_widgets(desk)}
        assert "accept" not in before
        await desk.offer("chat", text="hello")
        await desk.until(lambda: "accept" in {k.action for k in key_widgets(desk)},
                         what="the accept key in the footer")


async def test_rebuilds_asked_for_the_same_keys_are_one_rebuild(desk_factory):
    """Every bindings change and resize asks for a rebuild after the next refresh;
    at start-up six were asked before the first ran, and each rebuilt the keys."""
    from agentdesk.ui.widgets.footer.desk_footer import DeskFooter

    async with desk_factory() as desk:
        await desk.settle()
        footer = desk.screen.query_one(DeskFooter)
        before = [id(k) for k in key_widgets(desk)]
        for _ in range(3):
            footer.call_after_refresh(footer.recompose)
        await desk.settle()
        assert [id(k) for k in key_widgets(desk)] == before  # nothing to rebuild
        await desk.pilot.resize_terminal(100, 40)  # a new width: the keys are fitted again
        await desk.until(lambda: [id(k) for k in key_widgets(desk)] != before,
                         what="the keys rebuilt for the new width")
