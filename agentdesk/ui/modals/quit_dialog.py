"""F10: quit, asking first when work is open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from agentdesk.ui.modals.base import DeskModal


class QuitDialog(DeskModal[bool]):
    BINDINGS = [
        Binding("y", "confirm", "Quit", id="quit-confirm"),
        Binding("n", "cancel", "Stay", id="quit-cancel"),
    ]

    def __init__(self, open_work: list[str]) -> None:
        super().__init__()
        self.open_work = open_work

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Quit agentdesk?", classes="dialog-title")
            if self.open_work:
                yield Static(Content.from_markup(
                    "[$warning]You have $n open interaction(s):[/]", n=str(len(self.open_work))))
                for line in self.open_work[:8]:
                    yield Static(Content("  • ") + Content(line))
                yield Static("They stay assigned to you on the server.", classes="dialog-hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Stay (n)", id="stay")
                yield Button("Quit (y)", id="quit", variant="error")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "quit")
