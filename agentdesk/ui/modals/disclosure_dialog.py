"""ctrl+r on a call: the recording notice, as the agent records it.

Every call starts with the notice pending (the call bar says "read the
recording notice"). The agent reads it, then records what the customer said:
they agree (recording goes on), or they decline (recording pauses, a system
item says so in the timeline, the transcript stops for that stretch). A paused
recording can be resumed when the customer agrees later.

Public API: `DisclosureDialog(customer, disclosure, recording)`, dismissed
with the action to send (`"confirm"`, `"decline"` or `"resume"`, the values
of `POST /v1/interactions/{id}/disclosure`) or None (escape: nothing
changes); `DisclosureDialog.choices(disclosure, recording)` lists (action,
label) as offered.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.ui.modals.base import DeskModal

NOTICE = "This call is recorded for quality and training. Is that all right with you?"


class DisclosureDialog(DeskModal[str | None]):
    def __init__(self, customer: str, disclosure: str | None, recording: bool) -> None:
        super().__init__()
        self.customer = customer
        self.disclosure = disclosure
        self.recording = recording

    @staticmethod
    def choices(disclosure: str | None, recording: bool) -> list[tuple[str, str]]:
        if not recording:
            return [("resume", "The customer now agrees: resume recording")]
        confirm = ("confirm", "Notice given, the customer agrees: keep recording")
        decline = ("decline", "The customer declines: pause recording")
        return [confirm, decline] if disclosure != "confirmed" else [decline]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Recording notice: [b]$c[/]", c=self.customer),
                         classes="dialog-title")
            yield Static(Content.assemble(("Read: ", "bold"), NOTICE))
            yield OptionList(*[Option(Content(label), id=action)
                               for action, label in self.choices(self.disclosure, self.recording)],
                             id="disclosure-choices")
            yield Static("enter: record the answer   escape: not yet", classes="dialog-hint",
                         markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
