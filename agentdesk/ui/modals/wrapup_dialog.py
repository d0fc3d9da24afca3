"""F9: after-contact work: pick a disposition, add notes, watch the ACW timer.

When the ACW time runs out the server closes the contact itself; the desk then
closes this dialog (`close_unsaved`) and says what happened to the notes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.models import Disposition
from agentdesk.ui.modals.base import DeskModal
from agentdesk.ui.timefmt import countdown_level, duration


@dataclass(frozen=True, slots=True)
class WrapupChoice:
    disposition: str
    notes: str | None


class WrapupDialog(DeskModal[WrapupChoice | None]):
    BINDINGS = [Binding("ctrl+s", "submit", "Wrap up", id="wrapup-submit"),
                Binding("ctrl+b", "callback", "Callback", id="wrapup-callback")]

    def __init__(self, customer: str, dispositions: list[Disposition], *,
                 acw_deadline: float | None, clock: Callable[[], float], notes: str = "",
                 schedule_callback: Callable[[], Awaitable[str | None]] | None = None) -> None:
        super().__init__()
        # Opens the callback picker over this dialog and schedules; the callback in
        # words, or None (cancelled or refused). None: the backend has no callbacks.
        self.schedule_callback = schedule_callback
        self.customer = customer
        self.dispositions = dispositions
        self.acw_deadline = acw_deadline
        self.clock = clock
        self.initial_notes = notes

    def compose(self) -> ComposeResult:
        width = min(40, max((len(d.label) for d in self.dispositions), default=0))
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Wrap-up: [b]$c[/]", c=self.customer), classes="dialog-title")
            yield Static(id="wrapup-timer")
            yield OptionList(
                *[Option(disposition_row(d, width), id=d.code) for d in self.dispositions],
                id="wrapup-dispositions",
            )
            yield Input(self.initial_notes, placeholder="notes (optional)", id="wrapup-notes")
            hint = "enter on a disposition or ctrl+s: wrap up   escape: later"
            if self.schedule_callback is not None:
                hint += "   ctrl+b: callback"
            yield Static(hint, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)
        if self.dispositions:
            self.query_one(OptionList).highlighted = 0
        self.query_one(OptionList).focus()

    def _tick(self) -> None:
        timer = self.query_one("#wrapup-timer", Static)
        if self.acw_deadline is None:
            timer.update(Content.from_markup("[$muted-foreground]after-contact work[/]"))
            return
        left = self.acw_deadline - self.clock()
        if left <= 0:  # never a negative countdown: the server closes the contact now
            timer.update(Content.from_markup(
                f"[b ${countdown_level('acw', 0.0)}]ACW time is up[/]: the server closes the contact"))
            return
        timer.update(Content.from_markup(
            f"ACW time left [b ${countdown_level('acw', left)}]$t[/]", t=duration(left)))

    @property
    def notes(self) -> str:
        """The notes typed so far (stripped)."""
        try:
            return self.query_one("#wrapup-notes", Input).value.strip()
        except NoMatches:
            return self.initial_notes.strip()

    def close_unsaved(self) -> None:
        """The contact was closed without this dialog (the ACW time ran out): leave
        with nothing to submit, popping whatever was opened over it first."""
        app = self.app
        if app.screen is self:
            self.dismiss(None)
        elif self in app.screen_stack:
            self.pop_until_active()
            app.call_later(self.dismiss, None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "callback":
            return self.schedule_callback is not None
        return True

    def action_callback(self) -> None:
        if self.schedule_callback is not None:
            self.run_worker(self._callback(self.schedule_callback), group="callback",
                            exclusive=True, exit_on_error=False)

    async def _callback(self, schedule: Callable[[], Awaitable[str | None]]) -> None:
        made = await schedule()
        if made is None:
            return
        try:
            field = self.query_one("#wrapup-notes", Input)
        except NoMatches:
            return
        field.value = " | ".join(p for p in (field.value.strip(), f"Callback: {made}") if p)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._finish(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.notify("Pick a disposition first", markup=False)
            return
        self._finish(options.get_option_at_index(options.highlighted).id)

    def _finish(self, code: str | None) -> None:
        if not code:
            return
        notes = self.query_one("#wrapup-notes", Input).value.strip() or None
        self.dismiss(WrapupChoice(code, notes))


def disposition_row(disposition: Disposition, width: int) -> Content:
    """'Resolved on first contact · resolved': the label, padded to a column of
    `width`, then the code, muted, so the two never read as one phrase."""
    label = disposition.label.ljust(width)
    return Content(label) + Content.styled(f" · {disposition.code}", "$muted-foreground")
