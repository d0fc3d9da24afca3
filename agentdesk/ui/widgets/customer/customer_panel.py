"""`CustomerPanel`: who the customer is and how they contacted us before.

Profile (name, tier, contact details, location, language, customer since),
attributes, and previous contacts (channel glyph, date, topic or subject,
outcome / disposition, agent) from a `CustomerDetail`. Scrolls when long.

Public API: `CustomerPanel(detail: CustomerDetail | None = None, *, tz=None,
name=None, id=None, classes=None)`, `show(detail)`, `show_empty(reason)`,
property `detail`. No messages, no bindings (it scrolls with the usual keys).
All text is untrusted and rendered literally.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agentdesk.domain.models import ContactSummary, CustomerDetail, InteractionState
from agentdesk.ui.glyphs import CHANNEL_GLYPH, channel_var

FIELD_CHARS = 200  # a profile field longer than this is not information any more
OUTCOME = {
    InteractionState.QUEUED: "queued",
    InteractionState.OFFERED: "offered",
    InteractionState.ACTIVE: "in progress",
    InteractionState.WRAPUP: "wrap-up",
    InteractionState.CLOSED: "closed",
    InteractionState.ABANDONED: "abandoned",
}


def _short(text: str | None, limit: int = FIELD_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CustomerPanel(VerticalScroll):
    """Profile and contact history of the current customer."""

    DEFAULT_CSS = """
    CustomerPanel { height: 1fr; padding: 0 1; background: $surface; }
    CustomerPanel > Static { height: auto; }
    CustomerPanel .customer-heading { color: $muted-foreground; text-style: bold; margin-top: 1; }
    CustomerPanel #customer-empty { color: $muted-foreground; }
    """

    def __init__(
        self,
        detail: CustomerDetail | None = None,
        *,
        tz: tzinfo | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._detail = detail
        self.tz = tz

    @property
    def detail(self) -> CustomerDetail | None:
        return self._detail

    def compose(self) -> ComposeResult:
        yield Static(id="customer-empty")
        yield Static(id="customer-profile")
        yield Static("Attributes", classes="customer-heading", id="customer-attributes-heading")
        yield Static(id="customer-attributes")
        yield Static("Previous contacts", classes="customer-heading", id="customer-contacts-heading")
        yield Static(id="customer-contacts")

    def on_mount(self) -> None:
        if self._detail is None:
            self.show_empty("No customer selected.")
        else:
            self.show(self._detail)

    def show(self, detail: CustomerDetail) -> None:
        self._detail = detail
        self._set_visible(True)
        self.query_one("#customer-empty", Static).update("")
        self.query_one("#customer-profile", Static).update(self._profile(detail))
        attributes = detail.customer.attributes
        self.query_one("#customer-attributes-heading").display = bool(attributes)
        self.query_one("#customer-attributes", Static).update(self._attributes(attributes))
        self.query_one("#customer-contacts", Static).update(self._contacts(detail.contacts))
        self.scroll_home(animate=False)

    def show_empty(self, reason: str) -> None:
        self._detail = None
        self._set_visible(False)
        self.query_one("#customer-empty", Static).update(Content(reason))

    def _set_visible(self, visible: bool) -> None:
        for widget in self.query(Static):
            if widget.id != "customer-empty":
                widget.display = visible
        self.query_one("#customer-empty").display = not visible

    def _date(self, at: float | None) -> str:
        if at is None:
            return "—"
        when = datetime.fromtimestamp(at, self.tz)
        return f"{when.day} {when:%b %Y}"

    def _profile(self, detail: CustomerDetail) -> Content:
        customer = detail.customer
        lines = [
            Content.assemble((_short(customer.name, 80), "bold"), "  ", (f" {_short(customer.tier, 30)} ", "reverse $accent")),
        ]
        for label, value in (
            ("Email", customer.email),
            ("Phone", customer.phone),
            ("Social", customer.handle),
            ("Location", customer.location),
            ("Language", customer.language),
            ("Since", self._date(customer.since) if customer.since else None),
        ):
            if value:
                lines.append(Content.assemble((f"{label:<9}", "$muted-foreground"), _short(value)))
        return Content("\n").join(lines)

    def _attributes(self, attributes: dict[str, str]) -> Content:
        lines = [
            Content.assemble((_short(key, 24) + ": ", "$muted-foreground"), _short(value))
            for key, value in attributes.items()
        ]
        return Content("\n").join(lines)

    def _contacts(self, contacts: list[ContactSummary]) -> Content:
        if not contacts:
            return Content.styled("No previous contacts.", "$muted-foreground")
        lines: list[Content] = []
        for contact in sorted(contacts, key=lambda c: c.at, reverse=True):
            about = contact.subject or contact.topic or "(no subject)"
            outcome = contact.disposition or OUTCOME.get(contact.state, contact.state.value)
            parts: list[Content | str | tuple[str, str]] = [
                (CHANNEL_GLYPH[contact.channel], f"${channel_var(contact.channel)}"),
                " ",
                (self._date(contact.at), "$muted-foreground"),
                "  ",
                (_short(about, 60), "bold"),
                "\n   ",
                (_short(outcome, 40), "$accent"),
            ]
            if contact.agent_name:
                parts += [("  · ", "$muted-foreground"), _short(contact.agent_name, 40)]
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)
