""""My callbacks due today": the rows of the desk's callback list, from the
callbacks the server shows the agent (`SessionState.callbacks`). Pure: the
list widget only draws these.

Mine are the callbacks I am the target of or scheduled myself. Today is the
agent's day (their time zone, `tz`); a callback from an earlier day that is
still open (due, or missed and waiting in its queue) is listed too, since it is
still to be done.

The state in words: `scheduled` (its time is ahead), `due` (offered now, or its
time has come), `missed` (an offer went unanswered: back in the queue for
anyone), `done` (dialled), `blocked` (a calling rule stopped the dial),
`cancelled`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentdesk.domain.models import Callback

OPEN = ("scheduled", "offered")
WORDS = {"dialled": "done", "blocked": "blocked", "cancelled": "cancelled"}


@dataclass(frozen=True, slots=True)
class CallbackRow:
    callback_id: str
    customer_id: str
    customer_name: str
    at: float
    note: str
    state: str  # scheduled / due / missed / done / blocked / cancelled
    interaction_id: str | None  # the offer (then the call) once due


def state_of(cb: Callback, now: float) -> str:
    if cb.state in OPEN:
        if cb.missed:
            return "missed"
        return "due" if cb.state == "offered" or cb.at <= now else "scheduled"
    return WORDS.get(cb.state, cb.state)


def due_today(callbacks: Iterable[Callback], me: str | None, now: float,
              tz: dt.tzinfo | None) -> list[CallbackRow]:
    """My callbacks of today (in `tz`) and the still-open ones of earlier days, by time."""
    today = dt.datetime.fromtimestamp(now, tz).date()
    rows = []
    for cb in callbacks:
        if me is None or me not in (cb.agent_id, cb.created_by):
            continue
        day = dt.datetime.fromtimestamp(cb.at, tz).date()
        if day == today or (day < today and cb.state in OPEN):
            rows.append(CallbackRow(cb.id, cb.customer_id, cb.customer_name, cb.at, cb.note,
                                    state_of(cb, now), cb.interaction_id))
    return sorted(rows, key=lambda r: (r.at, r.callback_id))
