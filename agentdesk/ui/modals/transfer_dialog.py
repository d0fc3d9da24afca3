"""F7: transfer the interaction to a queue, a team or an agent, blind or warm.

It offers exactly the targets the backend's capabilities allow: the caller
passes `groups` as queues or as teams (`group_kind`), agents only when an agent
is a target, and `warm_allowed=False` hides the blind/warm switch."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.models import AgentInfo, Presence, Queue, TransferMode
from agentdesk.ui.glyphs import CHANNEL_GLYPH, PRESENCE_DOT, PRESENCE_LABEL, ROUTING_LABEL, presence_var
from agentdesk.ui.modals.base import DeskModal


@dataclass(frozen=True, slots=True)
class TransferChoice:
    mode: TransferMode
    queue_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None


class TransferDialog(DeskModal[TransferChoice | None]):
    BINDINGS = [Binding("ctrl+t", "toggle_mode", "Blind/warm", id="transfer-mode")]

    def __init__(self, customer: str, queues: list[Queue], agents: list[AgentInfo],
                 *, warm_allowed: bool = True, group_kind: str = "queue") -> None:
        super().__init__()
        self.customer = customer
        self.queues = queues
        self.group_kind = group_kind  # "queue" or "team": what `queues` are
        self.agents = agents
        self.warm_allowed = warm_allowed
        self.mode = TransferMode.BLIND

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        for q in self.queues:
            glyphs = "".join(CHANNEL_GLYPH[c] for c in q.channels)
            options.append(Option(Content.from_markup(
                "[$muted-foreground]$kind[/] [b]$name[/] [$muted-foreground]$g[/]",
                kind=self.group_kind, name=q.name, g=glyphs if self.group_kind == "queue" else ""),
                id=f"{'t' if self.group_kind == 'team' else 'q'}:{q.id}"))
        if self.agents and options:
            options.append(None)
        for a in self.agents:
            options.append(Option(Content.from_markup(
                f"[$muted-foreground]agent[/] [${presence_var(a.presence)}]$dot[/] $name "
                "[$muted-foreground]$presence, $routing[/]",
                dot=PRESENCE_DOT, name=a.name, presence=PRESENCE_LABEL[a.presence],
                routing=ROUTING_LABEL[a.routing_state]), id=f"a:{a.id}",
                disabled=a.presence is Presence.OFFLINE))
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Transfer [b]$c[/]", c=self.customer), classes="dialog-title")
            if self.warm_allowed:
                yield Static(id="transfer-mode")
            if options:
                yield OptionList(*options, id="transfer-targets")
            else:
                yield Static(f"No {self.group_kind} or agent to transfer to.", markup=False)
            hint = ("enter: transfer   ctrl+t: blind / warm   escape: cancel" if self.warm_allowed
                    else "enter: transfer   escape: cancel")
            yield Static(hint, classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        if self.warm_allowed:
            self._show_mode()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No blind/warm key in the footer or F1 where warm transfer does not exist.
        if action == "toggle_mode" and not self.warm_allowed:
            return False
        return super().check_action(action, parameters)

    def _show_mode(self) -> None:
        blind = self.mode is TransferMode.BLIND
        self.query_one("#transfer-mode", Static).update(Content.from_markup(
            "mode: [b $accent]$m[/] [$muted-foreground]$why[/]",
            m="blind" if blind else "warm",
            why="(hand over now)" if blind else "(talk to the agent first)"))

    def action_toggle_mode(self) -> None:
        if not self.warm_allowed:
            self.notify("Warm transfer is not available here", markup=False)
            return
        self.mode = TransferMode.WARM if self.mode is TransferMode.BLIND else TransferMode.BLIND
        self._show_mode()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, target = (event.option.id or "").partition(":")
        if kind == "q":
            self.dismiss(TransferChoice(self.mode, queue_id=target))
        elif kind == "t":
            self.dismiss(TransferChoice(self.mode, team_id=target))
        elif kind == "a":
            self.dismiss(TransferChoice(self.mode, agent_id=target))
