"""The agent's own outgoing messages in the timeline: a placeholder shown before
the server echoes it, its delivery state (queued, sent, failed), a new
idempotency key when a refused command is reissued, and the echo replacing it.

A mixin of `Timeline` (it uses the widget's model, line index and layout
helpers); the desk rebuilds these from the outbox when a view opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.domain.enums import Channel
from agentdesk.ui.widgets.timeline.line_index import ESTIMATED_HEIGHT
from agentdesk.ui.widgets.timeline.model import DeliveryState, TimelineModel

if TYPE_CHECKING:
    from agentdesk.ui.widgets.timeline.timeline import Timeline



class TimelinePending:
    """Pending and delivery state for `Timeline` (mixed in before `ScrollView`)."""

    def add_pending(self: Timeline, client_id: str, interaction_id: str, body: str, kind: str,
                    channel: Channel | str, author: str, at: float) -> None:
        """Show the agent's outgoing message before the server echoes it."""
        if self._model.find_client(client_id) is not None:
            return  # the echo won the race, or this was already shown
        item = TimelineModel.pending_entry(client_id, interaction_id, body, kind, channel, author, at)
        self._model.delivery.setdefault(client_id, ("queued", None))
        self._pinned = True  # the agent just sent: show it
        self._new_count = 0
        self.append_items([item])
        self._model.pending[client_id] = item.id

    def set_delivery(self: Timeline, client_id: str, state: DeliveryState, error: str | None = None) -> None:
        """Show the delivery state of the agent's own message."""
        self._model.delivery[client_id] = (state, error)
        index = self._model.find_client(client_id)
        if index is not None:
            self._invalidate(index)
            self.refresh()

    def rekey_pending(self: Timeline, old_client_id: str, new_client_id: str) -> bool:
        """The agent's message is sent again under a new idempotency key (a refused
        command is reissued): move its placeholder and delivery state to the new key,
        so the server's echo (matched by client_id) replaces it. False if unknown."""
        index = self._model.find_client(old_client_id)
        if index is None or old_client_id == new_client_id:
            return False
        self._model.rekey(index, new_client_id)
        self._changed(index)
        return True

    def _replace_pending(self: Timeline, item: object) -> None:
        client_id = item.client_id  # type: ignore[attr-defined]
        index = self._model.index_of(self._model.pending.pop(client_id))
        if index is None:  # its placeholder is gone (a reload dropped it): show the echo
            self._model.append(item)
            self._lines.append(ESTIMATED_HEIGHT)
            self._update_virtual_size()
            self._settle()
            return
        state, _ = self._model.delivery.get(client_id, ("queued", None))
        if state == "queued":  # the server has it: the echo is the proof
            self._model.delivery[client_id] = ("sent", None)
        self._model.replace(index, item)
        self._changed(index)
