"""Test harness for the conversation widgets: a tiny App that mounts one widget.

The theme variables the widgets use are declared here, as the app shell does in
its own App, so each widget can be tested without the shell.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from textual.app import App, ComposeResult
from textual.widget import Widget

UTC = UTC
T0 = 1772445600.0  # Mon 2 Mar 2026 10:00 UTC: a fixed clock for deterministic output

THEME_DEFAULTS = {
    "channel-chat": "#5fafff",
    "channel-email": "#d7af5f",
    "channel-sms": "#87d787",
    "channel-social": "#d787d7",
    "channel-voice": "#ff875f",
    "sla-ok": "#5faf5f",
    "sla-warning": "#d7af00",
    "sla-breach": "#d75f5f",
    "presence-available": "#5faf5f",
    "presence-away": "#d7af00",
    "presence-offline": "#808080",
    "note-background": "#4a3f1a",
    "inbound-background": "#1f2a36",
    "outbound-background": "#1f3622",
    "transcript-foreground": "#afafd7",
    "muted-foreground": "#8a8a8a",
}


class WidgetApp(App[None]):
    """Mounts the widgets returned by `factory` (called at compose time)."""

    CSS = "Screen { layout: vertical; }"

    def __init__(self, factory: Callable[[], Widget | list[Widget]]) -> None:
        super().__init__()
        self._factory = factory
        self.actions_fired: list[str] = []

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **THEME_DEFAULTS}

    def compose(self) -> ComposeResult:
        made = self._factory()
        yield from made if isinstance(made, list) else [made]

    def action_quit(self) -> None:  # hostile text must never reach here
        self.actions_fired.append("quit")

    def action_bell(self) -> None:
        self.actions_fired.append("bell")
