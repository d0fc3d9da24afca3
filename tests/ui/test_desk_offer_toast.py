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


async def test_an_offer_countdown_redraws_without_a_layout_pass(desk_factory):
    """The offer's line is one row whatever it says: its countdown, redrawn every
    second while it rings, is a repaint, not a layout pass of the whole desk."""
    async with desk_factory() as desk:
        await desk.offer("chat")
        banner = desk.app.screen.query_one("#banner")
        await desk.until(lambda: banner.has_class("-offer"), what="the offer banner")
        await desk.pilot.pause()
        screen = desk.app.screen
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
        before = str(banner.render())
        await desk.advance(2)
        await desk.until(lambda: str(banner.render()) != before, what="the countdown moved")
        await desk.pilot.pause()
        assert layouts == []
