"""What a timeline holds: its items, oldest first, and the agent's messages on
their way. Pure (no Textual).

Items are kept as `Entry` records (slots, no validation, ~4x lighter than the
pydantic `TimelineItem` they are made from), in two lists: older pages in
`_front` (stored newest-first, so a page is prepended with one `extend`) and
live items in `_back`. An item's *key* never changes: the first item loaded
has key 0, older ones negative keys, newer ones positive. The id index maps id
-> key, so prepending a page touches only that page (the old design re-indexed
every item per page: quadratic paging). Position = key - first key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal

from agentdesk.domain.attachments import body_with_attachments
from agentdesk.domain.enums import Channel, Direction, TimelineKind

DeliveryState = Literal["queued", "sent", "failed"]
PENDING_PREFIX = "pending:"
CLIENT_SEARCH = 2_000  # how far back from the newest item a client_id is looked for


@dataclass(slots=True, frozen=True)
class Entry:
    """One timeline item, as shown (the fields of `TimelineItem`)."""

    id: str
    customer_id: str
    interaction_id: str
    channel: Channel
    kind: TimelineKind
    direction: Direction
    author: str
    body: str
    subject: str | None
    cc: tuple[str, ...]
    at: float
    client_id: str | None
    speaker: str | None
    attachments: tuple[Any, ...] = ()  # also written into `body` (a line each, as links)

    @classmethod
    def of(cls, item: Any) -> Entry:
        """From a `TimelineItem` (or an `Entry`, returned as is)."""
        if isinstance(item, Entry):
            return item
        attachments = getattr(item, "attachments", None)
        body = body_with_attachments(item.body, attachments) if attachments else item.body
        return cls(item.id, item.customer_id, item.interaction_id, item.channel, item.kind,
                   item.direction, item.author, body, item.subject, tuple(item.cc),
                   item.at, item.client_id, item.speaker, tuple(attachments or ()))

    def model_copy(self, update: dict[str, Any] | None = None) -> Entry:
        """`TimelineItem.model_copy`'s spelling, for code written against the model."""
        return replace(self, **(update or {}))


