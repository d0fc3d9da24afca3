"""`CustomerPanel`: who the customer is and how they contacted us before.

Profile (name, tier, contact details, location, language, customer since),
previous contacts (channel glyph, date, topic or subject, outcome /
disposition, agent; one line each, newest first, counted in the heading) and
attributes, from a `CustomerDetail`. Scrolls when long.

"Previous" means finished: the server's detail lists every contact of the
customer, the open ones too (the one on screen first of all, as the newest),
which in a short side column used to be the only one in view. Open contacts
(queued, offered, active, wrap-up) are left out; the list comes right under
the profile so the history is what the agent sees first.

With a `clock` (server time) and a customer whose time zone is known, a
`Local` line shows their local time and zone, refreshed at each minute, marked
when it is outside their calling hours ("21:40 America/New_York · outside
calling hours 08:00-21:00").

With `on_dial(customer_id, name)`, `c` (id `customer-dial`) while the panel
has the keyboard calls the customer shown, whoever it is (a tab's customer or
one found by search); the desk checks the calling rules before anything rings.

Public API: `CustomerPanel(detail: CustomerDetail | None = None, *, tz=None,
clock=None, on_dial=None, name=None, id=None, classes=None)`, `show(detail)`,
`show_empty(reason)`, `refresh_local_time()`, property `detail` (both may be
called before mounting). No messages; it scrolls with the usual keys. All text
is untrusted and rendered literally.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agentdesk.domain.enums import InteractionState
from agentdesk.ui.glyphs import CHANNEL_GLYPH, channel_var
from agentdesk.ui.widgets.customer.compliance_line import compliance_line, local_time_line
from agentdesk.ui.widgets.repaint import show_block

if TYPE_CHECKING:  # models are loaded after the first frame (docs/benchmarks.md, "Start-up")
    from agentdesk.domain.models import ContactSummary, CustomerDetail

FIELD_CHARS = 200  # a profile field longer than this is not information any more
OUTCOME = {
    InteractionState.QUEUED: "queued",
    InteractionState.OFFERED: "offered",
    InteractionState.ACTIVE: "in progress",
    InteractionState.WRAPUP: "wrap-up",
    InteractionState.CLOSED: "closed",
    InteractionState.ABANDONED: "abandoned",
}


FINISHED = (InteractionState.CLOSED, InteractionState.ABANDONED)


def _short(text: str | None, limit: int = FIELD_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CustomerPanel(VerticalScroll):
    """Profile and contact history of the current customer."""

    BINDINGS = [Binding("c", "dial", "Call this customer", id="customer-dial")]

    DEFAULT_CSS = """
    CustomerPanel { height: 1fr; padding: 0 1; background: $surface; }
    CustomerPanel > Static { height: auto; }
    CustomerPanel #customer-contacts { text-wrap: nowrap; text-overflow: ellipsis; }
    CustomerPanel .customer-heading { color: $muted-foreground; text-style: bold; margin-top: 1; }
    CustomerPanel #customer-empty { color: $muted-foreground; }
    """

    def __init__(
        self,
        detail: CustomerDetail | None = None,
        *,
        tz: tzinfo | None = None,
        clock: Callable[[], float] | None = None,
        on_dial: Callable[[str, str], None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.tz = tz
        self.clock = clock  # server time: the customer's local time is read from it
        self.on_dial = on_dial
        self._shown_minute: float | None = None  # the minute the Local line was drawn for
        # Children exist from construction so `show` works before mounting too.
        self._empty = Static(id="customer-empty")
        self._profile_text = Static(id="customer-profile")
        self._attributes_heading = Static("Attributes", classes="customer-heading", markup=False)
        self._attributes_text = Static(id="customer-attributes")
        self._contacts_heading = Static("Previous contacts", classes="customer-heading", markup=False)
        self._contacts_text = Static(id="customer-contacts")
        self._detail: CustomerDetail | None = None
        if detail is None:
            self.show_empty("No customer selected.")
        else:
            self.show(detail)

    @property
    def detail(self) -> CustomerDetail | None:
        return self._detail

    def compose(self) -> ComposeResult:
        yield self._empty
        yield self._profile_text
        yield self._contacts_heading
        yield self._contacts_text
        yield self._attributes_heading
        yield self._attributes_text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dial":
            return self.on_dial is not None and self._detail is not None
        return True

    def action_dial(self) -> None:
        if self.on_dial is not None and self._detail is not None:
            customer = self._detail.customer
            self.on_dial(customer.id, customer.name)

    def on_mount(self) -> None:
        if self.clock is not None:
            self._next_minute()

    def _next_minute(self) -> None:
        """Wake just after the next minute starts (server time), whatever the clock did."""
        assert self.clock is not None
        self.set_timer(60.0 - self.clock() % 60.0 + 0.05, self._minute_passed)

    def _minute_passed(self) -> None:
        self.refresh_local_time()
        self._next_minute()

    def refresh_local_time(self) -> None:
        """Redraw the profile when the minute changed since it was drawn (the Local line)."""
        if self._detail is None or self.clock is None:
            return
        if self.clock() // 60 != self._shown_minute:
            self._profile_text.update(self._profile(self._detail))

    def show(self, detail: CustomerDetail) -> None:
        self._detail = detail
        self._set_visible(True)
        self._profile_text.update(self._profile(detail))
        attributes = detail.customer.attributes
        self._attributes_text.update(self._attributes(attributes))
        self._attributes_heading.display = self._attributes_text.display = bool(attributes)
        previous = [c for c in detail.contacts if c.state in FINISHED]
        self._contacts_heading.update(Content(f"Previous contacts ({len(previous)})" if previous
                                              else "Previous contacts"))
        self._contacts_text.update(self._contacts(previous))
        if self.is_mounted:
            self.scroll_home(animate=False)

    def show_empty(self, reason: str) -> None:
        self._detail = None
        self._set_visible(False)
        show_block(self._empty, Content(reason))

    def _set_visible(self, visible: bool) -> None:
        for widget in (self._profile_text, self._attributes_heading, self._attributes_text,
                       self._contacts_heading, self._contacts_text):
            widget.display = visible
        self._empty.display = not visible

    def _date(self, at: float | None) -> str:
        if at is None:
            return "—"
        when = datetime.fromtimestamp(at, self.tz)
        return f"{when.day} {when:%b %Y}"

    def _profile(self, detail: CustomerDetail) -> Content:
        customer = detail.customer
        lines = [
            Content.assemble(
                (_short(customer.name, 80), "bold"),
                "  ",
                (f" {_short(customer.tier, 30)} ", "reverse $accent"),
            ),
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
        if self.clock is not None and customer.timezone:
            now = self.clock()
            self._shown_minute = now // 60
            lines.append(local_time_line(customer, now))
        rules = compliance_line(customer)
        if rules is not None:
            lines.append(rules)
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
                ("  ", "$muted-foreground"),
                (_short(outcome, 40), "$accent"),
            ]
            if contact.agent_name:
                parts += [("  · ", "$muted-foreground"), _short(contact.agent_name, 40)]
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)
