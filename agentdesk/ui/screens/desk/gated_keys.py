"""Keys whose capability the backend lacks: hidden from the footer (the
screen's `check_action`), from F1 and from the palette, and, pressed anyway,
answered with one line saying why (instead of doing nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentdesk.desk.gate import ACTION_FEATURES, action_reason
from agentdesk.ui.keymap import DESK_BINDINGS

if TYPE_CHECKING:
    from agentdesk.ui.screens.desk_screen import DeskScreen


class GatedKeys:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self._by_key: dict[str, str] | None = None  # built on the first key (the keymap is fixed)

    def _keys(self) -> dict[str, str]:
        """key -> action of every capability-gated binding, as the user's keymap binds it."""
        if self._by_key is None:
            self._by_key = self._build()
        return self._by_key

    def _build(self) -> dict[str, str]:
        overrides = self.screen.services.keymap or {}
        out: dict[str, str] = {}
        for binding in DESK_BINDINGS:
            if binding.action not in ACTION_FEATURES:
                continue
            keys = overrides.get(binding.id or "", binding.key)
            for key in keys.split(","):
                out[key.strip()] = binding.action
        return out

    def hidden_binding_ids(self) -> set[str]:
        """The desk bindings this backend cannot do (left out of F1)."""
        caps = self.screen.controller.capabilities
        return {b.id for b in DESK_BINDINGS
                if b.id and action_reason(caps, b.action) is not None}

    def pressed(self, event: Any) -> None:
        action = self._keys().get(event.key)
        if action is None:
            return
        reason = action_reason(self.screen.controller.capabilities, action)
        if reason is not None:
            event.stop()
            event.prevent_default()
            self.screen.notify(reason, title="Not available", markup=False)