class TimelineModel:
    def __init__(self) -> None:
        self._front: list[Entry] = []  # older pages, newest first
        self._back: list[Entry] = []  # the first loaded page and live items, oldest first
        self._keys: dict[str, int] = {}  # item id -> key
        self.pending: dict[str, str] = {}  # client_id -> id of the pending placeholder
        self.delivery: dict[str, tuple[DeliveryState, str | None]] = {}
        # item id -> (previous item's id, new day, new contact), for rendered items only
        self._flags: dict[str, tuple[str | None, int, int]] = {}

    # --- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._front) + len(self._back)

    def __getitem__(self, index: int) -> Entry:
        if index < 0:
            index += len(self)
        front = len(self._front)
        if index < front:
            return self._front[front - 1 - index]
        return self._back[index - front]

    def __iter__(self) -> Iterator[Entry]:
        yield from reversed(self._front)
        yield from self._back

    def as_list(self) -> list[Entry]:
        """Every item, oldest first: O(n), not for paths that run per page."""
        return [*reversed(self._front), *self._back]

    def index_of(self, item_id: str) -> int | None:
        key = self._keys.get(item_id)
        return None if key is None else key + len(self._front)

    def __contains__(self, item_id: str) -> bool:
        return item_id in self._keys

    # --- changing -----------------------------------------------------------------------

    def reset(self, items: Iterable[Any]) -> None:
        """Replace everything (pending and delivery states are kept: see `Timeline`).
        Duplicate ids (a server bug) keep the last copy."""
        unique = {entry.id: entry for entry in map(Entry.of, items)}
        self._front = []
        self._back = list(unique.values())
        self._keys = dict(zip(unique, range(len(self._back)), strict=False))
        self._flags.clear()

    def prepend(self, items: Iterable[Any]) -> int:
        """An older page above; items already shown are skipped. Returns how many
        were added: O(page)."""
        new = [entry for entry in map(Entry.of, items) if entry.id not in self._keys]
        new = list({entry.id: entry for entry in new}.values())
        key = -len(self._front)
        for entry in reversed(new):
            key -= 1
            self._keys[entry.id] = key
            self._front.append(entry)
        return len(new)

    def append(self, item: Any) -> Entry:
        """One live item at the end, O(1). The caller checks for duplicates."""
        entry = Entry.of(item)
        self._keys[entry.id] = len(self._back)
        self._back.append(entry)
        return entry

    def replace(self, index: int, item: Any) -> Entry:
        """Put `item` at `index` (its id may differ from the one it replaces)."""
        entry = Entry.of(item)
        old = self[index]
        front = len(self._front)
        if index < front:
            self._front[front - 1 - index] = entry
        else:
            self._back[index - front] = entry
        if old.id != entry.id:
            key = self._keys.pop(old.id)
            self._keys[entry.id] = key
        self._flags.pop(old.id, None)
        return entry

    def forget_flags(self, item_id: str) -> None:
        self._flags.pop(item_id, None)

    # --- pending and delivery ---------------------------------------------------------------

    def find_client(self, client_id: str) -> int | None:
        """Position of the agent's message with this client_id (recent items only:
        delivery states matter for what was just sent)."""
        pending = self.pending.get(client_id)
        if pending is not None:
            return self.index_of(pending)
        last = len(self) - 1
        for index in range(last, max(-1, last - CLIENT_SEARCH), -1):
            if self[index].client_id == client_id:
                return index
        return None

    @staticmethod
    def pending_entry(client_id: str, interaction_id: str, body: str, kind: str,
                      channel: Channel | str, author: str, at: float) -> Entry:
        is_note = kind == "note"
        return Entry(
            id=PENDING_PREFIX + client_id, customer_id="", interaction_id=interaction_id,
            channel=Channel(channel), kind=TimelineKind.NOTE if is_note else TimelineKind.MESSAGE,
            direction=Direction.INTERNAL if is_note else Direction.OUTBOUND, author=author,
            body=body, subject=None, cc=(), at=at, client_id=client_id, speaker=None)

    def rekey(self, index: int, new_client_id: str) -> Entry:
        """Move the message at `index` to a new idempotency key (and its placeholder id)."""
        item = self[index]
        old_client_id = item.client_id or ""
        pending_id = self.pending.pop(old_client_id, None)
        new_id = PENDING_PREFIX + new_client_id if pending_id is not None else item.id
        rekeyed = self.replace(index, replace(item, id=new_id, client_id=new_client_id))
        if pending_id is not None:
            self.pending[new_client_id] = new_id
        self.delivery.pop(old_client_id, None)
        self.delivery[new_client_id] = ("queued", None)
        return rekeyed

    # --- day separators and contact changes -------------------------------------------------

    def flags(self, index: int, tz: tzinfo | None) -> tuple[int, int]:
        """(starts a new day, starts a new contact) for item `index`."""
        item = self[index]
        previous = self[index - 1] if index else None
        previous_id = previous.id if previous is not None else None
        cached = self._flags.get(item.id)
        if cached is not None and cached[0] == previous_id:
            return cached[1], cached[2]
        if previous is None:
            flags = (1, 1)
        else:
            day_start, day_end = day_bounds(previous.at, tz)
            flags = (int(not day_start <= item.at < day_end),
                     int(item.interaction_id != previous.interaction_id))
        self._flags[item.id] = (previous_id, *flags)
        return flags


def day_bounds(at: float, tz: tzinfo | None) -> tuple[float, float]:
    """Start and end (Unix seconds) of the local day containing `at`."""
    day = datetime.fromtimestamp(at, tz).date()
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    following = day + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=tz)
    return start.timestamp(), end.timestamp()
