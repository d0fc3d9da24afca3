"""Palette commands for the rest of a blended agent's day, shown only where the
backend has them (`capabilities.outbound`, `callbacks`, `recording_disclosure`):

- "call: dial NAME" for the customer of each open tab and the one in the
  customer panel (its `c` key does the same), and for any customer
  whose id is typed ("call c0042"; the calling rules, do-not-call and the
  customer's local hours, are checked by the controller on fresh customer data
  and a refusal is said in plain words before anything is sent; the server
  checks again and its refusal is shown as it words it),
- "callback: schedule for NAME" (the callback picker),
- "callbacks: my callbacks due today" (the list, also alt+l),
- "call: confirm the recording notice" / "call: customer declines recording" /
  "call: resume recording" on the active call.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits
from textual.content import Content

from agentdesk.desk import commands as C
from agentdesk.domain.enums import InteractionState
from agentdesk.ui.commands.providers import Command, _DeskProvider, _label
from agentdesk.ui.screens.desk_support import bound_key

if TYPE_CHECKING:
    from agentdesk.domain.models import Interaction
    from agentdesk.ui.screens.desk_screen import DeskScreen

DISCLOSURE = (("confirm", "call: confirm the recording notice was given", "disclosure given"),
              ("decline", "call: customer declines recording", "pause recording"),
              ("resume", "call: resume recording", "record again"))


_CUSTOMER_ID = re.compile(r"\b(c\d{3,})\b", re.IGNORECASE)


class OutboundCommands(_DeskProvider):
    async def search(self, query: str) -> Hits:
        async for hit in super().search(query):
            yield hit
        desk = self.desk()
        typed = _CUSTOMER_ID.search(query)
        if desk is None or typed is None:
            return
        cid = typed.group(1).lower()
        caps = desk.controller.capabilities
        # Ranked by the words typed besides the id ("callback c0042" puts the callback first).
        words = self.matcher(_CUSTOMER_ID.sub("", query).strip() or "c")
        if caps.outbound:
            text = f"call: dial customer {cid}"
            yield Hit(max(0.05, words.match(text)), Content(text), partial(dial, desk, cid, cid),
                      text=text, help="call this customer now")
        if caps.callbacks:
            text = f"callback: schedule for customer {cid}"
            yield Hit(max(0.04, words.match(text)), Content(text),
                      partial(schedule, desk, cid, cid), text=text,
                      help="call this customer back later")

    def commands(self, desk: DeskScreen) -> list[Command]:
        caps = desk.controller.capabilities
        out: list[Command] = []
        customers: dict[str, str] = {}
        for iid in desk.tab_order():
            inter = desk.state.interactions[iid]
            customers.setdefault(inter.customer_id, inter.customer_name)
        shown = desk.shown_customer()  # the customer panel's, e.g. one found by search
        if shown is not None:
            customers.setdefault(shown.id, shown.name)
        for cid, name in customers.items():
            if caps.outbound:
                text, display = _label("call: dial", name)
                out.append((text, display, partial(dial, desk, cid, name),
                            "call this customer now"))
            if caps.callbacks:
                text, display = _label("callback: schedule for", name)
                out.append((text, display, partial(schedule, desk, cid, name),
                            "call this customer back later"))
        if caps.callbacks:
            title = "callbacks: my callbacks due today"
            out.append((title, Content(title), desk.callbacks.open,
                        f"{bound_key('callbacks-today', desk.app)}: time, customer, note, state"))
        active = desk.active_interaction()
        if caps.recording_disclosure and _call_in_hand(active):
            assert active is not None
            for action, title, help_text in DISCLOSURE:
                out.append((title, Content(title),
                            partial(desk.run_command, C.Disclosure(active.id, action)), help_text))
        return out


def _call_in_hand(inter: Interaction | None) -> bool:
    return (inter is not None and inter.call is not None
            and inter.state is InteractionState.ACTIVE and inter.call.disclosure is not None)


def dial(desk: DeskScreen, customer_id: str, name: str) -> None:
    desk.run_worker(_dial(desk, customer_id, name), group="dial", exclusive=True,
                    exit_on_error=False)


async def _dial(desk: DeskScreen, customer_id: str, name: str) -> None:
    """The controller checks the calling rules on fresh customer data: a refusal
    is said here, in words, and nothing is sent. The call's own tab says it
    dials; a refusal by the server (stale data) follows as a toast."""
    outcome = await desk.controller.dial(customer_id, name)
    if isinstance(outcome, C.Refused):
        desk.notify(outcome.reason, title=outcome.title, severity="warning", markup=False)


def schedule(desk: DeskScreen, customer_id: str, name: str) -> None:
    desk.run_worker(_schedule(desk, customer_id, name), group="dialogs", exclusive=True,
                    exit_on_error=False)


async def _schedule(desk: DeskScreen, customer_id: str, name: str) -> None:
    from agentdesk.ui.modals.callback_picker import CallbackPicker

    controller = desk.controller
    customer = await controller.fresh_customer(customer_id)
    if customer is not None:
        name = customer.name
        if customer.dnc:  # no time would do: say so before asking for one
            desk.notify(f"{name} is on the do-not-call list", title="Not scheduled",
                        severity="warning", markup=False)
            return
    choice = await desk.app.push_screen_wait(CallbackPicker(
        name, desk.now(), tz=desk.services.tz,
        rule=partial(controller.time_refusal, customer_id)))
    if choice is None:
        return
    at, note = choice
    # Checked against the rules at that time, then sent; the server checks again
    # and a refusal of its own follows as a toast in its words.
    outcome = controller.execute(C.ScheduleCallback(customer_id, at, note))
    if isinstance(outcome, C.Refused):
        desk.notify(outcome.reason, title=outcome.title, severity="warning", markup=False)
    elif isinstance(outcome, C.Queued):
        desk.notify(f"Asking the server for a callback to {name}…", title="Callback",
                    markup=False, timeout=3)
