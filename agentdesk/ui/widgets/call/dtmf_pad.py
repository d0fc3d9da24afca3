"""`DtmfPad`: a modal telephone keypad for sending DTMF digits.

`DtmfPad(title="Keypad")` dismisses with the digits typed (a `str` of
0-9 * #) when Enter is pressed, or None on Escape (also None when Enter is
pressed with nothing typed). Digits are typed on the keyboard or clicked.
Bindings (ids): dtmf-send (enter), dtmf-cancel (escape), dtmf-backspace
(backspace).
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

KEYS = "123456789*0#"
LETTERS = {"2": "abc", "3": "def", "4": "ghi", "5": "jkl", "6": "mno", "7": "pqrs", "8": "tuv", "9": "wxyz"}
MAX_DIGITS = 32


class DtmfPad(ModalScreen[str | None]):
    """Keypad dialog: type or click digits, Enter sends them."""

    DEFAULT_CSS = """
    DtmfPad { align: center middle; }
    DtmfPad > Vertical {
        width: 32;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    DtmfPad #dtmf-title { text-style: bold; width: 1fr; content-align: center middle; }
    DtmfPad #dtmf-digits {
        height: 1;
        background: $boost;
        content-align: center middle;
        text-style: bold;
        margin-bottom: 1;
    }
    DtmfPad Grid { grid-size: 3 4; grid-gutter: 0 1; height: auto; }
    DtmfPad Button { width: 1fr; min-width: 6; height: 3; }
    DtmfPad #dtmf-help { color: $muted-foreground; content-align: center middle; width: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "send", "Send", id="dtmf-send"),
        Binding("escape", "cancel", "Cancel", id="dtmf-cancel"),
        Binding("backspace", "backspace", "Delete", show=False, id="dtmf-backspace"),
    ]

    def __init__(self, title: str = "Keypad") -> None:
        super().__init__()
        self._title = title
        self.digits = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self._title), id="dtmf-title")
            yield Static(" ", id="dtmf-digits")
            with Grid():
                for key in KEYS:
                    button = Button(f"{key} {LETTERS.get(key, '')}".strip(), id=f"dtmf-{_key_id(key)}")
                    button.can_focus = False  # Enter sends; it must not press a focused button
                    button.digit = key  # type: ignore[attr-defined]
                    yield button
            yield Static("Enter send · Esc cancel", id="dtmf-help")

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character in KEYS:
            event.stop()
            self.press(event.character)

    @on(Button.Pressed)
    def _clicked(self, event: Button.Pressed) -> None:
        event.stop()
        self.press(event.button.digit)

    def press(self, digit: str) -> None:
        if digit in KEYS and len(self.digits) < MAX_DIGITS:
            self.digits += digit
            self._show()

    def action_backspace(self) -> None:
        self.digits = self.digits[:-1]
        self._show()

    def action_send(self) -> None:
        self.dismiss(self.digits or None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _show(self) -> None:
        self.query_one("#dtmf-digits", Static).update(Content(self.digits or " "))


def _key_id(key: str) -> str:
    return {"*": "star", "#": "hash"}.get(key, key)
