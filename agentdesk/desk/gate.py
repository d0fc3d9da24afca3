"""Which commands and keys a backend's capabilities allow, and why not.

One table for the controller (it refuses a command whose capability is
missing) and the screen (it hides the key from the footer, F1 and the
palette, and says why in one line when it is pressed anyway).
"""

from __future__ import annotations

from agentdesk.desk.commands import (
    CallControl,
    DeskCommand,
    Dial,
    Disclosure,
    ScheduleCallback,
    SendMessage,
    SetPresence,
    Transfer,
)
from agentdesk.domain.capabilities import Capabilities, TransferTarget
from agentdesk.domain.enums import TransferMode

# Screen actions (binding action names) that need a capability.
ACTION_FEATURES: dict[str, str] = {
    "hold": "voice",
    "mute": "voice",
    "hangup": "voice",
    "dtmf": "voice",
    "disclosure": "recording_disclosure",
    "transfer": "transfer",
    "callbacks_today": "callbacks",
}

# How each feature is named in the one-line reason.
FEATURE_NAMES: dict[str, str] = {
    "voice": "Calls",
    "transfer": "Transfer",
    "notes": "Private notes",
    "email_cc": "Cc on email replies",
    "presence_next": "Presence after current work",
    "warm_transfer": "Warm transfer",
    "offers": "Offers",
    "outbound": "Outbound calls",
    "callbacks": "Callbacks",
    "recording_disclosure": "Recording disclosure",
}


def has(caps: Capabilities, feature: str) -> bool:
    """Whether the backend has `feature` (a Capabilities flag name, or "transfer")."""
    if feature == "transfer":
        return bool(caps.transfer_to)
    value = getattr(caps, feature, None)
    return bool(value)


def reason(caps: Capabilities, feature: str) -> str:
    """One line: why `feature` is not available here."""
    if feature in caps.reasons:
        return caps.reasons[feature]
    name = FEATURE_NAMES.get(feature, feature.replace("_", " ").capitalize())
    return f"{name}: not available on the {caps.backend} backend"


def action_allowed(caps: Capabilities, action: str) -> bool:
    feature = ACTION_FEATURES.get(action)
    return feature is None or has(caps, feature)


def action_reason(caps: Capabilities, action: str) -> str | None:
    """Why the key of `action` does nothing on this backend (None: it may)."""
    feature = ACTION_FEATURES.get(action)
    if feature is None or has(caps, feature):
        return None
    return reason(caps, feature)


def command_refusal(caps: Capabilities, command: DeskCommand) -> str | None:
    """Why the backend cannot carry out `command` at all (None: it can)."""
    if isinstance(command, CallControl) and not caps.voice:
        return reason(caps, "voice")
    if isinstance(command, Transfer):
        if not caps.transfer_to:
            return reason(caps, "transfer")
        target = (TransferTarget.AGENT if command.agent_id else
                  TransferTarget.TEAM if command.team_id else TransferTarget.QUEUE)
        if target not in caps.transfer_to:
            return caps.reasons.get(f"transfer_{target.value}") or (
                f"Transfer to a {target.value}: not available on the {caps.backend} backend")
        if command.mode is TransferMode.WARM and not caps.warm_transfer:
            return reason(caps, "warm_transfer")
    if isinstance(command, SendMessage):
        if command.kind == "note" and not caps.notes:
            return reason(caps, "notes")
        if command.cc and not caps.email_cc:
            return reason(caps, "email_cc")
    if isinstance(command, Dial) and not caps.outbound:
        return reason(caps, "outbound")
    if isinstance(command, ScheduleCallback) and not caps.callbacks:
        return reason(caps, "callbacks")
    if isinstance(command, Disclosure) and not caps.recording_disclosure:
        return reason(caps, "recording_disclosure")
    if isinstance(command, SetPresence):
        if command.presence is not None and command.presence not in caps.presence_states:
            return caps.reasons.get(f"presence_{command.presence.value}") or (
                f"Presence {command.presence.value}: not available on the {caps.backend} backend")
        if command.next is not None and not caps.presence_next:
            return reason(caps, "presence_next")
    return None
