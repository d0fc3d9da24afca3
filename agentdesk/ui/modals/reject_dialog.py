"""F3 with a reason: why the agent turns an offer down (as in Flex or Zendesk).

The reasons are the usual ones of a contact center; the chosen code goes
with the reject so a supervisor can tell "busy with a customer" from
"wrong skill". Enter picks, escape keeps the offer ringing.

Public API: `RejectDialog(customer, channel_label, reasons=REJECT_REASONS)`,
dismissed with a `RejectReason` or None; `REJECT_REASONS` (code, label).
The desk sends the code with the reject (`POST .../reject {client_id,
reason}`) where the backend records reasons (`Capabilities.reject_reasons`;
on Chatwoot, which has no reject, F3 hides the offer at once).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.ui.modals.base import DeskModal


@dataclass(frozen=True, slots=True)
class RejectReason:
    code: str
    label: str


REJECT_REASONS: tuple[RejectReason, ...] = (
    RejectReason("busy", "Busy with another customer"),
    RejectReason("wrong_skill", "Not my skill or language"),
    RejectReason("technical", "Technical problem (headset, system)"),
    RejectReason("break", "Going on a break"),
    RejectReason("other", "Other"),
)


class RejectDialog(DeskModal[RejectReason | None]):
    def __init__(self, customer: str, channel_label: str,
                 reasons: tuple[RejectReason, ...] = REJECT_REASONS) -> None:
        super().__init__()
        self.customer = customer
        self.channel_label = channel_label
        self.reasons = reasons

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Reject the $ch offer from [b]$c[/]?",
                                             ch=self.channel_label.lower(), c=self.customer),
                         classes="dialog-title")
            yield OptionList(*[Option(Content(r.label), id=r.code) for r in self.reasons],
                             id="reject-reasons")
            yield Static("enter: reject with this reason   escape: keep the offer",
                         classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(next(r for r in self.reasons if r.code == event.option.id))
