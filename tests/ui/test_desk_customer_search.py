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


async def _pick(desk, query: str, prefix: str, name: str) -> None:
    """Type `query` in the palette and choose the hit starting `prefix` for `name`."""
    await desk.pilot.press("ctrl+p")
    await desk.until(lambda: type(desk.app.screen).__name__ == "CommandPalette", what="palette")
    for ch in query:
        await desk.pilot.press({"-": "minus", " ": "space"}.get(ch, ch))
    results = desk.app.screen.query_one(OptionList)

    def hit() -> int | None:
        return next((i for i, o in enumerate(results.options)
                     if str(o.prompt).startswith(prefix) and name in str(o.prompt)), None)

    await desk.until(lambda: hit() is not None, what=f"the {prefix!r} hit")
    results.highlighted = hit()
    await desk.pilot.press("enter")


def _outbound_calls(desk, customer_id: str) -> list:
    return [i for i in desk.screen.state.interactions.values()
            if i.customer_id == customer_id and i.direction.value == "outbound"]


async def test_a_customer_found_by_account_can_be_called_from_the_palette(desk_factory):
    async with desk_factory() as desk:
        someone = desk.server.server.sim.customers.customers["c0042"]
        await _pick(desk, someone.attributes["account"], "call: ", someone.name)
        await desk.until(lambda: _outbound_calls(desk, "c0042"), what="the call dialled")


async def test_calling_a_do_not_call_customer_found_by_search_is_refused_in_words(desk_factory):
    async with desk_factory() as desk:
        blocked = desk.server.server.sim.customers.customers["c0016"]  # on the do-not-call list
        await _pick(desk, blocked.attributes["account"], "call: ", blocked.name)
        await desk.until(lambda: any("do-not-call" in str(n.message)
                                     for n in desk.app._notifications), what="the refusal")
        # said by the desk ("Not called"), not a server refusal ("Call failed"): nothing was sent
        assert [n.title for n in desk.app._notifications] == ["Not called"]
        assert not _outbound_calls(desk, "c0016")


async def test_c_in_the_customer_panel_calls_the_customer_shown(desk_factory):
    async with desk_factory() as desk:
        desk.screen.show_customer_profile("c0042")
        panel = desk.screen.query_one(CustomerPanel)
        await desk.until(lambda: panel.detail is not None, what="the profile")
        panel.focus()
        await desk.pilot.press("c")
        await desk.until(lambda: _outbound_calls(desk, "c0042"), what="the call dialled")
