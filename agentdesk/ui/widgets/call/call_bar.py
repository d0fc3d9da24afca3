"""`CallBar`: the state of a voice interaction's call, above its timeline.

Shows the call state (ringing / connected / on hold / ended), a live timer
(talk time, plus the hold timer while held), the muted indicator, the last
DTMF digits sent and the key hints. It draws from a `CallInfo` and a clock
callable `now()` so tests can freeze time.

Public API: `CallBar(call: CallInfo | None, now: Callable[[], float], *,
name=None, id=None, classes=None)`, `update_call(call)`, `tick()` (re-reads
the clock; the owning `InteractionView` calls it once a second, so there is one
timer per view), property `call`. No messages and no bindings: the shell binds
F5 hold, F6 mute, F7 transfer, F8 hang up and ctrl+d keypad.
"""

from __future__ import annotations

from typing import Callable

from textual.content import Content
from textual.widgets import Static

from agentdesk.domain.models import CallInfo, CallState

HINTS = (("F5", "hold"), ("F6", "mute"), ("F7", "transfer"), ("F8", "hang up"), ("ctrl+d", "keypad"))
DTMF_SHOWN = 12  # the last digits sent; older ones do not help the agent


def format_duration(seconds: float) -> str:
    """mm:ss, or h:mm:ss past an hour."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def talk_seconds(call: CallInfo, now: float) -> float:
    """Connected time minus time on hold, up to now (or the end of the call)."""
    if call.connected_at is None:
        return 0.0
    end = call.ended_at if call.ended_at is not None else now
    held = call.hold_total_s
    if call.held_since is not None and call.ended_at is None:
        held += max(0.0, now - call.held_since)
    return max(0.0, end - call.connected_at - held)


class CallBar(Static):
    """One-glance call status with the call keys."""

    DEFAULT_CSS = """
    CallBar {
        height: 2;
        padding: 0 1;
        background: $boost;
        border-bottom: none;
    }
    CallBar.-ringing { background: $warning 20%; }
    CallBar.-held { background: $warning 15%; }
    CallBar.-ended { color: $muted-foreground; }
    """

    def __init__(
        self,
        call: CallInfo | None,
        now: Callable[[], float],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._call = call
        self._now = now

    @property
    def call(self) -> CallInfo | None:
        return self._call

    def on_mount(self) -> None:
        self.tick()

    def update_call(self, call: CallInfo | None) -> None:
        self._call = call
        self.tick()

    def tick(self) -> None:
        call = self._call
        state = call.state if call else None
        for name in ("ringing", "connected", "held", "ended"):
            self.set_class(state is not None and state.value == name, f"-{name}")
        self.update(Content("\n").join([self._status_line(), self._hints_line()]))

    def _status_line(self) -> Content:
        call = self._call
        if call is None:
            return Content.styled("☎ No call", "$muted-foreground")
        now = self._now()
        talk = format_duration(talk_seconds(call, now))
        parts: list[Content | str | tuple[str, str]] = []
        if call.state is CallState.RINGING:
            parts.append(("☎ Ringing", "bold $warning"))
        elif call.state is CallState.CONNECTED:
            parts += [("● Connected", "bold $success"), "  ", (talk, "bold")]
        elif call.state is CallState.HELD:
            held_for = format_duration(now - call.held_since) if call.held_since is not None else "--:--"
            parts += [("Ⅱ On hold", "bold $warning"), "  ", (held_for, "bold $warning"), f"  talk {talk}"]
        else:
            parts += [("■ Ended", "bold"), "  ", (talk, "bold")]
        if call.muted:
            parts += ["  ", (" MUTED ", "bold reverse $error")]
        if call.dtmf:
            parts += ["  DTMF ", (call.dtmf[-DTMF_SHOWN:], "bold")]
        if call.consult_agent_id:
            parts += ["  consulting ", Content(call.consult_agent_id)]
        return Content.assemble(*parts)

    def _hints_line(self) -> Content:
        call = self._call
        ended = call is None or call.state is CallState.ENDED
        held = call is not None and call.state is CallState.HELD
        key_style = "$muted-foreground" if ended else "bold $accent"
        parts: list[Content | str | tuple[str, str]] = []
        for key, label in HINTS:
            if key == "F5" and held:
                label = "resume"
            if parts:
                parts.append("  ")
            parts += [(key, key_style), f" {label}"]
        return Content.assemble(*parts)
