"""A DataTable whose cell updates repaint only the changed cells.

Textual's `DataTable.update_cell` bumps one table-wide update counter that is
part of every render cache key (cells, rows, lines), so changing one cell
re-renders every visible cell. On a wallboard that changes a few cells four
times a second that is nearly all of the monitor's CPU (docs/benchmarks.md,
"Monitor"). `LiveTable.set_cells` stores new values and then drops only the
cached renders of the changed cells and rows, once per batch.

This relies on DataTable internals of Textual 8.2 (`_data`, the render caches
and their key layouts); if they are not as expected it falls back to the
stock `update_cell`, so it can only get slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


class LiveTable(DataTable[Text]):
    """DataTable with batched, cell-precise invalidation (`set_cells`)."""

    def _fast_path_available(self) -> bool:
        return all(hasattr(self, name) for name in (
            "_data", "_cell_render_cache", "_row_render_cache", "_line_cache",
            "_row_renderable_cache", "_row_locations", "_column_locations", "_update_count"))

    def set_cells(self, updates: Iterable[tuple[str, str, Text]]) -> int:
        """Set many cells, then invalidate just what shows them. Returns the count."""
        updates = list(updates)
        if not updates:
            return 0
        if not self._fast_path_available():
            for row, column, value in updates:
                self.update_cell(row, column, value)
            return len(updates)
        cells: set[tuple[RowKey, ColumnKey]] = set()
        rows: set[RowKey] = set()
        for row, column, value in updates:
            row_key, column_key = RowKey(row), ColumnKey(column)
            if row_key not in self._row_locations or column_key not in self._column_locations:
                self.update_cell(row, column, value)  # raises CellDoesNotExist
                continue
            self._data[row_key][column_key] = value
            cells.add((row_key, column_key))
            rows.add(row_key)
        try:
            cell_cache = self._cell_render_cache
            # Textual's LRUCache is not a dict: iterating it does not give its keys.
            for key in [k for k in list(cell_cache.keys()) if (k[0], k[1]) in cells]:
                cell_cache.discard(key)
            row_cache = self._row_render_cache
            for key in [k for k in list(row_cache.keys()) if k[0] in rows]:
                row_cache.discard(key)
            indexes = {self._row_locations.get(r) for r in rows}
            renderables = self._row_renderable_cache
            for key in [k for k in list(renderables.keys()) if k[1] in indexes]:
                renderables.discard(key)
            self._line_cache.clear()
        except Exception:
            self._update_count += 1
        self.refresh()
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
