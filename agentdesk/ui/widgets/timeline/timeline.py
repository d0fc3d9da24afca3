"""The customer's unified timeline: every channel, every contact, oldest first.

A virtualised line-API `ScrollView` (the Toolong pattern): there is no widget
per item. The widget keeps the items in a list plus a parallel list of their
heights in lines at the current width. Heights start as cheap *estimates* and
become exact when an item is rendered (only items in or near the viewport are
rendered), so opening 50,000 items costs one pass of arithmetic, not 50,000
text wraps. Rendered items are kept in an LRU cache of `Strip`s keyed by
(item, width, revision); a resize re-wraps lazily. When an item above the
viewport changes height, the scroll offset moves by the same amount so what the
agent reads does not jump. New items change only the virtual height, which is
applied without a layout pass of the screen (`_update_virtual_size`), and a
frame looks up the widget's style once, not per line (`render_lines`).

Public API (used by the app shell):

- `Timeline(*, tz=None, name=None, id=None, classes=None)`; `tz` is a `tzinfo`
  for times and day separators (None: the local timezone).
- `set_items(items, has_more)`: replace everything, show the newest (pinned).
- `prepend_items(items, has_more)`: an older page; the viewport stays on the
  item it showed.
- `append_items(items)`: live items; deduplicated by id, an item whose
  `client_id` matches a pending item replaces it. Stays pinned to the bottom if
  the agent was at the bottom, otherwise shows "↓ N new" and does not move.
- `update_item(item)`: replace the item with the same id.
- `add_pending(client_id, interaction_id, body, kind, channel, author, at)`:
  show an outgoing message before the server echo (delivery "queued").
- `set_delivery(client_id, state, error=None)`: state is "queued", "sent" or
  "failed"; shown on the item's header.
- `rekey_pending(old_client_id, new_client_id)`: the message is sent again under
  a new key (a refused command reissued); its echo will carry the new key.
- `recent_links(interaction_id, limit=30)`: the web links in the bodies of
  this interaction's messages and notes and of the items on screen, newest
  first, each URL once, as `(item, Link)` pairs (for the "Open link" picker);
  `links_of(item)`: the links of one item.
- Properties: `items`, `has_more`, `pinned`, `new_count`, `render_count`
  (items rendered so far, for tests and benchmarks).

Messages: `Timeline.LoadOlder(before_id)` when the agent scrolls within a few
lines of the top while `has_more` (once per page), `Timeline.RetryRequested(
client_id)` when the agent presses r (the newest failed message in view, else
the newest failed one), `Timeline.LinkActivated(url, item)` when the agent
clicks an underlined link (the receiver must confirm before opening it).

Links (`links.find_links`): only http/https URLs written visibly as whole words
in a message or note body are underlined; the clickable span carries the item
id and the link's number as Textual style meta, never the URL, and never a
terminal hyperlink (OSC 8), so nothing opens without the app asking first.

Bindings (ids): timeline-line-up (up), timeline-line-down (down),
timeline-page-up (pageup), timeline-page-down (pagedown), timeline-home
(home), timeline-end (end), timeline-retry (r).

All item text is untrusted: it is rendered as `rich.text.Text`, never markup.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import accumulate
from operator import attrgetter
from typing import TYPE_CHECKING, Iterable, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from agentdesk.domain.enums import Channel, Direction, TimelineKind
from agentdesk.ui.glyphs import CHANNEL_GLYPH
from agentdesk.ui.widgets.timeline.links import Link, find_links

if TYPE_CHECKING:  # models are loaded after the first frame (docs/benchmarks.md, "Start-up")
    from agentdesk.domain.models import TimelineItem

_item_id = attrgetter("id")
DeliveryState = Literal["queued", "sent", "failed"]

BODY_INDENT = 2  # body lines sit under the header, indented by this many cells
MAX_BODY_CHARS = 20_000  # longer bodies are cut: wrapping a megabyte per frame is not reading
LOAD_OLDER_MARGIN = 3  # lines from the top that trigger LoadOlder
ESTIMATED_HEIGHT = 3  # header + one body line (+ the odd day separator) until measured
MEASURE_MARGIN = 4  # lines above/below the viewport measured with it (smooth scrolling)
PENDING_PREFIX = "pending:"
CLIENT_SEARCH = 2_000  # how far back from the newest item a client_id is looked for
COMPACT_KINDS = (TimelineKind.CALL, TimelineKind.SYSTEM)
ARROW = {Direction.INBOUND: "←", Direction.OUTBOUND: "→", Direction.INTERNAL: "·"}
DELIVERY_LABEL = {"queued": "◷ queued", "sent": "✓ sent", "failed": "✗ failed"}
LINK_KINDS = (TimelineKind.MESSAGE, TimelineKind.NOTE)  # bodies whose links are actionable
LINK_META = "timeline-link"  # style meta on a link's cells: (item id, link number)
LINK_SCAN = 2_000  # newest items searched for the link picker (plus those on screen)


@dataclass(frozen=True)
class _Anchor:
    """Which item the top of the viewport shows, and how many lines into it."""

    index: int
    offset: int


class Timeline(ScrollView, can_focus=True):
    """Virtualised unified timeline of one customer."""

    DEFAULT_CSS = """
    Timeline {
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;  /* a scrollbar that comes and goes would change the wrap width */
        height: 1fr;
    }
    Timeline:focus { background-tint: $foreground 3%; }
    Timeline > .timeline--time { color: $muted-foreground; }
    Timeline > .timeline--meta { color: $muted-foreground; }
    Timeline > .timeline--author { text-style: bold; }
    Timeline > .timeline--subject { text-style: bold; }
    Timeline > .timeline--note-badge { background: $note-background; color: $foreground; text-style: bold; }
    Timeline > .timeline--note-body { background: $note-background; }
    Timeline > .timeline--inbound { background: $inbound-background; }
    Timeline > .timeline--outbound { background: $outbound-background; }
    Timeline > .timeline--transcript { color: $transcript-foreground; }
    Timeline > .timeline--compact { color: $muted-foreground; text-style: italic; }
    Timeline > .timeline--separator { color: $muted-foreground; }
    Timeline > .timeline--banner { color: $muted-foreground; text-style: italic; }
    Timeline > .timeline--new { background: $accent; color: $foreground; text-style: bold; }
    Timeline > .timeline--delivery-queued { color: $muted-foreground; }
    Timeline > .timeline--delivery-sent { color: $success; }
    Timeline > .timeline--delivery-failed { color: $error; text-style: bold; }
    Timeline > .timeline--link { color: $text-accent; text-style: underline; }
    Timeline > .timeline--channel-chat { color: $channel-chat; }
    Timeline > .timeline--channel-email { color: $channel-email; }
    Timeline > .timeline--channel-sms { color: $channel-sms; }
    Timeline > .timeline--channel-social { color: $channel-social; }
    Timeline > .timeline--channel-voice { color: $channel-voice; }
    """

    COMPONENT_CLASSES = {
        "timeline--time",
        "timeline--meta",
        "timeline--author",
        "timeline--subject",
        "timeline--note-badge",
        "timeline--note-body",
        "timeline--inbound",
        "timeline--outbound",
        "timeline--transcript",
        "timeline--compact",
        "timeline--separator",
        "timeline--banner",
        "timeline--new",
        "timeline--delivery-queued",
        "timeline--delivery-sent",
        "timeline--delivery-failed",
        "timeline--link",
        *(f"timeline--channel-{channel.value}" for channel in Channel),
    }

    BINDINGS = [
        Binding("up", "line_up", "Up", show=False, id="timeline-line-up"),
        Binding("down", "line_down", "Down", show=False, id="timeline-line-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="timeline-page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="timeline-page-down"),
        Binding("home", "home", "Oldest", show=False, id="timeline-home"),
        Binding("end", "end", "Newest", show=False, id="timeline-end"),
        Binding("r", "retry", "Retry failed", id="timeline-retry"),
    ]

    class LoadOlder(Message):
        """The agent scrolled near the top and older items exist."""

        def __init__(self, timeline: Timeline, before_id: str) -> None:
            super().__init__()
            self.timeline = timeline
            self.before_id = before_id

        @property
        def control(self) -> Timeline:
            return self.timeline

    class LinkActivated(Message):
        """The agent clicked a link in a message: confirm (show the URL) before opening."""

        def __init__(self, timeline: Timeline, url: str, item: TimelineItem) -> None:
            super().__init__()
            self.timeline = timeline
            self.url = url
            self.item = item

        @property
        def control(self) -> Timeline:
            return self.timeline

    class RetryRequested(Message):
        """The agent asked to resend a message whose delivery failed."""

        def __init__(self, timeline: Timeline, client_id: str) -> None:
            super().__init__()
            self.timeline = timeline
            self.client_id = client_id

        @property
        def control(self) -> Timeline:
            return self.timeline

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
        self._items: list[TimelineItem] = []
        self._index_cache: dict[str, int] | None = {}  # item id -> position; built lazily
        self._pending: dict[str, str] = {}  # client_id -> id of the pending placeholder
        self._delivery: dict[str, tuple[DeliveryState, str | None]] = {}
        # item id -> (previous item's id, starts a new day, starts a new contact); computed
        # lazily for rendered items only, valid while the previous item is the same.
        self._flags_cache: dict[str, tuple[str | None, int, int]] = {}
        self._heights: list[int] = []
        self._exact = bytearray()  # 1 where `_heights` is measured, 0 where estimated
        self._ends: list[int] = []  # cumulative heights: item i covers [_ends[i-1], _ends[i])
        self._revisions: dict[str, int] = {}  # bumped when an item's look changes
        self._cache: LRUCache[tuple[str, int, int, int, int], list[Strip]] = LRUCache(1024)
        self._links: LRUCache[str, tuple[str, list[Link]]] = LRUCache(4096)  # item id -> (body, links)
        self._width = 0  # width the heights are for; 0 until laid out
        self._has_more = False
        self._load_requested = False
        self._pinned = True
        self._new_count = 0
        self._settling = False
        self._size_deferred = False  # the virtual size waits for the timeline to be shown
        self._frame: tuple[Style, Size] | None = None  # (base style, viewport) while a frame is drawn
        self.render_count = 0

    # --- public API -------------------------------------------------------------

    @property
    def items(self) -> list[TimelineItem]:
        """The items shown, oldest first (do not mutate)."""
        return self._items

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

    def set_items(self, items: Iterable[TimelineItem], has_more: bool) -> None:
        """Replace the whole timeline and show its newest end.

        Pending outgoing messages not echoed in `items` stay at the bottom."""
        fresh = list(items)
        echoed = {item.client_id for item in fresh[-CLIENT_SEARCH:] if item.client_id}
        still_pending = [
            self._items[self._index[pending_id]]
            for client_id, pending_id in self._pending.items()
            if client_id not in echoed and pending_id in self._index
        ]
        self._items = fresh + still_pending
        self._pending = {item.client_id: item.id for item in still_pending if item.client_id}
        self._cache.clear()
        self._revisions.clear()
        self._has_more = has_more
        self._load_requested = False
        self._pinned = True
        self._new_count = 0
        self._rebuild()
        self._settle()

    def prepend_items(self, items: Iterable[TimelineItem], has_more: bool) -> None:
        """Add an older page above; the viewport keeps showing the same item."""
        anchor = self._anchor()
        old_banner = self._banner_lines
        new = [item for item in items if item.id not in self._index]
        self._has_more = has_more
        self._load_requested = False
        old_first_height = self._heights[0] if self._items else 0
        if new:
            self._items = new + self._items
            self._heights = [ESTIMATED_HEIGHT] * len(new) + self._heights
            self._exact = bytearray(len(new)) + self._exact
            self._reindex()
            if len(self._items) > len(new) and self._exact[len(new)]:
                # The first old item may lose its day separator to its new neighbour:
                # re-measure it now so the offset below stays exact.
                self._invalidate(len(new))
                self._measure(len(new))
            self._rebuild_ends()
        self._update_virtual_size()
        if anchor is not None and self._items:
            offset = anchor.offset
            if anchor.index == 0 and new:
                # A separator line lost (or gained) sits at the top of the anchor item.
                offset = max(0, offset + self._heights[len(new)] - old_first_height)
            self._jump_to(self._line_of(_Anchor(anchor.index + len(new), offset)))
        elif old_banner != self._banner_lines:
            self.refresh()
        self._settle()

    def append_items(self, items: Iterable[TimelineItem]) -> None:
        """Add live items at the bottom (deduplicated by id)."""
        added = 0
        for item in items:
            if item.id in self._index:
                self.update_item(item)
            elif item.client_id and item.client_id in self._pending:
                self._replace_pending(item)
            else:
                self._append_one(item)
                added += 1
        if not added:
            return
        self._rebuild_ends()
        self._update_virtual_size()
        if self._pinned:
            self._settle()
        else:
            self._new_count += added
            self.refresh()

    def update_item(self, item: TimelineItem) -> None:
        """Replace the item with the same id (unknown ids are ignored)."""
        index = self._index.get(item.id)
        if index is None:
            return
        self._items[index] = item
        self._invalidate(index)
        if index + 1 < len(self._items):
            self._invalidate(index + 1)
        self._remeasure([index, index + 1])

    def add_pending(
        self,
        client_id: str,
        interaction_id: str,
        body: str,
        kind: str,
        channel: Channel | str,
        author: str,
        at: float,
    ) -> None:
        """Show the agent's outgoing message before the server echoes it."""
        if self._find_client(client_id) is not None:
            return  # the echo won the race, or this was already shown
        from agentdesk.domain.models import TimelineItem

        is_note = kind == "note"
        item = TimelineItem(
            id=PENDING_PREFIX + client_id,
            customer_id="",
            interaction_id=interaction_id,
            channel=Channel(channel),
            kind=TimelineKind.NOTE if is_note else TimelineKind.MESSAGE,
            direction=Direction.INTERNAL if is_note else Direction.OUTBOUND,
            author=author,
            body=body,
            at=at,
            client_id=client_id,
        )
        self._delivery.setdefault(client_id, ("queued", None))
        self._pinned = True  # the agent just sent: show it
        self._new_count = 0
        self.append_items([item])
        self._pending[client_id] = item.id

    def set_delivery(self, client_id: str, state: DeliveryState, error: str | None = None) -> None:
        """Show the delivery state of the agent's own message."""
        self._delivery[client_id] = (state, error)
        index = self._find_client(client_id)
        if index is not None:
            self._invalidate(index)
            self.refresh()

    def rekey_pending(self, old_client_id: str, new_client_id: str) -> bool:
        """The agent's message is sent again under a new idempotency key (a refused
        command is reissued): move its placeholder and delivery state to the new key,
        so the server's echo (matched by client_id) replaces it. False if unknown."""
        index = self._find_client(old_client_id)
        if index is None or old_client_id == new_client_id:
            return False
        item = self._items[index]
        pending_id = self._pending.pop(old_client_id, None)
        new_id = PENDING_PREFIX + new_client_id if pending_id is not None else item.id
        rekeyed = item.model_copy(update={"id": new_id, "client_id": new_client_id})
        self._items[index] = rekeyed
        index_map = self._index
        index_map.pop(item.id, None)
        index_map[new_id] = index
        if pending_id is not None:
            self._pending[new_client_id] = new_id
        self._delivery.pop(old_client_id, None)
        self._delivery[new_client_id] = ("queued", None)
        self._flags_cache.pop(item.id, None)
        self._invalidate(index)
        if index + 1 < len(self._items):
            self._invalidate(index + 1)
        self._remeasure([index, index + 1])
        return True

    def links_of(self, item: TimelineItem) -> list[Link]:
        """The web links in an item's body as shown (messages and notes only)."""
        if item.kind not in LINK_KINDS or not item.body:
            return []
        cached = self._links.get(item.id)
        if cached is not None and cached[0] is item.body:
            return cached[1]
        links = find_links(_clip(item.body))
        self._links[item.id] = (item.body, links)
        return links

    def recent_links(self, interaction_id: str | None, limit: int = 30) -> list[tuple[TimelineItem, Link]]:
        """Links of this interaction's messages and notes and of the items on
        screen, newest first, each URL once (the newest mention)."""
        items = self._items
        indexes = set(range(len(items) - 1, max(-1, len(items) - 1 - LINK_SCAN), -1))
        on_screen = self._on_screen()
        indexes.update(on_screen)
        seen: set[str] = set()
        found: list[tuple[TimelineItem, Link]] = []
        for index in sorted(indexes, reverse=True):
            item = items[index]
            if item.interaction_id != interaction_id and index not in on_screen:
                continue
            for link in reversed(self.links_of(item)):
                if link.url not in seen:
                    seen.add(link.url)
                    found.append((item, link))
                    if len(found) >= limit:
                        return found
        return found

    def _on_screen(self) -> range:
        """Indexes of the items in the viewport (empty before the first layout)."""
        if not self._items or not self._width:
            return range(0)
        top = max(0, self.scroll_offset.y - self._banner_lines)
        bottom = top + max(1, self.scrollable_content_region.height)
        return range(self._item_at_line(top), self._item_at_line(bottom - 1) + 1)

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
        failed = [cid for cid, (state, _) in self._delivery.items() if state == "failed"]
        positions = {cid: self._find_client(cid) for cid in failed}
        candidates = sorted(
            ((index, cid) for cid, index in positions.items() if index is not None), reverse=True
        )
        if not candidates:
            return
        top = self.scroll_offset.y - self._banner_lines
        bottom = top + self.scrollable_content_region.height
        for index, client_id in candidates:
            start = self._ends[index - 1] if index else 0
            if start < bottom and self._ends[index] > top:
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
        self._cache.clear()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # ScrollView's watcher, except that a zero-width scrollbar (frozen
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
            index = self._index.get(str(ref[0]))
            if index is None:
                return
            item = self._items[index]
            links = self.links_of(item)
            if isinstance(ref[1], int) and 0 <= ref[1] < len(links):
                event.stop()
                self.post_message(self.LinkActivated(self, links[ref[1]].url, item))

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
        return self._banner_lines + (self._ends[-1] if self._ends else 0)

    def _rebuild(self) -> None:
        """An estimated height per item: the whole cost of opening.

        Day separators, contact changes and exact heights are worked out when
        an item is rendered; the id index is built after the first frame (or
        when first needed), so opening 50,000 items is two C-speed list builds."""
        self._index_cache = None
        self._flags_cache.clear()
        self._reset_heights()
        self.call_after_refresh(self._build_index)

    @property
    def _index(self) -> dict[str, int]:
        if self._index_cache is None:
            self._build_index()
        assert self._index_cache is not None
        return self._index_cache

    def _build_index(self) -> None:
        if self._index_cache is not None:
            return
        self._reindex()
        assert self._index_cache is not None
        if len(self._index_cache) != len(self._items):
            # Duplicate ids (a server bug): keep the last copy of each and lay out again.
            anchor = None if self._pinned else self._anchor()
            self._items = list({item.id: item for item in self._items}.values())
            self._reindex()
            self._flags_cache.clear()
            self._reset_heights()
            if anchor is not None:
                self._jump_to(self._line_of(_Anchor(min(anchor.index, len(self._items) - 1), 0)))
            self._settle()

    def _reset_heights(self) -> None:
        count = len(self._items)
        self._heights = [ESTIMATED_HEIGHT] * count
        self._exact = bytearray(count)
        self._rebuild_ends()
        self._update_virtual_size()

    def _reindex(self) -> None:
        self._index_cache = dict(zip(map(_item_id, self._items), range(len(self._items))))

    def _append_one(self, item: TimelineItem) -> None:
        self._items.append(item)
        self._index[item.id] = len(self._items) - 1
        self._heights.append(ESTIMATED_HEIGHT)
        self._exact.append(0)

    def _replace_pending(self, item: TimelineItem) -> None:
        assert item.client_id is not None
        pending_id = self._pending.pop(item.client_id)
        index = self._index.pop(pending_id)
        self._index[item.id] = index
        state, _ = self._delivery.get(item.client_id, ("queued", None))
        if state == "queued":  # the server has it: the echo is the proof
            self._delivery[item.client_id] = ("sent", None)
        self.update_item(item)

    def _find_client(self, client_id: str) -> int | None:
        """Position of the agent's message with this client_id (recent items only:
        delivery states matter for what was just sent)."""
        pending = self._pending.get(client_id)
        if pending is not None:
            return self._index.get(pending)
        for index in range(len(self._items) - 1, max(-1, len(self._items) - 1 - CLIENT_SEARCH), -1):
            if self._items[index].client_id == client_id:
                return index
        return None

    def _day_bounds(self, at: float) -> tuple[float, float]:
        """Start and end (Unix seconds) of the local day containing `at`."""
        day = datetime.fromtimestamp(at, self.tz).date()
        start = datetime(day.year, day.month, day.day, tzinfo=self.tz)
        following = day + timedelta(days=1)
        end = datetime(following.year, following.month, following.day, tzinfo=self.tz)
        return start.timestamp(), end.timestamp()

    def _flags(self, index: int) -> tuple[int, int]:
        """(starts a new day, starts a new contact) for item `index`."""
        item = self._items[index]
        previous = self._items[index - 1] if index else None
        previous_id = previous.id if previous is not None else None
        cached = self._flags_cache.get(item.id)
        if cached is not None and cached[0] == previous_id:
            return cached[1], cached[2]
        if previous is None:
            flags = (1, 1)
        else:
            day_start, day_end = self._day_bounds(previous.at)
            flags = (int(not day_start <= item.at < day_end),
                     int(item.interaction_id != previous.interaction_id))
        self._flags_cache[item.id] = (previous_id, *flags)
        return flags

    def _rebuild_ends(self) -> None:
        self._ends = list(accumulate(self._heights))

    def _update_virtual_size(self) -> None:
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
        # layout), so update the scroll state in place. If the scrollbar has to
        # appear or go (only with `overflow-y: auto`), `show_vertical_scrollbar`
        # is itself a layout reactive and asks for the layout pass.
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def _in_hidden_tab(self) -> bool:
        """True when an ancestor (the interaction view of a background tab) is not
        displayed."""
        node = self.parent
        while isinstance(node, Widget):
            if not node.display:
                return True
            node = node.parent
        return False

    def on_show(self) -> None:
        if self._size_deferred:
            self._update_virtual_size()
            self._settle()

    def _item_at_line(self, line: int) -> int:
        """Index of the item covering content line `line` (clamped)."""
        index = bisect_right(self._ends, max(0, line))
        return min(index, len(self._items) - 1)

    def _anchor(self) -> _Anchor | None:
        if not self._items or not self._width:
            return None
        line = max(0, self.scroll_offset.y - self._banner_lines)
        index = self._item_at_line(line)
        start = self._ends[index - 1] if index else 0
        return _Anchor(index, max(0, line - start))

    def _line_of(self, anchor: _Anchor) -> int:
        start = self._ends[anchor.index - 1] if anchor.index else 0
        return self._banner_lines + start + anchor.offset

    def _invalidate(self, index: int) -> None:
        item_id = self._items[index].id
        self._revisions[item_id] = self._revisions.get(item_id, 0) + 1
        self._exact[index] = 0
        self._flags_cache.pop(item_id, None)

    def _measure(self, index: int) -> int:
        """Render item `index` at the current width; returns the height change."""
        height = len(self._item_strips(index, self._width))
        delta = height - self._heights[index]
        self._heights[index] = height
        self._exact[index] = 1
        return delta

    def _remeasure(self, indexes: list[int]) -> None:
        """Measure changed items now; keep the viewport still if they sit above it."""
        if not self._width:
            return
        anchor = self._anchor()
        shift = 0
        for index in indexes:
            if 0 <= index < len(self._items):
                delta = self._measure(index)
                if anchor is not None and index < anchor.index:
                    shift += delta
        self._rebuild_ends()
        self._update_virtual_size()
        if shift and not self._pinned:
            self._jump_to(self.scroll_offset.y + shift)
        self._settle()
        self.refresh()

    def _settle(self) -> None:
        """Measure the items around the viewport until the layout stops moving.

        Items at or below the top of the viewport change height without moving
        what the agent reads; for items above it the scroll offset absorbs the
        change. When pinned, the view is re-pinned to the (new) bottom.
        """
        if self._settling or not self._items or not self._width:
            if not self._items:
                self._update_virtual_size()
                self.refresh()
            return
        self._settling = True
        try:
            for _ in range(32):  # converges in 2-3 rounds unless estimates are far off
                height = self.scrollable_content_region.height
                banner = self._banner_lines
                if self._pinned:
                    top = max(0, self._total_lines - height)
                else:
                    top = self.scroll_offset.y
                anchor_index = self._item_at_line(top - banner)
                first = self._item_at_line(top - banner - MEASURE_MARGIN)
                last = self._item_at_line(top - banner + height + MEASURE_MARGIN)
                changed = False
                shift = 0
                for index in range(first, last + 1):
                    if self._exact[index]:
                        continue
                    delta = self._measure(index)
                    if delta:
                        changed = True
                        if index < anchor_index:
                            shift += delta
                if changed:
                    self._rebuild_ends()
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

    def _jump_to(self, line: int) -> None:
        """Set the scroll offset immediately (no animation, no pin recalculation)."""
        settling, self._settling = self._settling, True
        try:
            target = max(0, min(line, max(0, self._total_lines - self.scrollable_content_region.height)))
            self.scroll_target_y = target
            self.scroll_y = target
        finally:
            self._settling = settling

    def _scroll_by(self, lines: int) -> None:
        self._scroll_to_line(self.scroll_offset.y + lines)

    def _scroll_to_line(self, line: int) -> None:
        self._jump_to(line)
        self._pinned = self.scroll_offset.y >= max(
            0, self._total_lines - self.scrollable_content_region.height
        )
        if self._pinned:
            self._new_count = 0
        self._settle()
        self._maybe_load_older()

    def _maybe_load_older(self) -> None:
        if (
            self._has_more
            and not self._load_requested
            and self._items
            and self.scroll_offset.y <= LOAD_OLDER_MARGIN
        ):
            self._load_requested = True
            self.post_message(self.LoadOlder(self, self._items[0].id))

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
            return self._to_strip(text, width, base)
        line -= banner
        if not self._items or line < 0 or line >= self._ends[-1]:
            return Strip.blank(width, base)
        index = self._item_at_line(line)
        start = self._ends[index - 1] if index else 0
        strips = self._item_strips(index, width)
        if not self._exact[index] and width == self._width:
            # Rendered before it was measured (should be rare): fix the layout next frame.
            self.call_after_refresh(self._remeasure, [index])
        offset = line - start
        return strips[offset] if offset < len(strips) else Strip.blank(width, base)

    def _new_indicator(self, width: int) -> Strip:
        label = f" ↓ {self._new_count} new — End to jump "
        text = Text(label, style=self._style("new"))
        pad = max(0, width - text.cell_len)
        line = Text(" " * pad)
        line.append_text(text)
        return self._to_strip(line, width, self._base)

    def _to_strip(self, text: Text, width: int, fill: Style) -> Strip:
        _apply_base_style(text)
        text.truncate(width, overflow="ellipsis")
        # `fill` goes *under* every segment: unstyled cells (the spaces between
        # styled runs) would otherwise show the terminal's default background.
        segments = Segment.apply_style(text.render(self.app.console, end=""), fill)
        return Strip(list(segments)).adjust_cell_length(width, fill)

    def _item_strips(self, index: int, width: int) -> list[Strip]:
        item = self._items[index]
        new_day, new_contact = self._flags(index)
        key = (item.id, width, self._revisions.get(item.id, 0), new_day, new_contact)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._render_item(item, width, bool(new_day), bool(new_contact))
            self._cache[key] = cached
        return cached

    def _render_item(self, item: TimelineItem, width: int, separator: bool, new_contact: bool) -> list[Strip]:
        self.render_count += 1
        width = max(width, 1)
        base = self._base
        strips: list[Strip] = []
        when = datetime.fromtimestamp(item.at, self.tz)
        if separator:
            label = f" {when:%a} {when.day} {when:%b %Y} "
            side = max(2, (width - len(label)) // 2)
            text = Text("─" * side + label + "─" * side, style=self._style("separator"))
            strips.append(self._to_strip(text, width, base))
        time_text = f"{when:%H:%M}"
        glyph_style = self._style(f"channel-{item.channel.value}")
        if item.kind in COMPACT_KINDS:
            line = Text(no_wrap=True)
            line.append(time_text, self._style("time"))
            line.append(" ")
            line.append(CHANNEL_GLYPH[item.channel], glyph_style)
            line.append(" ")
            label = _one_line_str(item.body) or item.kind.value
            author = _one_line_str(item.author)
            line.append(f"{author}: {label}" if author else label, self._style("compact"))
            if new_contact:
                line.append("  · " + _one_line_str(item.interaction_id), self._style("meta"))
            strips.append(self._to_strip(line, width, base))
            return strips
        if item.kind is TimelineKind.TRANSCRIPT:
            speaker = item.speaker or item.author or "speaker"
            text = Text(style=self._style("transcript"))
            text.append(f"{time_text} ", self._style("time"))
            text.append(f"{speaker}: ", Style(bold=True))
            text.append(_clip(item.body))
            # Continuation lines hang under the words, not under the time.
            strips.extend(self._wrap(text, width, base, len(time_text) + 1, hanging=True))
            return strips
        strips.append(self._to_strip(self._header(item, time_text, glyph_style, new_contact), width, base))
        if item.kind is TimelineKind.NOTE:
            body_fill = self._style("note-body")
        elif item.direction is Direction.INBOUND:
            body_fill = self._style("inbound")
        else:
            body_fill = self._style("outbound")
        if item.body:
            body = Text(_clip(item.body), style=body_fill)
            if item.kind in LINK_KINDS:
                link_style = self._style("link")
                for number, link in enumerate(self.links_of(item)):
                    body.stylize(link_style + Style(meta={LINK_META: (item.id, number)}), link.start, link.end)
            strips.extend(self._wrap(body, width, body_fill, BODY_INDENT))
        return strips

    def _header(self, item: TimelineItem, time_text: str, glyph_style: Style, new_contact: bool) -> Text:
        meta = self._style("meta")
        header = Text(no_wrap=True)
        header.append(time_text, self._style("time"))
        header.append(" ")
        header.append(CHANNEL_GLYPH[item.channel], glyph_style)
        header.append(f" {ARROW[item.direction]} ", meta)
        header.append(_one_line_str(item.author), self._style("author"))
        if item.kind is TimelineKind.NOTE:
            header.append(" ")
            header.append(" NOTE ", self._style("note-badge"))
        if item.subject:
            header.append("  ")
            header.append(_one_line_str(item.subject), self._style("subject"))
        if item.cc:
            header.append("  cc: " + _one_line_str(", ".join(item.cc)), meta)
        if item.client_id and item.client_id in self._delivery:
            state, error = self._delivery[item.client_id]
            header.append("  ")
            header.append(DELIVERY_LABEL[state], self._style(f"delivery-{state}"))
            if state == "failed":
                detail = f": {_one_line_str(error)}" if error else ""
                header.append(f"{detail} — press r to retry", self._style("delivery-failed"))
        if new_contact:
            header.append("  · " + _one_line_str(item.interaction_id), meta)
        return header

    def _wrap(self, text: Text, width: int, fill: Style, indent: int = 0,
              hanging: bool = False) -> list[Strip]:
        """`hanging`: the first line starts at the margin, the others are indented."""
        console = self.app.console
        _apply_base_style(text)
        inner = max(1, width - indent)
        lines = text.wrap(console, inner, overflow="fold", no_wrap=False)
        strips = []
        pad = [Segment(" " * indent, fill)] if indent else []
        base = self._base
        for number, line in enumerate(lines):
            line.rstrip_end(inner)
            lead = [] if hanging and number == 0 else pad
            segments = lead + list(line.render(console, end=""))
            strips.append(Strip(segments).adjust_cell_length(width, base if not indent else fill))
        return strips or [Strip.blank(width, base)]


def _apply_base_style(text: Text) -> None:
    """`Text.render` ignores the base style (only `__rich_console__` applies it),
    so turn it into the lowest-priority span before rendering."""
    if text.style:
        text.stylize_before(text.style)
        text.style = ""


def _clip(text: str) -> str:
    if len(text) <= MAX_BODY_CHARS:
        return text
    return text[:MAX_BODY_CHARS] + f" … ({len(text) - MAX_BODY_CHARS} more characters not shown)"


def _one_line_str(text: str | None) -> str:
    """Headers are single lines: fold newlines and tabs, cap absurd lengths."""
    if not text:
        return ""
    return text[:500].replace("\n", " ").replace("\t", " ")

