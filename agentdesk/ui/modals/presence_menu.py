"""F4: pick a presence now, or one to take once current work is done.

The cursor starts on "Available" (the most common choice), whatever the
current presence is. Choosing the current presence again just closes the menu,
except "Available" while the agent is out of routing (a missed offer): that
re-arms routing (`rearm=True`).

It lists only the presences the backend has (`states`, from the capabilities),
named as the backend names them (`names`: Chatwoot's "busy" for away), and
hides "after current work" where the backend cannot schedule it (`schedule`)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.models import Presence
from agentdesk.ui.glyphs import PRESENCE_DOT, PRESENCE_LABEL, presence_var
from agentdesk.ui.modals.base import DeskModal


@dataclass(frozen=True, slots=True)
class PresenceChoice:
    presence: Presence | None  # None: keep the current one
    next: Presence | None = None


class PresenceMenu(DeskModal[PresenceChoice | None]):
    DEFAULT_CSS = "PresenceMenu > .dialog { width: 52; }"

    def __init__(self, current: Presence | None, next_presence: Presence | None = None,
                 *, work_open: bool = False, rearm: bool = False,
                 states: tuple[Presence, ...] = tuple(Presence), schedule: bool = True,
                 names: dict[Presence, str] | None = None) -> None:
        super().__init__()
        self.states = tuple(p for p in Presence if p in states)
        self.schedule = schedule
        self.names = names or {}
        self.rearm = rearm
        self.current = current
        self.next_presence = next_presence
        self.work_open = work_open

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        for p in self.states:
            mark = "  (now)" if p is self.current else ""
            options.append(Option(Content.from_markup(
                f"[${presence_var(p)}]$dot[/] $label[$muted-foreground]$mark[/]",
                dot=PRESENCE_DOT, label=self.label(p), mark=mark), id=f"now:{p.value}"))
        if self.schedule:
            options.append(None)
            for p in self.states:
                if p is Presence.AVAILABLE:
                    continue
                mark = "  (scheduled)" if p is self.next_presence else ""
                options.append(Option(Content.from_markup(
                    "[$muted-foreground]after current work:[/] $label$mark",
                    label=self.label(p), mark=mark), id=f"next:{p.value}"))
            if self.next_presence is not None:
                options.append(Option(Content("cancel the scheduled status"), id="next:cancel"))
        with Vertical(classes="dialog"):
            yield Static("Presence", classes="dialog-title")
            yield OptionList(*options, id="presence-options")
            hint = "enter: choose   escape: close"
            if self.work_open and self.schedule:
                hint += "\nwork is open: 'after current work' keeps routing off until it is done"
            yield Static(hint, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        if Presence.AVAILABLE in self.states:
            self.query_one(OptionList).highlighted = self.states.index(Presence.AVAILABLE)

    def label(self, presence: Presence) -> str:
        return self.names.get(presence) or PRESENCE_LABEL[presence]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        when, _, value = (event.option.id or "").partition(":")
        if when == "now":
            chosen = Presence(value)
            if chosen is self.current and not (self.rearm and chosen is Presence.AVAILABLE):
                self.dismiss(None)  # already so: nothing to change
            else:
                self.dismiss(PresenceChoice(chosen))
        elif value == "cancel":
            self.dismiss(PresenceChoice(self.current, None))
        else:
            self.dismiss(PresenceChoice(None, Presence(value)))
