"""Palette: find a customer by name, phone, email or account number (as agents
do in Flex or Zendesk before calling back or answering a "did you get my
email?"). The query goes to the backend (`Backend.search_customers`, the mock
server's `GET /v1/customers?q=`); each customer found is offered twice: *show*
(the profile and contacts in the side column) and, where the backend can dial
(`capabilities.outbound`), *call* (the same calling-rule checks as any dial:
a customer on the do-not-call list or outside their hours is refused in words
before anything is sent). Hidden where the backend cannot search
(`Capabilities.customer_search`: Chatwoot)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from agentdesk.ui.commands.outbound import dial

if TYPE_CHECKING:
    from agentdesk.domain.models import Customer
    from agentdesk.ui.screens.desk_screen import DeskScreen

MIN_QUERY = 2
SHOWN = 8


def describe(customer: Customer) -> str:
    """'Alfie Wright · +44 7700 900161 · alfie@example.com · BL-100037'."""
    parts = [customer.name, customer.phone or "", customer.email or "",
             customer.attributes.get("account", "")]
    return " · ".join(p for p in parts if p)


class CustomerSearchCommands(Provider):
    def _desk(self) -> DeskScreen | None:
        desk = getattr(self.app, "desk", None)
        if desk is None or not desk.controller.capabilities.customer_search:
            return None
        return desk

    async def discover(self) -> Hits:
        if self._desk() is not None:
            yield DiscoveryHit(Content("customer: find… (type a name, phone, email or account)"),
                               lambda: None, help="search customers")

    async def search(self, query: str) -> Hits:
        # Imported here: the palette's providers load with the app, before its
        # first frame, and the backend layer must stay off that path.
        from agentdesk.backends.base import AgentDeskError

        desk = self._desk()
        text = query.removeprefix("customer:").strip()
        if desk is None or len(text) < MIN_QUERY:
            return
        try:
            found = await desk.controller.search_customers(text)
        except AgentDeskError:
            return  # the palette stays usable; the other providers still answer
        can_dial = desk.controller.capabilities.outbound
        for rank, customer in enumerate(found[:SHOWN]):
            label = describe(customer)
            yield Hit(0.9 - rank * 0.01, Content("customer: ") + Content(label),
                      partial(desk.show_customer_profile, customer.id), text=f"customer: {label}",
                      help="show the profile and contacts")
            if can_dial:
                yield Hit(0.895 - rank * 0.01, Content("call: ") + Content(label),
                          partial(dial, desk, customer.id, customer.name), text=f"call: {label}",
                          help=_call_help(customer))


def _call_help(customer: Customer) -> str:
    """What picking "call" will do, a rule that forbids it said up front."""
    return "on the do-not-call list: will not be called" if customer.dnc else "call this customer now"
