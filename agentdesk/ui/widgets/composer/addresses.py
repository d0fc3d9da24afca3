"""The cc line of an email: parsed and checked before anything is sent.

`parse_cc("a@x.org; b@y.org,")` -> ["a@x.org", "b@y.org"]; `cc_problem(cc)`
is one plain sentence naming what is wrong (an address that is not one, too
many addresses), or None. An address is checked the way a mail form checks it
(one "@", a local part, a domain with a dot, no spaces or angle brackets):
enough to catch "not-an-email" and typos without refusing real addresses.
"""

from __future__ import annotations

import re

from agentdesk.domain.channel_limits import MAX_CC

_ADDRESS = re.compile(
    r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
MAX_ADDRESS = 254


def parse_cc(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def cc_text(cc: list[str] | str | None) -> str:
    if cc is None:
        return ""
    return cc if isinstance(cc, str) else ", ".join(cc)


def is_address(value: str) -> bool:
    return len(value) <= MAX_ADDRESS and _ADDRESS.match(value) is not None


def cc_problem(cc: list[str]) -> str | None:
    """Why this cc list cannot be sent, or None when it can."""
    bad = [address for address in cc if not is_address(address)]
    if bad:
        shown = ", ".join(_short(b) for b in bad[:3]) + (" …" if len(bad) > 3 else "")
        noun = "Not an email address" if len(bad) == 1 else "Not email addresses"
        return f"Cc: {noun}: {shown}. Fix or remove it to send."
    if len(cc) > MAX_CC:
        return f"Cc: {len(cc)} addresses, at most {MAX_CC}."
    return None


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"
