"""The blended-agent capacity rule, shared by the router and the desk's meter.

An agent has 100 capacity units. Each open interaction costs units by channel
(a call takes all of them, a chat a quarter) and each channel also has its own
concurrency limit. Work of a channel is routed only when both leave room, the
agent is Available, has no next status scheduled and is not Not Responding.
The same function explains *why* a channel is not accepting, in agent words.
"""

from __future__ import annotations

from collections.abc import Mapping

from agentdesk.domain.models import Capacity, Channel, ChannelLoad, Presence

TOTAL_UNITS = 100

DEFAULT_COSTS: dict[Channel, int] = {
    Channel.VOICE: 100,
    Channel.CHAT: 25,
    Channel.EMAIL: 20,
    Channel.SMS: 20,
    Channel.SOCIAL: 20,
}

DEFAULT_LIMITS: dict[Channel, int] = {
    Channel.VOICE: 1,
    Channel.CHAT: 3,
    Channel.EMAIL: 2,
    Channel.SMS: 3,
    Channel.SOCIAL: 2,
}


def _describe(active: Mapping[Channel, int]) -> str:
    parts = [f"{n} {ch.value}" for ch, n in active.items() if n]
    return ", ".join(parts) if parts else "other work"


def compute_capacity(
    active: Mapping[Channel, int],
    presence: Presence,
    *,
    not_responding: bool = False,
    next_presence: Presence | None = None,
    costs: Mapping[Channel, int] = DEFAULT_COSTS,
    limits: Mapping[Channel, int] = DEFAULT_LIMITS,
    total: int = TOTAL_UNITS,
) -> Capacity:
    """Capacity in use and, per channel, whether new work can be routed and why not."""
    used = sum(costs[ch] * n for ch, n in active.items())
    channels: dict[Channel, ChannelLoad] = {}
    for ch in Channel:
        n = active.get(ch, 0)
        limit = limits.get(ch, 0)
        if presence is not Presence.AVAILABLE:
            reason = f"presence is {presence.value}"
        elif not_responding:
            reason = "not responding: set Available to re-arm"
        elif next_presence is not None:
            reason = f"next status {next_presence.value} scheduled"
        elif limit == 0:
            reason = f"no {ch.value} skill"
        elif n >= limit:
            reason = f"{n}/{limit} {ch.value} open"
        elif used + costs[ch] > total:
            others = {c: k for c, k in active.items() if c is not ch}
            reason = f"blocked by {_describe(others)}" if others else "capacity full"
        else:
            reason = ""
        channels[ch] = ChannelLoad(active=n, limit=limit, accepting=not reason, reason=reason)
    return Capacity(used=used, total=total, channels=channels)
