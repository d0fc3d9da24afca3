"""Single-cell glyphs and labels shared by every widget of the desk.

Widgets import from here so a channel looks the same everywhere; the colour of
a channel comes from the theme variable named by `channel_var`.
"""

from __future__ import annotations

from agentdesk.domain.enums import Channel, Presence, RoutingState

CHANNEL_GLYPH: dict[Channel, str] = {
    Channel.CHAT: "◆",
    Channel.EMAIL: "✉",
    Channel.SMS: "✆",
    Channel.SOCIAL: "#",
    Channel.VOICE: "☎",
}

CHANNEL_LABEL: dict[Channel, str] = {
    Channel.CHAT: "Chat",
    Channel.EMAIL: "Email",
    Channel.SMS: "SMS",
    Channel.SOCIAL: "Social",
    Channel.VOICE: "Voice",
}

PRESENCE_LABEL: dict[Presence, str] = {
    Presence.AVAILABLE: "Available",
    Presence.BREAK: "Break",
    Presence.LUNCH: "Lunch",
    Presence.TRAINING: "Training",
    Presence.AWAY: "Away",
    Presence.OFFLINE: "Offline",
}

ROUTING_LABEL: dict[RoutingState, str] = {
    RoutingState.IDLE: "idle",
    RoutingState.OFFERED: "offered",
    RoutingState.BUSY: "busy",
    RoutingState.ACW: "ACW",
    RoutingState.NOT_RESPONDING: "not responding",
    RoutingState.OFF_QUEUE: "off queue",
}

PRESENCE_DOT = "●"
TYPING = "…"
UNREAD = "•"
RING = "◔"


def channel_var(channel: Channel | str) -> str:
    """Name of the theme variable holding the colour of `channel` (no `$`)."""
    return f"channel-{Channel(channel).value}"


def presence_var(presence: Presence | str) -> str:
    """Theme variable for a presence: available, offline, or away for the rest."""
    presence = Presence(presence)
    if presence is Presence.AVAILABLE:
        return "presence-available"
    if presence is Presence.OFFLINE:
        return "presence-offline"
    return "presence-away"
