"""Shown on BackendAuthError: the session ended; sign in again or quit."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from agentdesk.ui.modals.base import DeskModal


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str


class ReloginDialog(DeskModal[Credentials | None]):
    def __init__(self, message: str, username: str = "", *, error: str = "") -> None:
        super().__init__()
        self.message = message
        self.username = username
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Signed out", classes="dialog-title")
            yield Static(Content(self.message))
            if self.error:
                yield Static(Content.from_markup("[$error]$e[/]", e=self.error))
            yield Input(self.username, placeholder="user name", id="relogin-user")
            yield Input(placeholder="password", password=True, id="relogin-password")
            with Horizontal(classes="buttons"):
                yield Button("Quit", id="quit")
                yield Button("Sign in", id="signin", variant="primary")

    def on_mount(self) -> None:
        target = "#relogin-password" if self.username else "#relogin-user"
        self.query_one(target, Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "relogin-user":
            self.query_one("#relogin-password", Input).focus()
        else:
            self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "signin":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        user = self.query_one("#relogin-user", Input).value.strip()
        password = self.query_one("#relogin-password", Input).value
        if user and password:
            self.dismiss(Credentials(user, password))
