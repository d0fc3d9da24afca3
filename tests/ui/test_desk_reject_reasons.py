"""Issue 14, also expected: F3 asks why (a short picker), the reason goes to the
server with the reject through the Backend interface, and the mock server
records it with the interaction; escape keeps the offer ringing."""

from __future__ import annotations

from textual.widgets import OptionList


async def test_f3_asks_for_a_reason_and_the_server_records_it(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.offer("chat", text="hi")
        screen = desk.screen
        await desk.pilot.press("f3")
        await desk.until(lambda: type(desk.app.screen).__name__ == "RejectDialog", what="reasons")
        await desk.pilot.press("escape")  # changed my mind: the offer still rings
        await desk.until(lambda: type(desk.app.screen).__name__ == "DeskScreen", what="back")
        assert screen.state.interactions[iid].state.value == "offered"
        await desk.pilot.press("f3")
        await desk.until(lambda: type(desk.app.screen).__name__ == "RejectDialog", what="reasons")
        options = desk.app.screen.query_one(OptionList)
        assert [o.id for o in options.options][:2] == ["busy", "wrong_skill"]
        await desk.pilot.press("down", "enter")
        await desk.until(lambda: iid not in screen.views, what="rejected")
        meta = desk.server.server.sim.meta[iid]
        assert meta.reject_reasons == {"agent1": "wrong_skill"}


async def test_the_palette_reject_asks_too(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.offer("chat", text="hi")
        desk.screen.reject(iid)
        await desk.until(lambda: type(desk.app.screen).__name__ == "RejectDialog", what="reasons")
        await desk.pilot.press("enter")
        await desk.until(lambda: iid not in desk.screen.views, what="rejected")
        assert desk.server.server.sim.meta[iid].reject_reasons == {"agent1": "busy"}
