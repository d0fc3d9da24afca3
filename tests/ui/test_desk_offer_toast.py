"""An offer's signal on the desk is its banner: no toast repeats it (at 80x24 the
toast still covered the call bar once the call was accepted). Under a dialog,
which hides the banner, the offer toasts. Bell and desktop notification ring
either way."""

from __future__ import annotations


def top(desk) -> str:
    return type(desk.app.screen).__name__


def offer_toasts(desk) -> list[str]:
    return [str(n.message) for n in desk.app._notifications if "offer" in str(n.message)]


def signalled(desk, count: int) -> bool:
    return sum(w.startswith("\x1b]9;New offer") for w in desk.app.notifier.written) >= count


async def test_an_offer_toasts_only_when_a_dialog_hides_the_banner(desk_factory):
    async with desk_factory(size=(80, 24)) as desk:
        await desk.offer("chat")
        await desk.until(lambda: signalled(desk, 1), what="the first offer signalled")
        assert offer_toasts(desk) == []
        await desk.pilot.press("f1")
        await desk.until(lambda: top(desk) == "HelpScreen", what="help open")
        await desk.offer("email")
        await desk.until(lambda: signalled(desk, 2), what="the second offer signalled")
        await desk.until(lambda: len(offer_toasts(desk)) == 1, what="a toast over the dialog")
        assert offer_toasts(desk)[0].startswith("New offer: ")

