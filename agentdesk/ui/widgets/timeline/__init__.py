"""The customer's unified timeline widget: every channel, every contact, oldest first.

A virtualised line-API `ScrollView` (the Toolong pattern: no widget per item),
split the way Toolong splits a log view:

- `model.TimelineModel` (pure): the items as light `Entry` records, the id
  index, pending messages and delivery states, day and contact flags;
- `line_index.LineIndex` (pure): item heights in a Fenwick tree, so the item at
  a scroll offset, an item's first line and the scroll anchor are O(log n);
- `renderer.TimelineRenderer`: an item drawn as `Strip`s, LRU-cached;
- `timeline.Timeline`: the thin widget (Textual glue), with `scrolling.py` (keeping
  what the agent reads still), `styles.py` (its CSS) and `messages.py`.

Heights start as cheap *estimates* and become exact when an item is rendered
(only items in or near the viewport are), so opening 50,000 items costs no
text wrapping. When an item above the viewport changes height, the scroll
offset moves by the same amount so what the agent reads does not jump. Paging
back costs O(page) (amortised), appending a live item O(log n). New items
change only the virtual height, applied without a layout pass of the screen
(`_update_virtual_size`), and a frame looks up the widget's style once, not per
line (`render_lines`).

Public API (used by the desk and the monitor):

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
- Properties: `items` (a list copy: O(n)), `has_more`, `pinned`, `new_count`,
  `render_count` (items rendered so far, for tests and benchmarks).

Items come in as `TimelineItem`s and are kept (and handed back, in `items`,
`LinkActivated` and `recent_links`) as `Entry` records with the same fields.

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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentdesk.ui.widgets.timeline.timeline import Timeline

__all__ = ["Timeline"]


def __getattr__(name: str) -> object:
    # Lazy, so the pure modules (model, line_index) import without Textual.
    if name == "Timeline":
        from agentdesk.ui.widgets.timeline.timeline import Timeline

        return Timeline
    raise AttributeError(name)
