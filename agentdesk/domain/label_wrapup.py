"""The wrap-up string of a LABELS-style backend (`WrapupStyle.LABELS`).

Labels instead of one disposition code, then how the conversation ends:
resolved, pending, or snoozed (until a time, or until the customer replies).
The desk sends it as the `disposition` of a wrap-up; the adapter parses it
(Chatwoot: `agentdesk/backends/chatwoot/wrapup.py`, which documents the forms).
"""

from __future__ import annotations

from enum import StrEnum


class LabelEnd(StrEnum):
    RESOLVE = "resolve"
    PENDING = "pending"
    SNOOZE = "snooze"


def labels_disposition(end: LabelEnd, labels: list[str] | tuple[str, ...] = (),
                       snooze_until: float | None = None) -> str:
    """`resolve:billing,vip`, `pending`, `snooze@1767225600:billing`, ..."""
    head = end.value
    if end is LabelEnd.SNOOZE and snooze_until is not None:
        head += f"@{int(snooze_until)}"
    picked = ",".join(dict.fromkeys(x.strip() for x in labels if x.strip()))
    return f"{head}:{picked}" if picked else head
