"""`InteractionView`: the body of one interaction tab.

Vertical: `CallBar` (voice only) + `Timeline` + a state line + `Composer`. The
state line says what the agent can do now: an offer with its countdown
("Incoming chat - F2 accept, F3 reject, 17 s"), after-contact work with its
time left ("After-contact work - F9 to wrap up, 43 s left"), or that the
interaction is closed (the composer is then disabled with the reason).

Each view owns its widgets and its draft, so two views can sit side by side
in a split. One timer per view refreshes the countdowns and the call timer once
a second (never a timer per item).

Public API: `InteractionView(interaction, now: Callable[[], float], *, tz=None,
draft_delay=0.5, name=None, id=None, classes=None)`,
`update_interaction(interaction)`, `tick()` (what the timer calls), properties
`interaction`, `timeline`, `composer`, `call_bar` (None unless voice),
`state_text` (the plain text of the state line), `set_keys(keys)` (binding
id -> the key now bound, e.g. {"offer-accept": "^a", "wrapup": "^w"}: the
state line and the call bar name those keys), `open_link_picker()` (the
shell's ctrl+o: the links of this conversation, newest first, in a
`LinkPicker`; the chosen one opens only after `ConfirmLink`). A link clicked
in the timeline (`Timeline.LinkActivated`) goes to `ConfirmLink` too; the URL
opens with `App.open_url` only on an explicit "open". No messages of its own:
the Timeline / Composer messages bubble through it. No bindings (the shell
binds F2/F3/F9 and ctrl+o).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agentdesk.domain.models import Channel, Interaction, InteractionState
from agentdesk.ui.glyphs import CHANNEL_GLYPH, CHANNEL_LABEL
from agentdesk.ui.key_label import key_label
from agentdesk.ui.widgets.call.call_bar import CallBar
from agentdesk.ui.widgets.composer.composer import Composer
from agentdesk.ui.widgets.repaint import show
from agentdesk.ui.widgets.timeline.timeline import Timeline


def _seconds_left(deadline: float | None, now: float) -> int | None:
    """Whole seconds left, cut as the offer banner and the tab cut theirs
    (`timefmt.duration`): the three countdowns of one offer read the same."""
    if deadline is None:
        return None
    return max(0, int(deadline - now))


class InteractionView(Vertical):
    """Call bar, timeline, state line and composer of one interaction."""

    DEFAULT_CSS = """
    InteractionView { height: 1fr; }
    InteractionView #interaction-state { height: auto; padding: 0 1; display: none; }
    InteractionView.-offered #interaction-state { display: block; background: $warning 25%; text-style: bold; }
    InteractionView.-wrapup #interaction-state { display: block; background: $accent 20%; }
    InteractionView.-closed #interaction-state { display: block; color: $muted-foreground; background: $boost; }
    InteractionView.-urgent #interaction-state { background: $error 30%; }
    """

    def __init__(
        self,
        interaction: Interaction,
        now: Callable[[], float],
        *,
        tz: tzinfo | None = None,
        draft_delay: float = 0.5,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._disabled_shown: str | None | bool = False  # False: not applied yet
        self._state_class_shown: str | None | bool = False
        self._interaction = interaction
        self._now = now
        self._timeline = Timeline(tz=tz)
        self._composer = Composer(
            interaction.id, interaction.channel, subject=interaction.subject, draft_delay=draft_delay
        )
        self._call_bar = (
            CallBar(interaction.call, now, offered=interaction.state is InteractionState.OFFERED)
            if interaction.channel is Channel.VOICE else None
        )
        self._state_text = ""
        self._state_line = Static(id="interaction-state")
        self._keys = {"offer-accept": "F2", "offer-reject": "F3", "wrapup": "F9"}
        self._pane_named: tuple[Channel, str] | None = None
        self._name_pane()

    def _name_pane(self) -> None:
        """The pane's title (shown in the split view, where two conversations sit
        side by side): whose conversation it is."""
        inter = self._interaction
        if self._pane_named == (inter.channel, inter.customer_name):
            return  # setting the title repaints the whole view: once per change, not per event
        self._pane_named = (inter.channel, inter.customer_name)
        self.border_title = Content.assemble(
            CHANNEL_GLYPH.get(inter.channel, ""), " ", (inter.customer_name, "bold"))

    @property
    def interaction(self) -> Interaction:
        return self._interaction

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    @property
    def composer(self) -> Composer:
        return self._composer

    @property
    def call_bar(self) -> CallBar | None:
        return self._call_bar

    @property
    def state_text(self) -> str:
        return self._state_text

    def compose(self) -> ComposeResult:
        if self._call_bar is not None:
            yield self._call_bar
        yield self._timeline
        yield self._state_line
        yield self._composer

    def on_mount(self) -> None:
        self._apply_state()
        self.set_interval(1.0, self.tick, name="interaction-countdown")

    def update_interaction(self, interaction: Interaction) -> None:
        self._interaction = interaction
        self._name_pane()
        if self._call_bar is not None:
            self._call_bar.update_call(interaction.call,
                                       offered=interaction.state is InteractionState.OFFERED)
        self._apply_state()

    def set_keys(self, keys: dict[str, str]) -> None:
        """Name the keys the desk bound now (binding id -> display name)."""
        self._keys.update({k: key_label(v) for k, v in keys.items() if v})
        if self._call_bar is not None:
            self._call_bar.set_keys(keys)
        if self.is_mounted:
            self._show_state_line()

    def open_link_picker(self) -> None:
        """List this conversation's links (newest first); open one after confirming."""
        from agentdesk.ui.widgets.timeline.link_picker import LinkPicker

        choices = self._timeline.recent_links(self._interaction.id)
        if not choices:
            self.notify("No links in this conversation.", markup=False, timeout=3)
            return
        self.app.push_screen(LinkPicker(choices, tz=self._timeline.tz), self._link_chosen)

    def _link_chosen(self, url: str | None) -> None:
        if url:
            self._confirm_link(url)

    def on_timeline_link_activated(self, event: Timeline.LinkActivated) -> None:
        event.stop()
        self._confirm_link(event.url)

    def _confirm_link(self, url: str) -> None:
        from agentdesk.ui.widgets.suggestions.confirm_link import confirm_and_open

        confirm_and_open(self.app, url)

    def tick(self) -> None:
        if self._call_bar is not None:
            self._call_bar.tick()
        self._show_state_line()

    def _apply_state(self) -> None:
        state = self._interaction.state
        state_class = self._state_class()
        if state_class != self._state_class_shown:  # set_class costs a regex per call
            self._state_class_shown = state_class
            for name in ("offered", "wrapup", "closed"):
                self.set_class(state_class == name, f"-{name}")
        if state is InteractionState.OFFERED:
            reason: str | None = "Accept the contact to reply."
        elif state in (InteractionState.CLOSED, InteractionState.ABANDONED):
            reason = "This interaction is closed: read only."
        elif state is InteractionState.QUEUED:
            reason = "Waiting in queue: not assigned to you yet."
        else:
            reason = None
        if reason != self._disabled_shown:  # an update of the label costs a layout pass
            self._disabled_shown = reason
            self._composer.set_disabled(reason)
        self._show_state_line()

    def _state_class(self) -> str | None:
        state = self._interaction.state
        if state is InteractionState.OFFERED:
            return "offered"
        if state is InteractionState.WRAPUP:
            return "wrapup"
        if state in (InteractionState.CLOSED, InteractionState.ABANDONED):
            return "closed"
        return None

    def _show_state_line(self) -> None:
        interaction = self._interaction
        now = self._now()
        label = CHANNEL_LABEL[interaction.channel]
        text = ""
        urgent = False
        if interaction.state is InteractionState.OFFERED:
            left = _seconds_left(interaction.offer_expires_at, now)
            verb = "call" if interaction.channel is Channel.VOICE else label.lower()
            text = f"Incoming {verb} - {self._keys['offer-accept']} accept, {self._keys['offer-reject']} reject"
            if left is not None:
                text += f", {left} s"
                urgent = left <= 5
        elif interaction.state is InteractionState.WRAPUP:
            left = _seconds_left(interaction.acw_deadline, now)
            text = f"After-contact work - {self._keys['wrapup']} to wrap up"
            if left is not None:
                text += f", {left} s left"
                urgent = left <= 10
        elif interaction.state is InteractionState.CLOSED:
            disposition = f" ({interaction.disposition})" if interaction.disposition else ""
            text = f"Closed{disposition} - read only"
        elif interaction.state is InteractionState.ABANDONED:
            text = "The customer left before being answered - read only"
        if urgent != self.has_class("-urgent"):
            self.set_class(urgent, "-urgent")
        if text != self._state_text:
            self._state_text = text
            # A countdown ticks here every second: a repaint while its width in
            # cells stays (it then wraps the same), a layout pass only when not.
            show(self._state_line, Content(text))
