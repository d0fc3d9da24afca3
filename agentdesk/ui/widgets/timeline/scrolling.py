"""Keeping what the agent reads still: the timeline's scroll bookkeeping.

A mixin of `Timeline` (it uses the widget's model, line index and scroll
state): the anchor (item, lines into it) at the top of the viewport, measuring
the items around the viewport until the layout stops moving, pinning to the
newest item, asking for older pages, and the virtual size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.widget import Widget

from agentdesk.ui.textual_compat import scroll_update
from agentdesk.ui.widgets.timeline.line_index import Anchor

if TYPE_CHECKING:
    from agentdesk.ui.widgets.timeline.timeline import Timeline

LOAD_OLDER_MARGIN = 3  # lines from the top that trigger LoadOlder
MEASURE_MARGIN = 4  # lines above/below the viewport measured with it (smooth scrolling)


class TimelineScrolling:
    """Scroll bookkeeping for `Timeline` (mixed in before `ScrollView`)."""

    def _update_virtual_size(self: Timeline) -> None:
        size = Size(self._width, self._total_lines)
        if size == self.virtual_size:
            return
        if self._in_hidden_tab():
            # A background tab: a new virtual size asks for a layout pass of the
            # whole screen, so apply it when the timeline is shown again.
            self._size_deferred = True
            return
        self._size_deferred = False
        if not self._width or size.width != self.virtual_size.width or not self.container_size:
            self.virtual_size = size  # first size, or a new width: a layout pass is due anyway
            return
        # Only the height changed (the timeline grew). `virtual_size` is a layout
        # reactive: setting it lays out the whole screen, every frame while messages
        # arrive. Nothing outside this widget depends on its content height (it is
        # `height: 1fr`, and a ScrollView keeps its own virtual size through a
        # layout), so update the scroll state in place.
        self.set_reactive(Widget.virtual_size, size)
        scroll_update(self, size)
        self.refresh()

    def _in_hidden_tab(self: Timeline) -> bool:
        """True when an ancestor (the interaction view of a background tab) is not displayed."""
        node = self.parent
        while isinstance(node, Widget):
            if not node.display:
                return True
            node = node.parent
        return False

    def _anchor(self: Timeline) -> Anchor | None:
        if not len(self._model) or not self._width:
            return None
        return self._lines.anchor(max(0, self.scroll_offset.y - self._banner_lines))

    def _line_of(self: Timeline, anchor: Anchor) -> int:
        return self._banner_lines + self._lines.line_of(anchor)

    def _remeasure(self: Timeline, indexes: list[int]) -> None:
        """Measure changed items now; keep the viewport still if they sit above it."""
        if not self._width:
            return
        anchor = self._anchor()
        shift = 0
        for index in indexes:
            if 0 <= index < len(self._model):
                delta = self._measure(index)
                if anchor is not None and index < anchor.index:
                    shift += delta
        self._update_virtual_size()
        if shift and not self._pinned:
            self._jump_to(self.scroll_offset.y + shift)
        self._settle()
        self.refresh()

    def _settle(self: Timeline) -> None:
        """Measure the items around the viewport until the layout stops moving.

        Items at or below the top of the viewport change height without moving
        what the agent reads; for items above it the scroll offset absorbs the
        change. When pinned, the view is re-pinned to the (new) bottom.
        """
        if self._settling or not len(self._model) or not self._width:
            if not len(self._model):
                self._update_virtual_size()
                self.refresh()
            return
        self._settling = True
        lines = self._lines
        try:
            for _ in range(32):  # converges in 2-3 rounds unless estimates are far off
                height = self.scrollable_content_region.height
                banner = self._banner_lines
                top = max(0, self._total_lines - height) if self._pinned else self.scroll_offset.y
                anchor_index = lines.item_at(top - banner)
                first = lines.item_at(top - banner - MEASURE_MARGIN)
                last = lines.item_at(top - banner + height + MEASURE_MARGIN)
                changed, shift = False, 0
                for index in range(first, last + 1):
                    if lines.is_exact(index):
                        continue
                    delta = self._measure(index)
                    if delta:
                        changed = True
                        if index < anchor_index:
                            shift += delta
                if changed:
                    self._update_virtual_size()
                if self._pinned:
                    self._jump_to(max(0, self._total_lines - height))
                elif shift:
                    self._jump_to(top + shift)
                if not changed:
                    break
        finally:
            self._settling = False
        self.refresh()

    def _jump_to(self: Timeline, line: int) -> None:
        """Set the scroll offset immediately (no animation, no pin recalculation)."""
        settling, self._settling = self._settling, True
        try:
            target = max(0, min(line, max(0, self._total_lines - self.scrollable_content_region.height)))
            self.scroll_target_y = target
            self.scroll_y = target
        finally:
            self._settling = settling

    def _scroll_by(self: Timeline, lines: int) -> None:
        self._scroll_to_line(self.scroll_offset.y + lines)

    def _scroll_to_line(self: Timeline, line: int) -> None:
        self._jump_to(line)
        self._pinned = self.scroll_offset.y >= max(0, self._total_lines - self.scrollable_content_region.height)
        if self._pinned:
            self._new_count = 0
        self._settle()
        self._maybe_load_older()

    def _maybe_load_older(self: Timeline) -> None:
        if (self._has_more and not self._load_requested and len(self._model)
                and self.scroll_offset.y <= LOAD_OLDER_MARGIN):
            self._load_requested = True
            self.post_message(self.LoadOlder(self, self._model[0].id))

