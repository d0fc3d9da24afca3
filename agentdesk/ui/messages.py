"""Messages the app shell posts to itself (from the outbox sender and the
event worker) so state changes reach the screen through the message queue."""

from __future__ import annotations

from textual.message import Message

from agentdesk.store.outbox import OutboxItem


class OutboxChanged(Message):
    """An outbox item changed state (queued, sending, sent, failed)."""

    def __init__(self, item: OutboxItem) -> None:
        super().__init__()
        self.item = item
