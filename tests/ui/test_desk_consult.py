"""Issue 14 item 3: a warm transfer waits for the agent. F7 starts it, the
consulted (simulated) agent answers and the customer holds; the call bar says
so and F7 then decides: complete, conference or back to the customer. Against
the real mock server, whose agent3 is a bot."""

from __future__ import annotations

from textual.widgets import OptionList

from agentdesk.domain.enums import CallState


async def _start_consult(desk, iid: str) -> None:
    await desk.pilot.press("f7")
    await desk.until(lambda: type(desk.app.screen).__name__ == "TransferDialog", what="transfer dialog")
    dialog = desk.app.screen
    await desk.pilot.press("ctrl+t")  # warm
    options = dialog.query_one(OptionList)
    options.highlighted = next(i for i, o in enumerate(options.options) if o.id == "a:agent3")
    await desk.pilot.press("enter")
    call = lambda: desk.screen.state.interactions[iid].call  # noqa: E731
    await desk.until(lambda: call().consult_agent_id == "agent3", what="consult ringing")


async def _answered(desk, iid: str) -> None:
    call = lambda: desk.screen.state.interactions[iid].call  # noqa: E731
    for _ in range(30):  # the bot answers after a few (simulated) seconds
        if call().consult_state == "talking":
            break
        await desk.advance(1)
    await desk.until(lambda: call().consult_state == "talking", what="consult answered")
    assert call().state is CallState.HELD  # the customer holds while the agents talk


async def _decide(desk, choice: str) -> None:
    await desk.pilot.press("f7")
    await desk.until(lambda: type(desk.app.screen).__name__ == "ConsultDialog", what="consult dialog")
    options = desk.app.screen.query_one(OptionList)
    assert [o.id for o in options.options] == ["consult_complete", "conference", "consult_cancel"]
    options.highlighted = [o.id for o in options.options].index(choice)
    await desk.pilot.press("enter")


async def test_warm_transfer_waits_then_back_to_the_customer_then_conference_then_complete(desk_factory):
    async with desk_factory(bots=1) as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen
        call = lambda: screen.state.interactions[iid].call  # noqa: E731
        await _start_consult(desk, iid)
        await _answered(desk, iid)
        bar = screen.views[iid].call_bar
        name = next(a.name for a in await desk.probe.list_agents() if a.id == "agent3")
        # (the call pane is narrow: the bar says less, never cuts the name)
        await desk.until(lambda: f"consulting {name} (talking" in str(bar.render()),
                         what=f"the call bar names the consulted agent {str(bar.render())!r}")
        assert "resume" not in str(bar.render()) and "F7 consult…" in str(bar.render())
        # The footer agrees with the call bar: no hold key while the consult holds the customer.
        assert screen.check_action("hold", ()) is False and screen.check_action("mute", ()) is True
        await desk.advance(20)  # nothing happens by itself
        assert call().consult_state == "talking" and iid in screen.views

        await _decide(desk, "consult_cancel")  # back to the customer
        await desk.until(lambda: call().consult_agent_id is None, what="consult ended")
        await desk.until(lambda: call().state is CallState.CONNECTED, what="customer back")

        await _start_consult(desk, iid)
        await _answered(desk, iid)
        await _decide(desk, "conference")
        await desk.until(lambda: call().consult_state == "conference", what="three-way")
        await desk.pilot.press("f7")
        await desk.until(lambda: type(desk.app.screen).__name__ == "ConsultDialog", what="dialog")
        options = desk.app.screen.query_one(OptionList)
        assert [o.id for o in options.options] == ["consult_complete", "consult_cancel"]
        await desk.pilot.press("enter")  # complete: the customer is Agent 3's now
        await desk.until(lambda: iid not in screen.views, what="the call handed over")
        assert (await desk.probe.get_interaction(iid)).agent_id == "agent3"


async def test_the_consult_dialog_left_after_the_customer_hung_up_leaves_keys_working(desk_factory):
    """Item 1 for this modal too: the call ends and its ACW runs out while the
    consult dialog is open; F1 and F4 still work after escape."""
    async with desk_factory(size=(80, 24), bots=1) as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen
        await _start_consult(desk, iid)
        await desk.pilot.press("f7")
        await desk.until(lambda: type(desk.app.screen).__name__ == "ConsultDialog", what="consult dialog")
        await desk.sim.end(iid)
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="acw")
        await desk.advance(61)
        await desk.until(lambda: iid not in screen.views, what="closed by ACW timeout")
        if type(desk.app.screen).__name__ != "DeskScreen":
            await desk.pilot.press("escape")
        await desk.until(lambda: type(desk.app.screen).__name__ == "DeskScreen", what="back on the desk")
        for key, opened in (("f1", "HelpScreen"), ("f4", "PresenceMenu")):
            await desk.pilot.press(key)
            await desk.until(lambda opened=opened: type(desk.app.screen).__name__ == opened, what=opened)
            await desk.pilot.press("escape")
            await desk.until(lambda: type(desk.app.screen).__name__ == "DeskScreen", what="closed")


async def test_a_consult_the_desk_did_not_start_still_names_the_agent(desk_factory):
    """A consult shown before any transfer dialog (the desk restarted during it,
    or the agent's other session started it) named the agent by id ("agent3")."""
    from agentdesk.backends.base import new_client_id
    from agentdesk.domain.enums import TransferMode

    async with desk_factory(bots=1) as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen
        await desk.until(lambda: screen.state.interactions[iid].call.state is CallState.CONNECTED,
                         what="connected")
        assert not screen.dialogs.agent_names  # no transfer dialog has been opened
        await desk.probe.transfer(iid, new_client_id(), agent_id="agent3", mode=TransferMode.WARM)
        bar = screen.views[iid].call_bar
        name = next(a.name for a in await desk.probe.list_agents() if a.id == "agent3")
        await desk.until(lambda: f"consulting {name}" in str(bar.render()),
                         what=f"the consulted agent by name, got {str(bar.render())!r}")
