"""Which monitor figures a backend cannot give, from its capabilities.

The wallboard leaves these columns and header figures out instead of showing
zeros that would look like measurements (a Chatwoot account has no service
level, no ACW, no voice). Keys are the boards' column keys; a key names the
same figure on both boards (`aht`: handle time)."""

from __future__ import annotations

from agentdesk.domain.capabilities import Capabilities

SERVICE_LEVEL = frozenset({"sl", "target", "asa", "aht", "abandon", "need"})


def unavailable_figures(caps: Capabilities) -> frozenset[str]:
    hidden: set[str] = set()
    if not caps.service_level:
        hidden |= SERVICE_LEVEL
    if not caps.acw_timer:
        hidden.add("acw")
    if not caps.offer_timeout:  # nobody is rung: no "not responding", no missed offers
        hidden |= {"not_responding", "missed"}
    if not caps.voice:
        hidden.add("ch-voice")
    if not caps.agent_capacity:
        hidden.add("capacity")
    if not caps.state_times:
        hidden.add("since")
    if not caps.handle_times:
        hidden |= {"aht", "occupancy"}
    return frozenset(hidden)
