"""Issue 17: the recording notice on a call, answered with one key (ctrl+r).

The call bar asks for the notice until the agent records the customer's
answer; a decline pauses recording on the server (a system item says so) and
the same key resumes it."""

from __future__ import annotations

from agentdesk.domain.enums import CallState


def top(desk) -> str:
    return type(desk.app.screen).__name__


async def _connected_call(desk) -> str:
    iid = await desk.accepted("voice")
    desk.screen.activate(iid)
    await desk.until(lambda: (c := desk.screen.state.interactions[iid].call) is not None
                     and c.state is CallState.CONNECTED, what="connected")
    return iid


async def _answer(desk, choice: str) -> None:
    await desk.pilot.press("ctrl+r")
    await desk.until(lambda: top(desk) == "DisclosureDialog", what="the notice dialog")
    options = desk.app.screen.query_one("#disclosure-choices")
    index = [o.id for o in options.options].index(choice)
    await desk.pilot.press(*["down"] * index, "enter")
    await desk.until(lambda: top(desk) == "DeskScreen", what="dialog closed")


async def test_declining_pauses_recording_and_the_same_key_resumes_it(desk_factory):
    async with desk_factory() as desk:
        iid = await _connected_call(desk)
        call = lambda: desk.screen.state.interactions[iid].call  # noqa: E731
        assert call().disclosure == "pending"
        bar = desk.screen.views[iid].query_one("CallBar")
        await desk.until(lambda: "^r notice" in str(bar.render()), what="the notice key shown")

        await _answer(desk, "decline")
        await desk.until(lambda: not call().recording, what="recording paused")
        server = await desk.probe.get_interaction(iid)
        assert server.call.disclosure == "declined" and not server.call.recording

        async def noted() -> bool:
            page = await desk.probe.get_timeline(server.customer_id)
            return any(i.interaction_id == iid and "declined recording" in i.body for i in page.items)

        await desk.until_server(noted, what="the decline in the timeline")
        await desk.until(lambda: "^r resume recording" in str(bar.render()), what="resume key")

        await _answer(desk, "resume")
        await desk.until(lambda: call().recording, what="recording again")
        await desk.until(lambda: "resume recording" not in str(bar.render()), what="resume key gone")


async def test_confirming_the_notice_clears_the_prompt(desk_factory):
    async with desk_factory() as desk:
        iid = await _connected_call(desk)
        await _answer(desk, "confirm")
        await desk.until(lambda: desk.screen.state.interactions[iid].call.disclosure == "confirmed",
                         what="confirmed")
        bar = desk.screen.views[iid].query_one("CallBar")
        await desk.until(lambda: "recording notice" not in str(bar.render()), what="prompt gone")


async def test_the_notice_key_on_a_chat_says_why_in_one_line(desk_factory):
    async with desk_factory() as desk:
        iid = await desk.accepted("chat")
        desk.screen.activate(iid)
        await desk.settle()
        await desk.pilot.press("ctrl+r")
        await desk.settle()
        assert top(desk) == "DeskScreen"  # no dialog for a chat, and the keys still work
        await desk.pilot.press("f1")
        await desk.until(lambda: top(desk) == "HelpScreen", what="help after ctrl+r")
