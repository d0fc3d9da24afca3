"""Shared look and escape key of every desk dialog."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class DeskModal(ModalScreen[ResultT], Generic[ResultT]):
    """A centred dialog box; escape cancels (dismisses with None)."""

    DEFAULT_CSS = """
    DeskModal { align: center middle; background: $background 60%; }
    DeskModal > .dialog {
        width: 72; max-width: 95%;
        height: auto; max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    DeskModal .dialog-title { text-style: bold; color: $primary; height: 1; margin-bottom: 1; }
    DeskModal .dialog-hint { color: $text-muted; height: auto; margin-top: 1; }
    DeskModal OptionList, DeskModal OptionList:focus {
        height: auto; max-height: 16; border: none; background: $surface;
    }
    DeskModal Input { margin: 0; }
    DeskModal .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    DeskModal Button { margin-left: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Close", id="modal-cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)
