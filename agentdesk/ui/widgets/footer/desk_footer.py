"""The desk's footer: Textual's Footer, fitted to the width.

Textual's footer lays the keys out in the order it finds them (the focused
composer's first) and cuts the row at the screen's edge, so at 80 columns, or
with a voice call at 120, F1 and F10 fell off the end and the last key read
"F8 Hang▏". This footer keeps Textual's keys (clickable, remapped labels) but
drops the least needed ones until the row fits, whole keys only; F1 Help and
F10 Quit always stay (every key is still in F1 and the palette).

It also recomposes only when what it shows changes: Textual's rebuilds every
key on each bindings refresh (a focus move, the link coming up, each state
change of the snapshot), which at start-up is a remove, a mount and a layout
pass of the whole screen several times in the first 50 ms, and a key under the
pointer loses its hover with every rebuild.

Public API: `DeskFooter()`, a drop-in for `Footer`; `KEEP_RANK` (action ->
how long it stays, higher stays longer; unknown actions rank lowest).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

KEEP_RANK: dict[str, int] = {
    "app.help": 100, "app.request_quit": 100,
    "accept": 90, "reject": 89, "wrapup": 85, "hangup": 80, "hold": 75, "mute": 70,
    "transfer": 65, "presence_menu": 60, "send": 50, "send_and_close": 48,
    "toggle_note": 40, "edit_external": 30,
}
PALETTE_WIDTH = 21  # "▏^p Command palette " at the right edge
KEY_PADDING = 3  # " F4 Presence ": a space before, between and after


def key_width(widget: Widget) -> int:
    """Cells a footer key takes (its key as shown and its description)."""
    shown = str(getattr(widget, "key_display", "") or "")
    description = str(getattr(widget, "description", "") or "")
    return len(shown) + len(description) + KEY_PADDING


def fit_keys(keys: list[Widget], width: int) -> list[Widget]:
    """The keys to show in `width` cells, in their order: the lowest ranked go
    first until the rest fit (F1 and F10 are never dropped)."""
    kept = list(keys)
    by_rank = sorted(kept, key=lambda w: KEEP_RANK.get(str(getattr(w, "action", "")), 0))
    for widget in by_rank:
        if sum(key_width(w) for w in kept) <= width:
            break
        if KEEP_RANK.get(str(getattr(widget, "action", "")), 0) >= 100:
            continue
        kept.remove(widget)
    return kept


class DeskFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._width = 0
        self._composed: Hashable = None  # what the keys on screen were built from

    def shown(self) -> Hashable:
        """Everything the keys are built from: the screen's bindings that show
        (key, label as displayed, description, action, enabled, tooltip), the
        palette key, and the width they are fitted to."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return (self.size.width, self.app.size.width, self.show_command_palette, self.compact,
                self.combine_groups,
                tuple((key, binding.action, binding.description, self.app.get_key_display(binding),
                       enabled, tooltip)
                      for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                      if binding.show or key == palette))

    def bindings_changed(self, screen: Screen) -> None:
        if (self._bindings_ready and self.is_attached and screen is self.screen
                and self.shown() == self._composed):
            return  # the same keys: keep them (and the hover on one)
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        # Each bindings change and resize asks for a rebuild after the next refresh,
        # and those asked before the first one runs all ran: six identical rebuilds
        # of the keys at start-up (each key's styles worked out again, ~0.4 ms a key).
        if self._composed is not None and self._bindings_ready and self.shown() == self._composed:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._composed = self.shown()
        widgets: Iterable[Widget] = super().compose()
        keys: list[Widget] = []
        rest: list[Widget] = []
        for widget in widgets:
            is_key = hasattr(widget, "action") and not widget.has_class("-command-palette")
            (keys if is_key else rest).append(widget)
        width = (self.size.width or self.app.size.width) - PALETTE_WIDTH
        shown = fit_keys(keys, width)
        self.styles.grid_size_columns = len(shown)
        yield from shown
        yield from rest

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)
