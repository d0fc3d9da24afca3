"""`ConfirmLink`: asks before opening a link from untrusted text.

`ConfirmLink(url)` shows the full URL (literally, never shortened) and
dismisses with True (open) or False. Bindings (ids): link-open (y),
link-cancel (n, escape).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmLink(ModalScreen[bool]):
    """Open this link? Shows the whole URL first."""

    DEFAULT_CSS = """
    ConfirmLink { align: center middle; }
    ConfirmLink > Vertical {
        width: 70%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmLink #link-question { text-style: bold; }
    ConfirmLink #link-url { background: $boost; margin: 1 0; height: auto; }
    ConfirmLink Horizontal { height: auto; align-horizontal: right; }
    ConfirmLink Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Open", id="link-open"),
        Binding("n,escape", "answer(False)", "Cancel", id="link-cancel"),
    ]

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Open this link in your browser?", id="link-question", markup=False)
            yield Static(Content(self.url), id="link-url")
            with Horizontal():
                yield Button("Cancel (n)", id="link-no")
                yield Button("Open (y)", id="link-yes", variant="warning")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "link-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
