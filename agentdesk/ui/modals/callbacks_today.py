"""My callbacks due today: one line each, time (the desk's time zone),
customer, note and state (scheduled / due / missed / done / blocked), by time.
The rows come from a function (`domain/callback_day.py` over the session's
callbacks) and `reload()` redraws them while the list is open, so callback.*
events keep it current. Enter picks a row (the desk then dials it if it is
offered to me, else shows the customer); escape closes.

Public API: `CallbacksToday(rows, tz=None)` where `rows()` returns
`CallbackRow`s; `reload()`; dismissed with the chosen row or None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.callback_day import CallbackRow
from agentdesk.ui.modals.base import DeskModal

STATE_STYLE = {"due": "bold $success", "missed": "bold $warning", "blocked": "$error",
               "done": "$text-muted", "cancelled": "$text-muted", "scheduled": ""}
NOTE_CHARS = 40


class CallbacksToday(DeskModal[CallbackRow | None]):
    def __init__(self, rows: Callable[[], list[CallbackRow]], tz: dt.tzinfo | None = None) -> None:
        super().__init__()
        self._rows_of = rows
        self.tz = tz
        self.rows: list[CallbackRow] = rows()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("My callbacks due today", classes="dialog-title", markup=False)
            yield Static(id="callbacks-empty", markup=False)
            yield OptionList(id="callbacks-list")
            yield Static("enter: call if due, else show the customer   escape: close",
                         classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        """Redraw from the current callbacks, the same row highlighted where it still is."""
        self.rows = self._rows_of()
        if self.is_mounted:
            self._fill()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        was = options.highlighted_option.id if options.highlighted_option is not None else None
        options.clear_options()
        options.add_options([Option(self._line(row), id=row.callback_id) for row in self.rows])
        ids = [row.callback_id for row in self.rows]
        options.highlighted = ids.index(was) if was in ids else (0 if ids else None)
        empty = self.query_one("#callbacks-empty", Static)
        empty.update("No callbacks for today." if not ids else "")
        empty.display = not ids

    def _line(self, row: CallbackRow) -> Content:
        when = dt.datetime.fromtimestamp(row.at, self.tz)
        note = " ".join(row.note.split())
        if len(note) > NOTE_CHARS:
            note = note[: NOTE_CHARS - 1] + "…"
        return Content.assemble(
            (f"{when:%H:%M}", "bold"), "  ", (f"{row.state:<9}", STATE_STYLE.get(row.state, "")),
            " ", row.customer_name, ("  " + note if note else "", "$text-muted"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next((r for r in self.rows if r.callback_id == event.option.id), None)
        self.dismiss(chosen)
