"""My callbacks due today (alt+l, the palette): the list follows callback.*
events while open (scheduled -> due -> missed), a missed callback of mine is
a calm toast, and picking a due callback dials it. Real mock server, manual
clock at 09:00 UTC (the desk's time zone is UTC here)."""

from __future__ import annotations

from textual.widgets import OptionList

from agentdesk.domain.enums import CallState


def top(desk) -> str:
    return type(desk.app.screen).__name__


def lines(desk) -> list[str]:
    return [str(o.prompt) for o in desk.app.screen.query_one(OptionList).options]


async def scheduled(desk, customer_id: str, after_s: float, note: str) -> str:
    cb = await desk.probe.schedule_callback(customer_id, desk.clock.now + after_s,
                                            f"cb-{customer_id}", note=note)
    return cb.id


async def test_the_list_follows_the_callback_from_scheduled_to_due_to_missed(desk_factory):
    async with desk_factory() as desk:
        name = (await desk.probe.get_customer("c0010")).customer.name
        await scheduled(desk, "c0010", 3600, "refund check")
        await desk.until(lambda: desk.screen.state.callbacks, what="the callback known")
        await desk.pilot.press("alt+l")
        await desk.until(lambda: top(desk) == "CallbacksToday", what="the list")
        await desk.until(lambda: lines(desk) == [f"10:00  scheduled {name}  refund check"],
                         what="the scheduled row")
        await desk.advance(3600)
        await desk.until(lambda: lines(desk) == [f"10:00  due       {name}  refund check"],
                         what="due, while the list is open")
        await desk.advance(30)  # the offer is not answered in time
        await desk.until(lambda: lines(desk) == [f"10:00  missed    {name}  refund check"],
                         what="missed")
        toasts = [(n.title, str(n.message)) for n in desk.app._notifications]
        assert ("Callback missed", f"Your 10:00 callback to {name} was missed: it is back in "
                "the queue for anyone.") in toasts


async def test_picking_a_due_callback_dials_it(desk_factory):
    async with desk_factory() as desk:
        cb_id = await scheduled(desk, "c0010", 1800, "")
        await desk.advance(1800)
        await desk.until(lambda: any(i.callback_id == cb_id
                                     for i in desk.screen.state.interactions.values()),
                         what="the callback offered")
        await desk.pilot.press("alt+l")
        await desk.until(lambda: top(desk) == "CallbacksToday", what="the list")
        await desk.until(lambda: any("due" in line for line in lines(desk)), what="the due row")
        await desk.pilot.press("enter")

        def call():
            return next((i for i in desk.screen.state.interactions.values()
                         if i.callback_id == cb_id), None)

        await desk.until(lambda: call() is not None and call().call is not None
                         and call().call.state in (CallState.DIALING, CallState.RINGING),
                         what="dialling")
        assert (await desk.probe.list_callbacks())[0].state == "dialled"


async def test_the_list_is_in_the_palette_and_says_when_empty(desk_factory):
    async with desk_factory() as desk:
        await desk.pilot.press("ctrl+p")
        await desk.until(lambda: top(desk) == "CommandPalette", what="palette")
        for ch in "my callbacks":
            await desk.pilot.press("space" if ch == " " else ch)
        await desk.settle(0.5)
        await desk.pilot.press("enter")
        await desk.until(lambda: top(desk) == "CallbacksToday", what="the list")
        assert lines(desk) == []
        assert "No callbacks for today." in str(desk.app.screen.query_one("#callbacks-empty").render())
        await desk.pilot.press("escape")
        await desk.until(lambda: top(desk) == "Screen" or top(desk) == "DeskScreen", what="closed")
