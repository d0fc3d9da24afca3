"""The customer panel's compliance lines: "Local", the customer's local time and
time zone, marked when it is outside their calling hours; and "Rules", what a
calling or consent rule forbids for this customer, marked so it is seen before
dialling (nothing when no rule applies: the common case stays quiet)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from agentdesk.domain.compliance import local_clock

if TYPE_CHECKING:
    from agentdesk.domain.models import Customer


def compliance_line(customer: Customer) -> Content | None:
    marks: list[tuple[str, str]] = []
    if customer.dnc:
        marks.append(("⛔ do not call", "bold $error"))
    consent = customer.consent
    for given, words in ((consent.recording, "no recording consent"),
                         (consent.marketing, "no marketing"), (consent.sms, "no SMS")):
        if not given:
            marks.append((words, "$warning"))
    if not marks:
        return None
    parts: list[tuple[str, str] | str] = [("Rules    ", "$muted-foreground")]
    for i, mark in enumerate(marks):
        if i:
            parts.append(" · ")
        parts.append(mark)
    return Content.assemble(*parts)


def local_time_line(customer: Customer, now: float) -> Content:
    """'Local    21:40 America/New_York', and when it is outside the customer's
    calling hours a second line under the value, short enough for the side
    column: '⚠ outside 08:00-21:00' (its calling hours)."""
    clock = local_clock(customer, now)
    parts: list[tuple[str, str] | str] = [("Local    ", "$muted-foreground"), (clock.time, "bold"),
                                          " ", (clock.timezone, "$muted-foreground")]
    if not clock.callable:
        parts += ["\n         ", (f"⚠ outside {clock.window}", "bold $warning")]
    return Content.assemble(*parts)
