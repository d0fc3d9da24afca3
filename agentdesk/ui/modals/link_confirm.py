"""Links in customer text never open on click: this dialog shows the full URL first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from agentdesk.ui.modals.base import DeskModal


class LinkConfirm(DeskModal[bool]):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Open this link?", classes="dialog-title")
            yield Static(Content(self.url), id="link-url")
            yield Static("The link comes from a customer or a server. Check where it goes.",
                         classes="dialog-hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Open", id="open", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "open")

    def action_cancel(self) -> None:
        self.dismiss(False)
