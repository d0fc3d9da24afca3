"""F7 during a warm transfer of a call: decide what happens to the consult.

While the consulted agent's phone rings, the only choice is to give up (back
to the customer). Once they answered (the customer is on hold) the agent
completes the transfer, goes back to the customer, or brings everyone into a
conference; in a conference, complete or cancel remain.

Public API: `ConsultDialog(customer, target_name, consult_state)`, dismissed
with the call action to send (`"consult_complete"`, `"consult_cancel"` or
`"conference"`, the `CallAction` values) or None (escape: nothing changes);
`ConsultDialog.choices(consult_state)` lists (action, label) as offered.
Enter picks the highlighted choice; no bindings of its own beyond escape.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.ui.modals.base import DeskModal

STATE_TEXT = {
    "ringing": "ringing: they have not answered yet",
    "talking": "answered: you are talking, the customer is on hold",
    "conference": "conference: you, them and the customer",
}


class ConsultDialog(DeskModal[str | None]):
    def __init__(self, customer: str, target_name: str, consult_state: str | None) -> None:
        super().__init__()
        self.customer = customer
        self.target_name = target_name
        self.consult_state = consult_state or "ringing"

    @staticmethod
    def choices(consult_state: str | None) -> list[tuple[str, str]]:
        cancel = ("consult_cancel", "Back to the customer (end the consult)")
        if consult_state == "talking":
            return [("consult_complete", "Complete the transfer (hand the customer over)"),
                    ("conference", "Conference (bring the customer in)"), cancel]
        if consult_state == "conference":
            return [("consult_complete", "Complete the transfer (you leave the call)"),
                    ("consult_cancel", "Back to the customer alone (they leave the call)")]
        return [cancel]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Warm transfer of [b]$c[/]", c=self.customer),
                         classes="dialog-title")
            yield Static(Content.assemble(
                "Consulting ", (self.target_name, "bold"), " · ",
                STATE_TEXT.get(self.consult_state, self.consult_state)))
            yield OptionList(*[Option(Content(label), id=action)
                               for action, label in self.choices(self.consult_state)],
                             id="consult-choices")
            yield Static("enter: choose   escape: keep consulting", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
