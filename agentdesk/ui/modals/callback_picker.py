"""The callback picker: when to call the customer back, and a note for whoever
makes the call. Times are offered as choices (in 30 minutes, in an hour,
tomorrow at 09:00 ...) in the desk's time zone, so nothing has to be typed and
parsed. With a `rule` (why the customer may not be called at a time, from the
desk's copy of their compliance data) a time outside their calling hours is
shown greyed with the reason and cannot be chosen; the server checks again and
refuses in words.

Public API: `CallbackPicker(customer, now, tz=None, rule=None)`, dismissed with
`(at, note)` (server time, the note's text) or None (escape).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.ui.modals.base import DeskModal

IN_MINUTES = (30, 60, 120, 240)
TOMORROW_AT = (9, 14, 17)


def choices(now: float, tz: dt.tzinfo | None) -> list[tuple[str, float]]:
    """(label, time) of the offered callback times after `now`."""
    local = dt.datetime.fromtimestamp(now, tz)
    out = []
    for minutes in IN_MINUTES:
        at = local + dt.timedelta(minutes=minutes)
        words = f"in {minutes} minutes" if minutes < 60 else \
            f"in {minutes // 60} hour{'s' if minutes > 60 else ''}"
        out.append((f"{words} ({at:%H:%M})", at.timestamp()))
    tomorrow = (local + dt.timedelta(days=1)).date()
    for hour in TOMORROW_AT:
        at = dt.datetime.combine(tomorrow, dt.time(hour), local.tzinfo)
        out.append((f"tomorrow {at:%a %d %b %H:%M}", at.timestamp()))
    return out


class CallbackPicker(DeskModal[tuple[float, str] | None]):
    def __init__(self, customer: str, now: float, tz: dt.tzinfo | None = None,
                 rule: Callable[[float], str | None] | None = None) -> None:
        super().__init__()
        self.customer = customer
        self.times = choices(now, tz)
        # why each time is refused (None: allowed)
        self.refused = [rule(at) if rule is not None else None for _label, at in self.times]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Call [b]$c[/] back", c=self.customer),
                         classes="dialog-title")
            yield Input(placeholder="note for the call (optional)", id="callback-note",
                        max_length=1000)
            yield OptionList(*[self._option(i, label) for i, (label, _at) in enumerate(self.times)],
                             id="callback-times")
            yield Static("enter: schedule at this time   tab: note   escape: cancel",
                         classes="dialog-hint", markup=False)

    def _option(self, i: int, label: str) -> Option:
        why = self.refused[i]
        if why is None:
            return Option(Content(label), id=str(i))
        return Option(Content.assemble(label, (f" · {why}", "$text-warning")), id=str(i),
                      disabled=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        allowed = [i for i, why in enumerate(self.refused) if why is None]
        # in an hour, else the first time allowed
        options.highlighted = 1 if 1 in allowed else (allowed[0] if allowed else None)
        options.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        _label, at = self.times[int(event.option.id or 0)]
        self.dismiss((at, self.query_one("#callback-note", Input).value.strip()))
