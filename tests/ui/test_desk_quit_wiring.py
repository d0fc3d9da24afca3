"""Issue 14 item 14: the quit dialog is told what quitting leaves behind (an
Available agent, unsent drafts, the demo's server) and asks whenever it matters."""

from __future__ import annotations


def top(desk) -> str:
    return type(desk.app.screen).__name__


async def quit_lines(desk) -> list[str]:
    await desk.pilot.press("f10")
    await desk.until(lambda: top(desk) == "QuitDialog", what="quit dialog")
    return desk.app.screen.lines


async def test_quit_warns_an_available_agent_with_no_open_work(desk_factory):
    async with desk_factory(available=True) as desk:
        lines = await quit_lines(desk)
        assert any("You stay Available" in line for line in lines), lines
        await desk.pilot.press("n")
        await desk.until(lambda: top(desk) == "DeskScreen", what="stayed")
        assert desk.app.is_running


async def test_quit_names_unsent_drafts(desk_factory):
    async with desk_factory(available=True) as desk:
        iid = await desk.accepted("chat", text="hi")
        await desk.pilot.press(*"half written")
        await desk.until(lambda: desk.app.drafts.load(iid) is not None, what="draft saved")
        lines = await quit_lines(desk)
        assert any("1 unsent draft" in line for line in lines), lines
        assert any("half written" in line for line in lines), lines


async def test_demo_quit_says_the_work_is_back_next_start(desk_factory):
    async with desk_factory(available=True) as desk:
        desk.app.demo = True
        await desk.accepted("chat", text="hi")
        lines = await quit_lines(desk)
        assert lines[0] == "Quit the demo?"
        assert any("pauses the demo: this work is back when you start it again" in line
                   for line in lines), lines
        assert not any("stays assigned" in line for line in lines), lines
