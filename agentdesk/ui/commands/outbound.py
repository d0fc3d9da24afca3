"""Palette commands for the rest of a blended agent's day, shown only where the
backend has them (`capabilities.outbound`, `callbacks`, `recording_disclosure`):

- "call: dial NAME" for the customer of each open tab, and for any customer
  whose id is typed ("call c0042"; a customer on the
  do-not-call list is refused here in plain words before anything is sent; the
  server checks the rules again and its refusal is shown as it words it),
- "callback: schedule for NAME" (the callback picker),
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
        for cid, name in customers.items():
            if caps.outbound:
                text, display = _label("call: dial", name)
                out.append((text, display, partial(dial, desk, cid, name),
                            "call this customer now"))
            if caps.callbacks:
                text, display = _label("callback: schedule for", name)
                out.append((text, display, partial(schedule, desk, cid, name),
                            "call this customer back later"))
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
    """Refuse a do-not-call customer here, in words, before anything is sent."""
    from agentdesk.backends.base import AgentDeskError

    try:
        detail = await desk.controller.customer(customer_id)
    except AgentDeskError:
        detail = None  # the server checks anyway
    if detail is not None and detail.customer.dnc:
        desk.notify(f"{detail.customer.name} is on the do-not-call list", title="Not called",
                    severity="warning", markup=False)
        return
    if detail is not None:
        name = detail.customer.name
    # The call's own tab says it dials; a refusal by the server comes as a toast.
    desk.run_command(C.Dial(customer_id, name))


def schedule(desk: DeskScreen, customer_id: str, name: str) -> None:
    desk.run_worker(_schedule(desk, customer_id, name), group="dialogs", exclusive=True,
                    exit_on_error=False)


async def _schedule(desk: DeskScreen, customer_id: str, name: str) -> None:
    from agentdesk.ui.modals.callback_picker import CallbackPicker

    now = desk.now()
    choice = await desk.app.push_screen_wait(CallbackPicker(name, now, tz=desk.services.tz))
    if choice is None:
        return
    at, note = choice
    # Sent, not yet accepted: the server checks the calling rules at that time, and
    # its refusal follows as a toast in its own words.
    outcome = desk.run_command(C.ScheduleCallback(customer_id, at, note))
    if isinstance(outcome, C.Queued):
        desk.notify(f"Asking the server for a callback to {name}…", title="Callback",
                    markup=False, timeout=3)
