"""A DataTable whose cell updates repaint only the changed cells.

Textual's `DataTable.update_cell` bumps one table-wide update counter that is
part of every render cache key (cells, rows, lines), so changing one cell
re-renders every visible cell. On a wallboard that changes a few cells four
times a second that is nearly all of the monitor's CPU (docs/benchmarks.md,
"Monitor"). `LiveTable.set_cells` stores new values and then drops only the
cached renders of the changed cells and rows, once per batch.

This relies on DataTable internals of Textual 8.2 (`_data`, the render caches
and their key layouts), touched only in `textual_compat.set_cells_in_place`;
if they are not as expected it falls back to the stock `update_cell`, so it
can only get slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from agentdesk.ui.textual_compat import set_cells_in_place


class LiveTable(DataTable[Text]):
    """DataTable with batched, cell-precise invalidation (`set_cells`)."""

    def set_cells(self, updates: Iterable[tuple[str, str, Text]]) -> int:
        """Set many cells, then invalidate just what shows them. Returns the count."""
        updates = list(updates)
        if updates and not set_cells_in_place(self, updates):
            for row, column, value in updates:
                self.update_cell(row, column, value)
        return len(updates)

    @property
    def selected_key(self) -> str | None:
        """The row key under the cursor (rows are keyed by agent or queue id)."""
        if not self.row_count:
            return None
        try:
            return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        except Exception:
            return None
