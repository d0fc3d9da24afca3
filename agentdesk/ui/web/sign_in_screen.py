"""The first screen of a browser session: who is at this browser?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from agentdesk.ui.modals.base import DeskModal
from agentdesk.ui.modals.relogin_dialog import Credentials


class SignInScreen(DeskModal[Credentials | None]):
    """User name and password for `server`; `error` says why the last try failed.
    Dismisses with the credentials, or None to quit."""

    def __init__(self, server: str, error: str = "") -> None:
        super().__init__()
        self.server = server
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Sign in", classes="dialog-title")
            yield Static(Content.from_markup("agentdesk at $server", server=self.server))
            if self.error:
                yield Static(Content.from_markup("[$error]$e[/]", e=self.error), id="sign-in-error")
            yield Input(placeholder="user name", id="sign-in-user")
            yield Input(placeholder="password", password=True, id="sign-in-password")
            with Horizontal(classes="buttons"):
                yield Button("Quit", id="quit")
                yield Button("Sign in", id="sign-in", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#sign-in-user", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "sign-in-user":
            self.query_one("#sign-in-password", Input).focus()
        else:
            self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sign-in":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Escape does not skip signing in: there is nothing behind this screen yet."""

    def _submit(self) -> None:
        user = self.query_one("#sign-in-user", Input).value.strip()
        password = self.query_one("#sign-in-password", Input).value
        if user and password:
            self.dismiss(Credentials(user, password))
