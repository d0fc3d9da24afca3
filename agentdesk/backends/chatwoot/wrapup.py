"""The wrap-up of a Chatwoot conversation, carried in the `disposition` string.

Chatwoot has no disposition codes: it has labels, and a conversation ends by
being resolved, set pending, or snoozed. `Capabilities.wrapup = LABELS` tells
the desk; the string it sends is one of

    billing                      resolve, adding the label "billing"
    billing,vip                  resolve, adding both labels
    resolve                      resolve, no label
    resolve:billing,vip          the same, spelled out
    pending:billing              set pending, adding "billing"
    snooze                       snooze until the customer replies
    snooze@1767225600:billing    snooze until that Unix time, adding "billing"

Chatwoot label titles are letters, digits, "-" and "_" only, so ":", "@" and
"," can never be part of one. Labels are *added* to the conversation's labels
(Chatwoot's POST replaces the whole set, so the adapter merges first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentdesk.backends.base import BackendCommandError

ACTIONS = {"resolve": "resolved", "resolved": "resolved", "pending": "pending",
           "snooze": "snoozed", "snoozed": "snoozed"}
_LABEL = re.compile(r"^[\w-]{1,255}$")


@dataclass(frozen=True, slots=True)
class Wrapup:
    status: str  # resolved | pending | snoozed
    labels: tuple[str, ...] = ()
    snoozed_until: int | None = None


def parse_disposition(text: str) -> Wrapup:
    """The wrap-up a disposition string asks for; BackendCommandError (422) with
    a one-line reason when it is not one of the forms above."""
    raw = (text or "").strip()
    if not raw:
        raise _bad("an empty wrap-up: give labels, or resolve / pending / snooze")
    head, _, rest = raw.partition(":")
    word, _, until = head.partition("@")
    action = ACTIONS.get(word.strip().lower())
    if action is None:
        if "@" in head or rest:
            raise _bad(f"unknown wrap-up action {word.strip()[:40]!r} "
                       "(resolve, pending or snooze)")
        action, labels_text, until = "resolved", raw, ""
    else:
        labels_text = rest
    if until and action != "snoozed":
        raise _bad("only snooze takes a time (snooze@UNIX_TIME)")
    snoozed_until = None
    if until:
        if not until.strip().isdigit():
            raise _bad(f"snooze time {until.strip()[:40]!r} is not Unix seconds")
        snoozed_until = int(until.strip())
    labels = tuple(dict.fromkeys(x.strip() for x in labels_text.split(",") if x.strip()))
    for label in labels:
        if not _LABEL.match(label):
            raise _bad(f"{label[:40]!r} is not a Chatwoot label "
                       "(letters, digits, '-' and '_' only)")
    return Wrapup(status=action, labels=labels, snoozed_until=snoozed_until)


def _bad(message: str) -> BackendCommandError:
    return BackendCommandError(message, status=422, code="invalid_request")
