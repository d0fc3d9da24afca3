"""An offer's countdown, redrawn every second while it rings (the banner, the
view's state line), is a repaint: the banner's line is one row whatever it
says, and the state line keeps its width from one second to the next."""

from __future__ import annotations


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
