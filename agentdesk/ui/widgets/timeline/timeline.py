"""The customer's unified timeline widget: a thin virtualised `ScrollView`
over a pure model, a pure line index and a renderer (the package docstring,
`agentdesk/ui/widgets/timeline/__init__.py`, describes the split and the API).

All item text is untrusted: it is rendered as `rich.text.Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from agentdesk.ui.widgets.timeline.line_index import ESTIMATED_HEIGHT, Anchor, LineIndex
from agentdesk.ui.widgets.timeline.links import Link, recent_links
from agentdesk.ui.widgets.timeline.messages import LinkActivated, LoadOlder, RetryRequested
from agentdesk.ui.widgets.timeline.model import (
    CLIENT_SEARCH,
    PENDING_PREFIX,
    DeliveryState,
    Entry,
    TimelineModel,
)
from agentdesk.ui.widgets.timeline.pending import TimelinePending
from agentdesk.ui.widgets.timeline.renderer import LINK_META, TimelineRenderer
from agentdesk.ui.widgets.timeline.scrolling import TimelineScrolling
from agentdesk.ui.widgets.timeline.styles import COMPONENT_CLASSES, TIMELINE_CSS

__all__ = ["DeliveryState", "Entry", "PENDING_PREFIX", "Timeline"]

LINK_SCAN = 2_000  # newest items searched for the link picker (plus those on screen)


class Timeline(TimelinePending, TimelineScrolling, ScrollView, can_focus=True):
    """Virtualised unified timeline of one customer."""

    DEFAULT_CSS = TIMELINE_CSS
    COMPONENT_CLASSES = COMPONENT_CLASSES

    BINDINGS = [
        Binding("up", "line_up", "Up", show=False, id="timeline-line-up"),
        Binding("down", "line_down", "Down", show=False, id="timeline-line-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="timeline-page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="timeline-page-down"),
        Binding("home", "home", "Oldest", show=False, id="timeline-home"),
        Binding("end", "end", "Newest", show=False, id="timeline-end"),
        Binding("r", "retry", "Retry failed", id="timeline-retry"),
    ]

    # The messages live in `messages.py` (namespace "timeline": handlers keep their
    # names, e.g. `on_timeline_load_older`).
    LoadOlder = LoadOlder
    LinkActivated = LinkActivated
    RetryRequested = RetryRequested

    def __init__(
        self,
        *,
        tz: tzinfo | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.tz = tz
        self._model = TimelineModel()
        self._lines = LineIndex()
        self._renderer = TimelineRenderer(self._style, lambda: self.app.console)
        self._width = 0  # width the heights are for; 0 until laid out
        self._has_more = False
        self._load_requested = False
        self._pinned = True
        self._new_count = 0
        self._settling = False
        self._size_deferred = False  # the virtual size waits for the timeline to be shown
        self._frame: tuple[Style, Size] | None = None  # (base style, viewport) while a frame is drawn

    # --- public API -------------------------------------------------------------

    @property
    def items(self) -> list[Entry]:
        """The items shown, oldest first (a copy: O(n))."""
        return self._model.as_list()

    @property
    def has_more(self) -> bool:
        return self._has_more

    @property
    def pinned(self) -> bool:
        """True while the view follows the newest item."""
        return self._pinned

    @property
    def new_count(self) -> int:
        """Items appended while the agent was reading further up."""
        return self._new_count

    @property
    def render_count(self) -> int:
        return self._renderer.render_count

    def set_items(self, items: Iterable[object], has_more: bool) -> None:
        """Replace the whole timeline and show its newest end.

        Pending outgoing messages not echoed in `items` stay at the bottom."""
        model = self._model
        fresh = list(items)
        echoed = {item.client_id for item in fresh[-CLIENT_SEARCH:] if item.client_id}  # type: ignore[attr-defined]
        still_pending = [model[index] for client_id, pending_id in model.pending.items()
                         if client_id not in echoed and (index := model.index_of(pending_id)) is not None]
        model.reset(fresh + still_pending)
        model.pending = {item.client_id: item.id for item in still_pending if item.client_id}
        self._renderer.forget()
        self._has_more = has_more
        self._load_requested = False
        self._pinned = True
        self._new_count = 0
        self._reset_heights()
        self._settle()

    def prepend_items(self, items: Iterable[object], has_more: bool) -> None:
        """Add an older page above; the viewport keeps showing the same item. O(page)."""
        anchor = self._anchor()
        old_banner = self._banner_lines
        old_first_height = self._lines.height(0) if len(self._model) else 0
        added = self._model.prepend(items)
        self._has_more = has_more
        self._load_requested = False
        if added:
            self._lines.prepend(added, ESTIMATED_HEIGHT)
            if len(self._model) > added and self._lines.is_exact(added):
                # The first old item may lose its day separator to its new neighbour:
                # re-measure it now so the offset below stays exact.
                self._invalidate(added)
                self._measure(added)
        self._update_virtual_size()
        if anchor is not None and len(self._model):
            offset = anchor.offset
            if anchor.index == 0 and added:
                # A separator line lost (or gained) sits at the top of the anchor item.
                offset = max(0, offset + self._lines.height(added) - old_first_height)
            self._jump_to(self._line_of(Anchor(anchor.index + added, offset)))
        elif old_banner != self._banner_lines:
            self.refresh()
        self._settle()

    def append_items(self, items: Iterable[object]) -> None:
        """Add live items at the bottom (deduplicated by id), O(log n) each."""
        model, added = self._model, 0
        for item in items:
            if item.id in model:  # type: ignore[attr-defined]
                self.update_item(item)
            elif item.client_id and item.client_id in model.pending:  # type: ignore[attr-defined]
                self._replace_pending(item)
            else:
                model.append(item)
                self._lines.append(ESTIMATED_HEIGHT)
                added += 1
        if not added:
            return
        self._update_virtual_size()
        if self._pinned:
            self._settle()
        else:
            self._new_count += added
            self.refresh()

    def update_item(self, item: object) -> None:
        """Replace the item with the same id (unknown ids are ignored)."""
        index = self._model.index_of(item.id)  # type: ignore[attr-defined]
        if index is not None:
            self._model.replace(index, item)
            self._changed(index)

    def links_of(self, item: Entry) -> list[Link]:
        """The web links in an item's body as shown (messages and notes only)."""
        return self._renderer.links_of(Entry.of(item))

    def recent_links(self, interaction_id: str | None, limit: int = 30) -> list[tuple[Entry, Link]]:
        """Links of this interaction's messages and notes and of the items on
        screen, newest first, each URL once (the newest mention)."""
        return recent_links(self._model, len(self._model), self._on_screen(), interaction_id,  # type: ignore[return-value]
                            limit, self.links_of, LINK_SCAN)

    def _on_screen(self) -> range:
        """Indexes of the items in the viewport (empty before the first layout)."""
        if not len(self._model) or not self._width:
            return range(0)
        top = max(0, self.scroll_offset.y - self._banner_lines)
        bottom = top + max(1, self.scrollable_content_region.height)
        return range(self._lines.item_at(top), self._lines.item_at(bottom - 1) + 1)

    # --- actions --------------------------------------------------------------------

    def action_line_up(self) -> None:
        self._scroll_by(-1)

    def action_line_down(self) -> None:
        self._scroll_by(1)

    def action_page_up(self) -> None:
        self._scroll_by(-max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._scroll_by(max(1, self.scrollable_content_region.height - 1))

    def action_home(self) -> None:
        self._scroll_to_line(0)

    def action_end(self) -> None:
        self._pinned = True
        self._new_count = 0
        self._settle()
        self._maybe_load_older()

    def action_retry(self) -> None:
        failed = [cid for cid, (state, _) in self._model.delivery.items() if state == "failed"]
        positions = {cid: self._model.find_client(cid) for cid in failed}
        candidates = sorted(((index, cid) for cid, index in positions.items() if index is not None),
                            reverse=True)
        if not candidates:
            return
        top = self.scroll_offset.y - self._banner_lines
        bottom = top + self.scrollable_content_region.height
        for index, client_id in candidates:
            if self._lines.start(index) < bottom and self._lines.end(index) > top:
                self.post_message(self.RetryRequested(self, client_id))
                return
        self.post_message(self.RetryRequested(self, candidates[0][1]))

    # --- Textual hooks ------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._width and width > 0:
            anchor = self._anchor()
            self._width = width
            self._reset_heights()  # every height is an estimate again at the new width
            if anchor is not None and not self._pinned:
                self._jump_to(self._line_of(anchor))
        self._settle()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._renderer.clear()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # ScrollView's watcher, except that a zero-width scrollbar (still
        # snapshots) is not repainted: it is not on screen, and repainting a
        # widget that is not on screen makes Textual rebuild its whole screen
        # map on the next frame.
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            self.vertical_scrollbar.position = new_value
        if round(old_value) != round(new_value):
            self.refresh(self.size.region)
        if self._settling:
            return
        self._pinned = round(new_value) >= self.max_scroll_y
        if self._pinned:
            self._new_count = 0
        self._settle()
        self._maybe_load_older()

    def on_click(self, event: events.Click) -> None:
        if self._new_count and event.y == self.scrollable_content_region.height - 1:
            self.action_end()
            return
        ref = event.style.meta.get(LINK_META)
        if isinstance(ref, tuple) and len(ref) == 2:
            index = self._model.index_of(str(ref[0]))
            if index is None:
                return
            item = self._model[index]
            links = self.links_of(item)
            if isinstance(ref[1], int) and 0 <= ref[1] < len(links):
                event.stop()
                self.post_message(self.LinkActivated(self, links[ref[1]].url, item))

    def on_show(self) -> None:
        if self._size_deferred:
            self._update_virtual_size()
            self._settle()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The base style and the viewport are the same for every line of a frame;
        # looking them up per line (an ancestor walk, a compositor lookup) cost
        # more than drawing the cached strips.
        self._frame = (self.rich_style, self.scrollable_content_region.size)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        width, height = self._frame[1] if self._frame else self.scrollable_content_region.size
        if self._new_count and y == height - 1:
            return self._new_indicator(width)
        return self._line_strip(self.scroll_offset.y + y, width)

    # --- layout bookkeeping ---------------------------------------------------------------

    @property
    def _banner_lines(self) -> int:
        """A one-line banner at the very top while older items exist."""
        return 1 if self._has_more else 0

    @property
    def _total_lines(self) -> int:
        return self._banner_lines + self._lines.total

    @property
    def _cache(self) -> LRUCache[tuple[str, int, int, int, int], list[Strip]]:
        return self._renderer.cache

    @property
    def _delivery(self) -> dict[str, tuple[DeliveryState, str | None]]:
        return self._model.delivery

    def _reset_heights(self) -> None:
        self._lines.reset(len(self._model), ESTIMATED_HEIGHT)
        self._update_virtual_size()

    def _invalidate(self, index: int) -> None:
        item_id = self._model[index].id
        self._renderer.invalidate(item_id)
        self._lines.mark_estimated(index)
        self._model.forget_flags(item_id)

    def _changed(self, index: int) -> None:
        """Item `index` looks different: it and the next (its separator) are re-measured."""
        self._invalidate(index)
        if index + 1 < len(self._model):
            self._invalidate(index + 1)
        self._remeasure([index, index + 1])

    def _measure(self, index: int) -> int:
        """Render item `index` at the current width; returns the height change."""
        return self._lines.set_height(index, len(self._item_strips(index, self._width)))

    # --- rendering ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"timeline--{name}")

    @property
    def _base(self) -> Style:
        """The widget's own style (of this frame while one is drawn)."""
        return self._frame[0] if self._frame else self.rich_style

    def _line_strip(self, line: int, width: int) -> Strip:
        base = self._base
        banner = self._banner_lines
        if banner and line == 0:
            text = Text("↑ older items: scroll up to load", style=self._style("banner"))
            return self._renderer.to_strip(text, width, base)
        line -= banner
        if not len(self._model) or line < 0 or line >= self._lines.total:
            return Strip.blank(width, base)
        index = self._lines.item_at(line)
        strips = self._item_strips(index, width)
        if not self._lines.is_exact(index) and width == self._width:
            # Rendered before it was measured (should be rare): fix the layout next frame.
            self.call_after_refresh(self._remeasure, [index])
        offset = line - self._lines.start(index)
        return strips[offset] if offset < len(strips) else Strip.blank(width, base)

    def _new_indicator(self, width: int) -> Strip:
        text = Text(f" ↓ {self._new_count} new — End to jump ", style=self._style("new"))
        line = Text(" " * max(0, width - text.cell_len))
        line.append_text(text)
        return self._renderer.to_strip(line, width, self._base)

    def _item_strips(self, index: int, width: int) -> list[Strip]:
        item = self._model[index]
        delivery = self._model.delivery.get(item.client_id) if item.client_id else None
        return self._renderer.strips(item, width, self._model.flags(index, self.tz), self._base,
                                     self.tz, delivery)
