"""`PickerModal`: the shared look of the desk's list pickers (canned responses,
links): a wide box with an accent border over the dimmed desk, holding a title,
a list and whatever the picker adds. Escape cancels (dismisses with None); each
picker declares its own escape binding so its id stays remappable.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class PickerModal(ModalScreen[ResultT], Generic[ResultT]):
    """Compose a `Vertical` holding a `.picker-title` Static and an OptionList."""

    DEFAULT_CSS = """
    PickerModal { align: center middle; background: $background 60%; }
    PickerModal > Vertical {
        width: 80%;
        max-width: 100;
        height: auto;
        max-height: 80%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    PickerModal .picker-title { text-style: bold; height: 1; }
    PickerModal OptionList, PickerModal OptionList:focus {
        height: auto; max-height: 20; border: none; background: $surface;
    }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)
