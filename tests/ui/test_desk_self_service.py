"""The offer banner says in one line what the customer already told the IVR or
the bot (real mock server)."""

from __future__ import annotations

from textual.widgets import Static


def banner_text(desk) -> str:
    return str(desk.screen.query_one("#banner", Static).render())


async def test_the_offer_banner_shows_the_ivr_path(desk_factory):
    async with desk_factory(size=(120, 40)) as desk:
        iid = await desk.offer("voice", topic="missed-payment")
        await desk.until(lambda: "IVR: Billing > Payment failed" in banner_text(desk),
                         what="the IVR path in the banner")
        service = desk.screen.state.interactions[iid].self_service
        verified = "identity verified" if service.identity_verified else "identity not verified"
        assert verified in banner_text(desk)


async def test_the_offer_banner_shows_the_bot_path_for_a_chat(desk_factory):
    async with desk_factory(size=(120, 40)) as desk:
        await desk.offer("chat", topic="missed-payment")
        await desk.until(lambda: "Bot: Billing > Payment failed" in banner_text(desk),
                         what="the bot path in the banner")
