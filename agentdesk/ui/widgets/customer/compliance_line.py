"""The customer panel's "Rules" line: what a calling or consent rule forbids for
this customer, marked so it is seen before dialling. Nothing when no rule
applies (the common case stays quiet)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

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
