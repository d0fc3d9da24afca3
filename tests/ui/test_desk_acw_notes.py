"""Issue 14 item 2: notes typed in the wrap-up dialog are kept as they are typed
(drafts store) and reach the server before the ACW time runs out (as a note on
the contact, which the timeout close keeps); the agent is told plainly."""

from __future__ import annotations

from agentdesk.domain.enums import CallState


def top(desk) -> str:
    return type(desk.app.screen).__name__


async def test_notes_typed_in_wrapup_survive_the_acw_timeout(desk_factory):
    async with desk_factory(size=(80, 24), keymap={"wrapup": "ctrl+w"}) as desk:
        iid = await desk.accepted("voice")
        screen = desk.screen
        customer = screen.state.interactions[iid].customer_id
        await desk.until(lambda: screen.state.interactions[iid].call is not None
                         and screen.state.interactions[iid].call.state is CallState.CONNECTED,
                         what="connected")
        await desk.pilot.press("f8")
        await desk.until(lambda: screen.state.interactions[iid].state.value == "wrapup", what="acw")
        await desk.pilot.press("ctrl+w")
        await desk.until(lambda: top(desk) == "WrapupDialog", what="wrap-up dialog")
        await desk.pilot.press("tab", *" called back")
        # Kept locally as typed (after the drafted summary the dialog opened with).
        await desk.until(lambda: (d := desk.app.drafts.load(f"wrapup:{iid}")) is not None
                         and d.text.endswith("called back"), what="wrap-up notes kept as a draft")
        # Near the end of the ACW time the notes go to the server as a note.
        await desk.advance(57)

        async def noted() -> bool:
            page = await desk.probe.get_timeline(customer)
            return any(i.interaction_id == iid and i.body.endswith("called back")
                       and str(getattr(i.kind, "value", i.kind)) == "note" for i in page.items)

        await desk.until_server(noted, what="the notes reaching the server")
        await desk.advance(5)
        await desk.until(lambda: iid not in screen.views, what="closed by ACW timeout")
        def messages() -> list[str]:
            return [str(n.message) for n in desk.app._notifications]

        await desk.until(lambda: any("Wrap-up closed" in str(n.title) for n in desk.app._notifications),
                         what="the agent is told")
        assert any("saved as a note" in m for m in messages()), messages()
        messages = messages()
        assert not any("were not saved" in m for m in messages), messages
        assert desk.app.drafts.load(f"wrapup:{iid}") is None  # delivered: nothing left behind
