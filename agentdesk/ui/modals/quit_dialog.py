"""F10: quit, asking first when quitting would lose or leave something.

What the dialog says must be true of the way the desk runs:

- `demo=True`: the desk started the simulated contact center, and quitting
  stops it; its world is saved (store/demo_world.py), so the open work, paused,
  is there again at the next `agentdesk demo`.
  Otherwise open interactions stay assigned to the agent on the server.
- `available=True` (on a real server): the agent stays Available there after
  the desk closes, so offers keep coming and will be missed; F4 first.
- `drafts`: one line per unsent draft (customer · first words); a real server
  keeps them in the desk's local store for the next start, the demo too (its
  store is keyed by the demo's own identity), but they are not sent.

Public API: `QuitDialog(open_work, *, demo=False, available=False,
drafts=())`, dismissed with True (quit) or False / None (stay);
`QuitDialog.needed(open_work, *, demo, available, drafts)` says whether there
is anything to ask about (else the shell may quit at once); property `lines`
(the plain text shown, for tests).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from agentdesk.ui.modals.base import DeskModal

SHOWN = 6  # per list; the rest are counted


class QuitDialog(DeskModal[bool]):
    BINDINGS = [
        Binding("y", "confirm", "Quit", id="quit-confirm"),
        Binding("n", "cancel", "Stay", id="quit-cancel"),
    ]

    def __init__(self, open_work: list[str], *, demo: bool = False, available: bool = False,
                 drafts: Sequence[str] = ()) -> None:
        super().__init__()
        self.open_work = list(open_work)
        self.demo = demo
        self.available = available
        self.drafts = list(drafts)

    @staticmethod
    def needed(open_work: Sequence[str], *, demo: bool = False, available: bool = False,
               drafts: Sequence[str] = ()) -> bool:
        return bool(open_work or drafts or (available and not demo))

    @property
    def lines(self) -> list[str]:
        """What the dialog says, as plain lines (the buttons aside)."""
        out: list[str] = ["Quit the demo?" if self.demo else "Quit agentdesk?"]
        if self.open_work:
            out.append(f"You have {len(self.open_work)} open interaction(s):")
            out += _bullets(self.open_work)
            out.append("Quitting pauses the demo: this work is back when you start it again."
                       if self.demo else "They stay assigned to you on the server.")
        elif self.demo:
            out.append("Quitting pauses the demo (the simulated contact center is saved).")
        if self.drafts:
            out.append(f"{len(self.drafts)} unsent draft(s), kept on this computer but not sent:")
            out += _bullets(self.drafts)
        if self.available and not self.demo:
            out.append("You stay Available on the server: offers keep coming and will be missed. "
                       "Stay (n) and press F4 to go Offline first.")
        return out

    def compose(self) -> ComposeResult:
        title, *body = self.lines
        with Vertical(classes="dialog"):
            yield Static(Content(title), classes="dialog-title")
            for line in body:
                if line.startswith("  • "):
                    yield Static(Content(line))
                elif line.startswith(("You have", "You stay")) or "unsent draft" in line:
                    yield Static(Content.styled(line, "$warning"))
                else:
                    yield Static(Content(line), classes="dialog-hint")
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


def _bullets(items: list[str]) -> list[str]:
    shown = [f"  • {item}" for item in items[:SHOWN]]
    if len(items) > SHOWN:
        shown.append(f"  • … and {len(items) - SHOWN} more")
    return shown
