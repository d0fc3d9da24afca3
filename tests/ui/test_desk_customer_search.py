"""Issue 14, also expected: find a customer from the palette by name, phone,
email or account number, through the backend (the mock server's
`GET /v1/customers?q=`); picking one shows their profile in the side column."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from agentdesk.backends.base import AgentDeskError
from agentdesk.mockserver.customer_search import search
from agentdesk.ui.widgets.customer.customer_panel import CustomerPanel


async def test_the_server_finds_customers_by_name_phone_email_and_account(desk_factory):
    async with desk_factory() as desk:
        people = desk.server.server.sim.customers.customers
        someone = people["c0042"]
        account = someone.attributes["account"]
        national = "0" + someone.phone.replace("+44", "").replace(" ", "")  # "07700 9...", as typed
        for query in (someone.name.upper(), national, someone.email, account.lower()):
            found = await desk.probe.search_customers(query)
            assert someone.id in [c.id for c in found], query
            assert len(found) <= 20
        assert await desk.probe.search_customers("zzzz-nobody") == []
        with pytest.raises(AgentDeskError):
            await desk.probe.search_customers("a")  # too short: a plain 422
        assert search(people.values(), " ") == []


async def test_the_palette_finds_a_customer_and_shows_the_profile(desk_factory):
    async with desk_factory() as desk:
        someone = desk.server.server.sim.customers.customers["c0042"]
        account = someone.attributes["account"]
        await desk.pilot.press("ctrl+p")
        await desk.until(lambda: type(desk.app.screen).__name__ == "CommandPalette", what="palette")
        for ch in account:
            await desk.pilot.press(ch if ch != "-" else "minus")
        results = desk.app.screen.query_one(OptionList)
        await desk.until(lambda: any(someone.name in str(o.prompt) for o in results.options),
                         what="the customer among the hits")
        index = next(i for i, o in enumerate(results.options) if someone.name in str(o.prompt))
        results.highlighted = index
        await desk.pilot.press("enter")
        panel = desk.screen.query_one(CustomerPanel)
        await desk.until(lambda: panel.detail is not None and panel.detail.customer.id == someone.id,
                         what="the profile shown")
        assert desk.screen.query_one("#side").display
