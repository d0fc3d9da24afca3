"""The contact center's vocabulary: channels, states, directions. Plain enums,
no pydantic, so the desk can draw its first frame (glyphs, labels, tab states)
before the models and their validation stack are imported
(docs/benchmarks.md, "Start-up"). `agentdesk.domain.models` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"
    SOCIAL = "social"
    VOICE = "voice"


class Presence(StrEnum):
    """What the agent chose."""

    AVAILABLE = "available"
    BREAK = "break"
    LUNCH = "lunch"
    TRAINING = "training"
    AWAY = "away"
    OFFLINE = "offline"


class RoutingState(StrEnum):
    """What the system derives from presence and work in hand."""

    IDLE = "idle"  # available, nothing offered, capacity free
    OFFERED = "offered"  # an offer is ringing
    BUSY = "busy"  # handling at least one interaction
    ACW = "acw"  # only after-contact work left
    NOT_RESPONDING = "not_responding"  # missed an offer; out of routing until re-armed
    OFF_QUEUE = "off_queue"  # presence is not available


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"


class InteractionState(StrEnum):
    QUEUED = "queued"  # waiting for an agent
    OFFERED = "offered"  # ringing at an agent
    ACTIVE = "active"  # accepted, conversation under way
    WRAPUP = "wrapup"  # contact ended, after-contact work running
    CLOSED = "closed"  # wrapped up with a disposition
    ABANDONED = "abandoned"  # the customer left before being answered


class CallState(StrEnum):
    DIALING = "dialing"  # outbound: the number is being dialled
    RINGING = "ringing"
    CONNECTED = "connected"
    HELD = "held"
    ENDED = "ended"
    # outbound calls that never connected (the interaction goes to wrap-up)
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    VOICEMAIL = "voicemail"


class TimelineKind(StrEnum):
    MESSAGE = "message"  # chat / sms / social message or email
    NOTE = "note"  # private note, agents only
    CALL = "call"  # call event: ringing, connected, hold, resume, transfer, ended
    TRANSCRIPT = "transcript"  # one live transcript segment of a call
    SYSTEM = "system"  # routing facts: offered, accepted, transferred, closed


class Direction(StrEnum):
    INBOUND = "inbound"  # from the customer
    OUTBOUND = "outbound"  # from an agent to the customer
    INTERNAL = "internal"  # notes and system events


class TransferMode(StrEnum):
    BLIND = "blind"
    WARM = "warm"


class CallAction(StrEnum):
    HOLD = "hold"
    RESUME = "resume"
    MUTE = "mute"
    UNMUTE = "unmute"
    HANGUP = "hangup"
    DTMF = "dtmf"
    # Warm transfer, once the consulted agent answered: hand the customer over,
    # go back to the customer (the consulted agent leaves), or talk three-way.
    CONSULT_COMPLETE = "consult_complete"
    CONSULT_CANCEL = "consult_cancel"
    CONFERENCE = "conference"
