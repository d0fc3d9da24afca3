"""F9 on a LABELS backend (Chatwoot): check labels, then resolve, set pending or
snooze (for a while, or until the customer replies); notes become a private note.

Space checks a label; enter on a label resolves with the checked labels (the
highlighted one when none is checked); the ending list below picks another
end. There is no ACW countdown: such backends have no after-contact timer."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.label_wrapup import LabelEnd, labels_disposition
from agentdesk.domain.models import Disposition
from agentdesk.ui.modals.wrapup_dialog import WrapupChoice, WrapupDialog

# (option id, shown text, end, snooze seconds or None: until the customer replies)
ENDINGS: tuple[tuple[str, str, LabelEnd, int | None], ...] = (
    ("resolve", "resolve", LabelEnd.RESOLVE, None),
    ("pending", "set pending", LabelEnd.PENDING, None),
    ("snooze-reply", "snooze until the customer replies", LabelEnd.SNOOZE, None),
    ("snooze-1h", "snooze 1 hour", LabelEnd.SNOOZE, 3600),
    ("snooze-1d", "snooze 1 day", LabelEnd.SNOOZE, 24 * 3600),
    ("snooze-1w", "snooze 1 week", LabelEnd.SNOOZE, 7 * 24 * 3600),
)


class LabelWrapupDialog(WrapupDialog):
    BINDINGS = [Binding("space", "toggle_label", "Check label", id="wrapup-check", show=True)]

    def __init__(self, customer: str, labels: list[Disposition], *,
                 clock: Callable[[], float], notes: str = "") -> None:
        super().__init__(customer, labels, acw_deadline=None, clock=clock, notes=notes)
        self.checked: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Wrap-up: [b]$c[/]", c=self.customer),
                         classes="dialog-title")
            yield Static(id="wrapup-timer")
            if self.dispositions:
                yield OptionList(*[Option(self._row(d), id=d.code) for d in self.dispositions],
                                 id="wrapup-labels")
            else:
                yield Static("No labels in this account.", markup=False)
            yield Static(Content.styled("then", "$muted-foreground"))
            yield OptionList(*[Option(Content(text), id=oid) for oid, text, _e, _s in ENDINGS],
                             id="wrapup-endings")
            yield Input(self.initial_notes, placeholder="private note (optional)",
                        id="wrapup-notes")
            # One line: the dialog fits an 80x24 terminal.
            yield Static("space: check  enter: resolve / the ending  tab: next  esc: later",
                         classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._tick()
        for options in self.query(OptionList):
            options.highlighted = 0
        self.query(OptionList).first().focus()

    def _tick(self) -> None:
        shown = ", ".join(self.checked) or "none"
        self.query_one("#wrapup-timer", Static).update(Content.from_markup(
            "[$muted-foreground]labels:[/] $l", l=shown))

    def _row(self, label: Disposition) -> Content:
        mark = "[x] " if label.code in self.checked else "[ ] "
        text = Content(mark + label.code)
        if label.label != label.code:
            text += Content.styled(f" · {label.label}", "$muted-foreground")
        return text

    def action_toggle_label(self) -> None:
        labels = self.query_one("#wrapup-labels", OptionList) if self.dispositions else None
        if labels is None or not labels.has_focus or labels.highlighted is None:
            return
        code = labels.get_option_at_index(labels.highlighted).id or ""
        if code in self.checked:
            self.checked.remove(code)
        else:
            self.checked.append(code)
        label = next(d for d in self.dispositions if d.code == code)
        labels.replace_option_prompt(code, self._row(label))
        self._tick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_label":  # space types in the note field
            return not isinstance(self.focused, Input)
        return super().check_action(action, parameters)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        event.prevent_default()  # not WrapupDialog's handler as well
        if event.option_list.id == "wrapup-labels":
            if not self.checked:
                self.checked.append(event.option.id or "")
            self._end("resolve")
        else:
            self._end(event.option.id or "resolve")

    def action_submit(self) -> None:
        endings = self.query_one("#wrapup-endings", OptionList)
        index = endings.highlighted if endings.has_focus else None
        self._end(ENDINGS[index][0] if index is not None else "resolve")

    def _end(self, oid: str) -> None:
        _oid, _text, end, seconds = next(e for e in ENDINGS if e[0] == oid)
        until = self.clock() + seconds if seconds is not None else None
        notes = self.notes or None
        self.dismiss(WrapupChoice(labels_disposition(end, self.checked, until), notes))
