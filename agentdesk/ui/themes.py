"""The desk's built-in themes: one dark, one light, each defining every app
variable (channels, SLA, presence, timeline backgrounds). This is the one place
where colours are written down; CSS uses only the variable names.

`APP_VARIABLE_DEFAULTS` is what `App.get_theme_variable_defaults()` returns, so
Textual's own themes (switchable from the palette) render the desk too.
"""

from __future__ import annotations

from textual.theme import Theme

APP_VARIABLE_DEFAULTS: dict[str, str] = {
    "channel-chat": "#4FA3E0",
    "channel-email": "#C39BD3",
    "channel-sms": "#48C9B0",
    "channel-social": "#F5B041",
    "channel-voice": "#58D68D",
    "sla-ok": "#58D68D",
    "sla-warning": "#F4D03F",
    "sla-breach": "#EC7063",
    "presence-available": "#58D68D",
    "presence-away": "#F5B041",
    "presence-offline": "#909497",
    "note-background": "#4D4122",
    "inbound-background": "#1F2A36",
    "outbound-background": "#1D3327",
    "transcript-foreground": "#AEB6BF",
    "muted-foreground": "#7F8C8D",
}

_LIGHT_VARIABLES: dict[str, str] = {
    "channel-chat": "#1F6FB2",
    "channel-email": "#7D3C98",
    "channel-sms": "#117A65",
    "channel-social": "#B9770E",
    "channel-voice": "#1E8449",
    "sla-ok": "#1E8449",
    "sla-warning": "#B7950B",
    "sla-breach": "#C0392B",
    "presence-available": "#1E8449",
    "presence-away": "#B9770E",
    "presence-offline": "#707B7C",
    "note-background": "#FCF3CF",
    "inbound-background": "#EBF5FB",
    "outbound-background": "#E9F7EF",
    "transcript-foreground": "#4D5656",
    "muted-foreground": "#717D7E",
}

DESK_DARK = Theme(
    name="agentdesk-dark",
    primary="#4FA3E0",
    secondary="#5D6D7E",
    accent="#F5B041",
    warning="#F4D03F",
    error="#EC7063",
    success="#58D68D",
    foreground="#E5E8E8",
    background="#12161B",
    surface="#1A2028",
    panel="#232B35",
    dark=True,
    variables=dict(APP_VARIABLE_DEFAULTS),
)

DESK_LIGHT = Theme(
    name="agentdesk-light",
    primary="#1F6FB2",
    secondary="#5D6D7E",
    accent="#B9770E",
    warning="#B7950B",
    error="#C0392B",
    success="#1E8449",
    foreground="#1B2631",
    background="#F8F9F9",
    surface="#FFFFFF",
    panel="#E5E8E8",
    dark=False,
    variables=dict(_LIGHT_VARIABLES),
)

BUILTIN_THEMES: tuple[Theme, ...] = (DESK_DARK, DESK_LIGHT)
DEFAULT_THEME = DESK_DARK.name
