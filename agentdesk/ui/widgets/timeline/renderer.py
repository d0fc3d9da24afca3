"""Timeline items drawn as lines (`Strip`s), cached.

The renderer knows how an item looks; it knows nothing about scrolling. It is
given the widget's styles (component classes, looked up through `style`) and
its console, and keeps an LRU cache of the strips of each item keyed by (item
id, width, revision, new day, new contact): a resize or a style change
re-wraps lazily, only what is drawn.

All item text is untrusted: it is rendered as `rich.text.Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from agentdesk.domain.enums import Direction, TimelineKind
from agentdesk.ui.glyphs import CHANNEL_GLYPH
from agentdesk.ui.widgets.timeline.links import Link, find_links
from agentdesk.ui.widgets.timeline.model import DeliveryState, Entry

BODY_INDENT = 2  # body lines sit under the header, indented by this many cells
MAX_BODY_CHARS = 20_000  # longer bodies are cut: wrapping a megabyte per frame is not reading
COMPACT_KINDS = (TimelineKind.CALL, TimelineKind.SYSTEM)
ARROW = {Direction.INBOUND: "←", Direction.OUTBOUND: "→", Direction.INTERNAL: "·"}
DELIVERY_LABEL = {"queued": "◷ queued", "sent": "✓ sent", "failed": "✗ failed"}
LINK_KINDS = (TimelineKind.MESSAGE, TimelineKind.NOTE)  # bodies whose links are actionable
LINK_META = "timeline-link"  # style meta on a link's cells: (item id, link number)
CACHE_SIZE = 1024


class TimelineRenderer:
    def __init__(self, style: Callable[[str], Style], console: Callable[[], Console]) -> None:
        self._style = style  # component class name (without "timeline--") -> style
        self._console = console
        self.cache: LRUCache[tuple[str, int, int, int, int], list[Strip]] = LRUCache(CACHE_SIZE)
        self._links: LRUCache[str, tuple[str, list[Link]]] = LRUCache(4096)
        self._revisions: dict[str, int] = {}  # bumped when an item's look changes
        self.render_count = 0

    def clear(self) -> None:
        self.cache.clear()

    def forget(self) -> None:
        """A new set of items: drop every cached look."""
        self.cache.clear()
        self._revisions.clear()

    def invalidate(self, item_id: str) -> None:
        self._revisions[item_id] = self._revisions.get(item_id, 0) + 1

    def links_of(self, item: Entry) -> list[Link]:
        """The web links in an item's body as shown (messages and notes only)."""
        if item.kind not in LINK_KINDS or not item.body:
            return []
        cached = self._links.get(item.id)
        if cached is not None and cached[0] is item.body:
            return cached[1]
        links = find_links(clip(item.body))
        self._links[item.id] = (item.body, links)
        return links

    def strips(self, item: Entry, width: int, flags: tuple[int, int], base: Style, tz: tzinfo | None,
               delivery: tuple[DeliveryState, str | None] | None) -> list[Strip]:
        new_day, new_contact = flags
        key = (item.id, width, self._revisions.get(item.id, 0), new_day, new_contact)
        cached = self.cache.get(key)
        if cached is None:
            cached = self._render(item, width, bool(new_day), bool(new_contact), base, tz, delivery)
            self.cache[key] = cached
        return cached

    # --- drawing ---------------------------------------------------------------------------

    def to_strip(self, text: Text, width: int, fill: Style) -> Strip:
        _apply_base_style(text)
        text.truncate(width, overflow="ellipsis")
        # `fill` goes *under* every segment: unstyled cells (the spaces between
        # styled runs) would otherwise show the terminal's default background.
        segments = Segment.apply_style(text.render(self._console(), end=""), fill)
        return Strip(list(segments)).adjust_cell_length(width, fill)

    def _render(self, item: Entry, width: int, separator: bool, new_contact: bool, base: Style,
                tz: tzinfo | None, delivery: tuple[DeliveryState, str | None] | None) -> list[Strip]:
        self.render_count += 1
        style = self._style
        width = max(width, 1)
        strips: list[Strip] = []
        when = datetime.fromtimestamp(item.at, tz)
        if separator:
            label = f" {when:%a} {when.day} {when:%b %Y} "
            side = max(2, (width - len(label)) // 2)
            text = Text("─" * side + label + "─" * side, style=style("separator"))
            strips.append(self.to_strip(text, width, base))
        time_text = f"{when:%H:%M}"
        glyph_style = style(f"channel-{item.channel.value}")
        if item.kind in COMPACT_KINDS:
            line = Text(no_wrap=True)
            line.append(time_text, style("time"))
            line.append(" ")
            line.append(CHANNEL_GLYPH[item.channel], glyph_style)
            line.append(" ")
            label = one_line(item.body) or item.kind.value
            author = one_line(item.author)
            line.append(f"{author}: {label}" if author else label, style("compact"))
            if new_contact:
                line.append("  · " + one_line(item.interaction_id), style("meta"))
            strips.append(self.to_strip(line, width, base))
            return strips
        if item.kind is TimelineKind.TRANSCRIPT:
            speaker = item.speaker or item.author or "speaker"
            text = Text(style=style("transcript"))
            text.append(f"{time_text} ", style("time"))
            text.append(f"{speaker}: ", Style(bold=True))
            text.append(clip(item.body))
            # Continuation lines hang under the words, not under the time.
            strips.extend(self._wrap(text, width, base, base, len(time_text) + 1, hanging=True))
            return strips
        header = self._header(item, time_text, glyph_style, new_contact, delivery)
        strips.append(self.to_strip(header, width, base))
        if item.kind is TimelineKind.NOTE:
            body_fill = style("note-body")
        elif item.direction is Direction.INBOUND:
            body_fill = style("inbound")
        else:
            body_fill = style("outbound")
        if item.body:
            body = Text(clip(item.body), style=body_fill)
            if item.kind in LINK_KINDS:
                link_style = style("link")
                for number, link in enumerate(self.links_of(item)):
                    body.stylize(link_style + Style(meta={LINK_META: (item.id, number)}),
                                 link.start, link.end)
            strips.extend(self._wrap(body, width, body_fill, base, BODY_INDENT))
        return strips

    def _header(self, item: Entry, time_text: str, glyph_style: Style, new_contact: bool,
                delivery: tuple[DeliveryState, str | None] | None) -> Text:
        style = self._style
        meta = style("meta")
        header = Text(no_wrap=True)
        header.append(time_text, style("time"))
        header.append(" ")
        header.append(CHANNEL_GLYPH[item.channel], glyph_style)
        header.append(f" {ARROW[item.direction]} ", meta)
        header.append(one_line(item.author), style("author"))
        if item.kind is TimelineKind.NOTE:
            header.append(" ")
            header.append(" NOTE ", style("note-badge"))
        # The delivery state comes before subject and cc: a long cc list must not
        # push "✗ failed" off the (unwrapped) header line.
        if delivery is not None:
            state, error = delivery
            header.append("  ")
            header.append(DELIVERY_LABEL[state], style(f"delivery-{state}"))
            if state == "failed":
                detail = f": {one_line(error)}" if error else ""
                header.append(f"{detail} — press r to retry", style("delivery-failed"))
        if item.subject:
            header.append("  ")
            header.append(one_line(item.subject), style("subject"))
        if item.cc:
            header.append("  cc: " + one_line(", ".join(item.cc)), meta)
        if new_contact:
            header.append("  · " + one_line(item.interaction_id), meta)
        return header

    def _wrap(self, text: Text, width: int, fill: Style, base: Style, indent: int = 0,
              hanging: bool = False) -> list[Strip]:
        """`hanging`: the first line starts at the margin, the others are indented."""
        console = self._console()
        _apply_base_style(text)
        inner = max(1, width - indent)
        lines = text.wrap(console, inner, overflow="fold", no_wrap=False)
        strips = []
        pad = [Segment(" " * indent, fill)] if indent else []
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


def clip(text: str) -> str:
    if len(text) <= MAX_BODY_CHARS:
        return text
    return text[:MAX_BODY_CHARS] + f" … ({len(text) - MAX_BODY_CHARS} more characters not shown)"


def one_line(text: str | None) -> str:
    """Headers are single lines: fold newlines and tabs, cap absurd lengths."""
    if not text:
        return ""
    return text[:500].replace("\n", " ").replace("\t", " ")
