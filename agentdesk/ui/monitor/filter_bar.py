"""The agents filter: one input, `queue:… state:… name` words."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class FilterBar(Input):
    """Filter of the agents board. Enter or Escape returns to the board."""

    DEFAULT_CSS = """
    FilterBar { height: 1; border: none; padding: 0 1; background: $surface; }
    FilterBar:focus { border: none; background: $boost; }
    """

    BINDINGS = [
        Binding("escape", "done", "Back to board", id="filter-done"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="/ filter agents: name  queue:billing  state:busy",
                         id=id, select_on_focus=False)

    def action_done(self) -> None:
        self.screen.focus_next()
