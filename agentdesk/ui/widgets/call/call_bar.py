"""`CallBar`: the state of a voice interaction's call, above its timeline.

Shows the call state (ringing / connected / on hold / ended), a live timer
(talk time, plus the hold timer while held), the muted indicator, the last
DTMF digits sent and the key hints. It draws from a `CallInfo` and a clock
callable `now()` so tests can freeze time.

Public API: `CallBar(call: CallInfo | None, now: Callable[[], float], *,
keys=None, name=None, id=None, classes=None)`, `update_call(call)`, `tick()`
(re-reads the clock; the owning `InteractionView` calls it once a second, so
there is one timer per view), `set_keys(keys)`, `set_agent_names(names)`
(agent id -> name, for the consult line), properties `call`, `keys`.
No messages and no bindings: the shell binds F5 hold, F6 mute, F7 transfer,
F8 hang up and ctrl+d keypad.

The hints name the keys the shell actually bound: `keys` maps a binding id
(`call-hold`, `call-mute`, `transfer`, `call-hangup`, `call-dtmf`, `wrapup`)
to its display name ("F5", "^h" after a remap); ids left out keep the
defaults in `DEFAULT_KEYS`. Each label says what the key does *now*: "resume"
while held, "unmute" while muted, and after the call ended only the wrap-up
key is offered (hold, mute, transfer and hang-up no longer apply). During a
warm-transfer consult the transfer key's hint reads "consult…" (complete,
cancel or conference: `ConsultDialog`). While the recording notice is
pending (or recording is paused) the notice key leads the hints. Each line is
cut to the bar's width: a long state (a consult, MUTED, DTMF) never pushes
the keys out of sight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.content import Content
from textual.widgets import Static

from agentdesk.domain.models import CallInfo, CallState
from agentdesk.ui.key_label import key_label

# Binding id -> the key the desk binds by default (agentdesk.ui.keymap).
DEFAULT_KEYS: dict[str, str] = {
    "call-hold": "F5", "call-mute": "F6", "transfer": "F7", "call-hangup": "F8",
    "call-dtmf": "ctrl+d", "wrapup": "F9", "call-disclosure": "ctrl+r",
}
CONSULT_STATE = {"ringing": " (ringing)", "talking": " (talking, customer on hold)",
                 "conference": " (conference)"}
# When the state line does not fit: the consult says less (the line already
# says "On hold") and the notice leaves its sentence to the keys line's "notice".
CONSULT_STATE_SHORT = {**CONSULT_STATE, "talking": " (talking)"}
NOTICE, NOTICE_SHORT = "⚠ read the recording notice", "⚠ notice"
DTMF_SHOWN = 12  # the last digits sent; older ones do not help the agent
# An outbound call that never connected: how it ended.
UNREACHED = {CallState.NO_ANSWER: "■ No answer", CallState.BUSY: "■ Busy",
             CallState.VOICEMAIL: "■ Voicemail"}
LIVE = (CallState.CONNECTED, CallState.HELD)


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
        keys: Mapping[str, str] | None = None,
        offered: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._call = call
        self._offered = offered  # an inbound offer not yet taken: the banner's F2/F3 decide
        self._now = now
        self._keys = dict(DEFAULT_KEYS)
        self._keys.update(keys or {})
        self._names: dict[str, str] = {}

    @property
    def call(self) -> CallInfo | None:
        return self._call

    @property
    def keys(self) -> dict[str, str]:
        return dict(self._keys)

    def set_agent_names(self, names: Mapping[str, str]) -> None:
        """Agent id -> display name, so a consult reads "consulting Agent 5"."""
        self._names = dict(names)
        if self.is_mounted:
            self.tick()

    def set_keys(self, keys: Mapping[str, str]) -> None:
        """The keys bound now (binding id -> display name); others keep theirs."""
        merged = {**self._keys, **{k: key_label(v) for k, v in keys.items() if v}}
        if merged != self._keys:
            self._keys = merged
            if self.is_mounted:
                self.tick()

    def on_mount(self) -> None:
        self.tick()

    def update_call(self, call: CallInfo | None, *, offered: bool = False) -> None:
        self._call = call
        self._offered = offered
        self.tick()

    def tick(self) -> None:
        call = self._call
        state = call.state if call else None
        for name in ("ringing", "connected", "held", "ended"):
            self.set_class(state is not None and state.value == name, f"-{name}")
        width = self.content_region.width if self.is_mounted else 0
        lines = [self._status_line(), self._hints_line()]
        if width > 0 and lines[0].cell_length > width:
            lines[0] = self._status_line(short=True)
        if width > 0:
            lines = [line.truncate(width, ellipsis=True) for line in lines]
        # A repaint, not a layout pass: the bar is two rows (CSS) as wide as
        # the view, whatever it says, and this runs every second of a call.
        self.update(Content("\n").join(lines), layout=False)

    def on_resize(self) -> None:
        self.tick()

    def _status_line(self, short: bool = False) -> Content:
        call = self._call
        if call is None:
            return Content.styled("☎ No call", "$muted-foreground")
        now = self._now()
        talk = format_duration(talk_seconds(call, now))
        parts: list[Content | str | tuple[str, str]] = []
        if call.state is CallState.DIALING:
            parts.append(("☎ Dialling…", "bold $warning"))
        elif call.state is CallState.RINGING:
            parts.append(("☎ Ringing", "bold $warning"))
        elif call.state in UNREACHED:
            parts.append((UNREACHED[call.state], "bold"))
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
        if call.state in LIVE and not call.recording:
            parts += ["  ", (" REC PAUSED ", "bold reverse $warning")]
        if call.state in LIVE and call.disclosure == "pending":
            # Until the agent records the customer's answer (ctrl+r, or the palette).
            parts += ["  ", (NOTICE_SHORT if short else NOTICE, "bold $warning")]
        if call.consult_agent_id:
            who = self._names.get(call.consult_agent_id, call.consult_agent_id)
            state = (CONSULT_STATE_SHORT if short else CONSULT_STATE).get(
                call.consult_state or "ringing", "")
            parts += ["  ", ("⇄ consulting ", "bold $accent"), Content(who), (state, "$accent")]
        return Content.assemble(*parts)

    def hints(self) -> list[tuple[str, str]]:
        """(key, label) of the call keys that apply now, in the order shown."""
        call = self._call
        if call is None or self._offered:
            return []  # nothing to hang up before the offer is accepted (F2/F3 on the banner)
        if call.state is CallState.ENDED or call.state in UNREACHED:
            return [(self._keys["wrapup"], "wrap up")]
        held = call.state is CallState.HELD
        pairs = [
            ("call-hold", "resume" if held else "hold"),
            ("call-mute", "unmute" if call.muted else "mute"),
            ("transfer", "consult…" if call.consult_agent_id else "transfer"),
            ("call-hangup", "hang up"),
            ("call-dtmf", "keypad"),
        ]
        if call.state in (CallState.RINGING, CallState.DIALING):
            pairs = [pairs[3]]
        elif call.consult_state == "talking":  # the customer holds for the consult: F7 decides
            pairs = pairs[1:]
        if call.state in LIVE and (call.disclosure == "pending" or not call.recording):
            pairs.insert(0, ("call-disclosure", "notice" if call.recording else "resume recording"))
        return [(self._keys[binding], label) for binding, label in pairs]

    def _hints_line(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        for key, label in self.hints():
            if parts:
                parts.append("  ")
            parts += [(key, "bold $accent"), f" {label}"]
        return Content.assemble(*parts)
