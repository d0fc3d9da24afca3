"""`GET /v1/customers?q=TEXT`: find customers by name, phone, email or account
number, as an agent types into the palette. Case and spacing do not matter;
a phone matches on its digits ("07700 900161" finds "+44 7700 900161")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agentdesk.domain.models import Customer

MIN_QUERY = 2
MAX_RESULTS = 20


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def matches(customer: Customer, query: str) -> bool:
    q = " ".join(query.lower().split())
    fields = [customer.name, customer.email or "", customer.attributes.get("account", "")]
    if any(q in f.lower() for f in fields):
        return True
    digits = _digits(query)
    if len(digits) >= 4 and customer.phone:
        phone = _digits(customer.phone)
        # a national number written with its leading 0 ("07700...") for "+44 7700..."
        return digits in phone or (digits.startswith("0") and digits[1:] in phone)
    return False


def search(customers: Iterable[Customer], query: str, limit: int = MAX_RESULTS) -> list[Customer]:
    """Customers matching `query`, names first alphabetically; at most `limit`."""
    if len(query.strip()) < MIN_QUERY:
        return []
    found = [c for c in customers if matches(c, query)]
    found.sort(key=lambda c: (c.name.lower(), c.id))
    return found[:limit]
