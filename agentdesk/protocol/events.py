"""Event frames of the agentdesk/1 WebSocket (`WS /v1/events?since=<seq>`).

A frame is `{"seq": int, "type": str, "at": float, "data": {...}}`. `seq` is
strictly increasing per recipient. Frames without `seq` are control frames
(`heartbeat`, `hello`). The client decodes every frame with `decode_frame`,
which sanitises all text first and then validates the data of known types;
anything wrong raises `ProtocolError` so the caller can log, count and go on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from agentdesk.domain.models import (
    AgentInfo,
    Callback,
    CallInfo,
    Interaction,
    KbArticle,
    Model,
    Stats,
    TimelineItem,
)
from agentdesk.protocol.sanitize import sanitize_tree

MAX_FRAME_BYTES = 2 * 1024 * 1024


class ProtocolError(ValueError):
    """An inbound frame or body that does not follow agentdesk/1."""


# --- data of each event type ----------------------------------------------------


class InteractionData(Model):
    interaction: Interaction
    reason: str | None = None  # e.g. "timeout" for missed, "customer_left" for ended


class MessageData(Model):
    item: TimelineItem


class CallData(Model):
    interaction_id: str
    call: CallInfo


class TypingData(Model):
    interaction_id: str
    typing: bool


class AgentData(Model):
    agent: AgentInfo


class StatsData(Model):
    stats: Stats


class KbData(Model):
    articles: list[KbArticle]  # new or changed articles
    removed: list[str] = []


class CallbackData(Model):
    callback: Callback
    reason: str | None = None  # scheduled, due, dialled, blocked; missed, rejected (missed)


class EmptyData(Model):
    pass


EVENT_DATA: dict[str, type[BaseModel]] = {
    "interaction.offered": InteractionData,
    "interaction.accepted": InteractionData,
    "interaction.rejected": InteractionData,
    "interaction.missed": InteractionData,
    "interaction.updated": InteractionData,
    "interaction.transferred": InteractionData,  # left this agent for another queue/agent
    "interaction.ended": InteractionData,  # contact over; ACW starts
    "interaction.closed": InteractionData,  # wrapped up
    "interaction.abandoned": InteractionData,  # customer left while queued (supervisors)
    "message.created": MessageData,
    "transcript.segment": MessageData,
    "call.updated": CallData,
    "customer.typing": TypingData,
    "agent.updated": AgentData,
    "stats.updated": StatsData,
    "kb.updated": KbData,
    "callback.updated": CallbackData,  # scheduled, offered (due), dialled, blocked
    "callback.missed": CallbackData,  # its agent missed it: back in the queue for anyone
    "resync": EmptyData,
}

CONTROL_TYPES = frozenset({"heartbeat", "hello", "pong"})


@dataclass(frozen=True, slots=True)
class Event:
    """A decoded, validated, sanitised event."""

    seq: int
    type: str
    at: float
    data: Any  # the model from EVENT_DATA for `type`


@dataclass(frozen=True, slots=True)
class ControlFrame:
    type: str
    data: dict[str, Any]
    at: float | None = None  # server time, when the frame carries one (heartbeats do)


def decode_frame(raw: str | bytes) -> Event | ControlFrame:
    """Parse one WebSocket frame. Raises ProtocolError on anything malformed."""
    if len(raw) > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {len(raw)} bytes exceeds {MAX_FRAME_BYTES}")
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"invalid JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("frame is not an object")
    obj = sanitize_tree(obj)
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("frame has no type")
    if kind in CONTROL_TYPES:
        data = obj.get("data")
        at = obj.get("at")
        return ControlFrame(
            kind,
            data if isinstance(data, dict) else {},
            float(at) if isinstance(at, (int, float)) and not isinstance(at, bool) else None,
        )
    seq, at = obj.get("seq"), obj.get("at")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ProtocolError(f"{kind}: bad seq {seq!r}")
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        raise ProtocolError(f"{kind}: bad at {at!r}")
    model = EVENT_DATA.get(kind)
    if model is None:
        raise ProtocolError(f"unknown event type {kind!r} (seq {seq})")
    try:
        data = model.model_validate(obj.get("data") or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ProtocolError(f"{kind} (seq {seq}): {where}: {first.get('msg')}") from None
    return Event(seq=seq, type=kind, at=float(at), data=data)


def encode_event(seq: int, kind: str, at: float, data: BaseModel | dict[str, Any]) -> str:
    """Server side: the JSON text of one event frame."""
    payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    return json.dumps({"seq": seq, "type": kind, "at": at, "data": payload}, separators=(",", ":"))
