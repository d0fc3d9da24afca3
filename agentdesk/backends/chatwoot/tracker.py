"""What the adapter knows of each conversation, and the de-duplication that
makes Chatwoot's unordered, repeated events into clean domain events.

Chatwoot broadcasts from Sidekiq jobs: events are not ordered, one change
often sends several (conversation.updated + assignee.changed), and the
conversation events carry the *current* state when the job ran. So:

- conversation snapshots are applied by version (`updated_at`), never older
  over newer, and turned into `InteractionChanged` only when the agent's view
  of the conversation (mine / offer / someone else's / gone) or the
  interaction itself changed;
- messages are delivered once by id (`delivered`), whichever path brought them
  (cable, catch-up, a timeline page), and the newest delivered id per
  conversation is the cursor of the catch-up after a reconnect;
- our own sends are remembered by `echo_id` (= the outbox's client_id) so a
  retried send finds its message, and a message that comes back through a
  catch-up (where Chatwoot does not repeat the echo_id) still carries it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from agentdesk.domain.events import InteractionChange, InteractionChanged

if TYPE_CHECKING:
    from agentdesk.backends.chatwoot.mapping import ConversationView
    from agentdesk.domain.models import Interaction, TimelineItem

KEEP_IDS = 20_000  # delivered message ids remembered (oldest forgotten first)
KEEP_ECHOES = 2_000


class Relation(StrEnum):
    """The conversation from the signed-in agent's point of view."""

    MINE = "mine"  # open and assigned to me: a tab
    OFFER = "offer"  # open, unassigned, in my inboxes, not rejected: an offer
    OTHER = "other"  # open and assigned to someone else
    GONE = "gone"  # resolved, snoozed, pending, an offer I rejected, or one I handed off


_K = TypeVar("_K")
_V = TypeVar("_V")


class _Bounded(OrderedDict[_K, _V]):
    def __init__(self, keep: int) -> None:
        super().__init__()
        self.keep = keep

    def put(self, key: _K, value: _V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.keep:
            self.popitem(last=False)


class Tracker:
    def __init__(self) -> None:
        self.me: str | None = None
        self.views: dict[str, ConversationView] = {}
        self.relations: dict[str, Relation] = {}
        self.rejected: set[str] = set()
        # Transferred to a team by me: Chatwoot unassigns it when I am not in that
        # team, and it must not come back to me as an offer (someone takes it).
        self.handed_off: set[str] = set()
        self.delivered: _Bounded[str, None] = _Bounded(KEEP_IDS)  # message id -> None
        self.last_message: dict[str, int] = {}  # conversation -> newest delivered message id
        self.echoes: _Bounded[str, TimelineItem] = _Bounded(KEEP_ECHOES)  # client_id -> TimelineItem
        self.client_of: _Bounded[str, str] = _Bounded(KEEP_ECHOES)  # message id -> client_id

    # -- conversations ------------------------------------------------------------------

    def relation(self, view: ConversationView) -> Relation:
        if view.status != "open":
            return Relation.GONE
        if view.assignee_id is None:
            hidden = view.id in self.rejected or view.id in self.handed_off
            return Relation.GONE if hidden else Relation.OFFER
        return Relation.MINE if view.assignee_id == self.me else Relation.OTHER

    def remember(self, view: ConversationView) -> None:
        """A snapshot the desk loaded itself (REST, fetched just now): no event,
        just the new baseline."""
        self.views[view.id] = view
        self.relations[view.id] = self.relation(view)

    def apply(self, view: ConversationView, at: float, *, force: bool = False
              ) -> list[InteractionChanged]:
        """A conversation snapshot from the cable or a catch-up -> what changed.
        `force`: a REST answer fetched just now (its shape has no comparable
        `updated_at`), applied whatever the stored version."""
        old = self.views.get(view.id)
        if old is not None and not force and view.version < old.version:
            return []  # an older push snapshot arriving late
        before = self.relations.get(view.id)
        if view.assignee_id is not None:  # someone took it: a later unassign offers it again
            self.handed_off.discard(view.id)
        after = self.relation(view)
        self.views[view.id] = view
        self.relations[view.id] = after
        inter = view.interaction
        changes: list[tuple[InteractionChange, str | None]] = []
        if after is Relation.MINE:
            if before is Relation.MINE:
                if old is None or old.interaction != inter:
                    changes.append((InteractionChange.UPDATED, None))
            else:
                changes.append((InteractionChange.ACCEPTED, None))
        elif after is Relation.OFFER:
            if before is Relation.MINE:
                changes.append((InteractionChange.TRANSFERRED, "unassigned"))
                changes.append((InteractionChange.OFFERED, None))
            elif before is Relation.OFFER:
                if old is None or old.interaction != inter:
                    changes.append((InteractionChange.UPDATED, None))
            else:
                changes.append((InteractionChange.OFFERED, None))
        elif after is Relation.OTHER:
            if before in (Relation.MINE, Relation.OFFER):
                who = view.assignee_name or "another agent"
                verb = "assigned to" if before is Relation.MINE else "taken by"
                changes.append((InteractionChange.TRANSFERRED, f"{verb} {who}"))
        elif before is Relation.MINE and view.status == "open":  # handed off to a team
            changes.append((InteractionChange.TRANSFERRED, "transferred to a team"))
        elif before in (Relation.MINE, Relation.OFFER):
            changes.append((InteractionChange.CLOSED, view.status))
        return [InteractionChanged(c, inter, at, reason) for c, reason in changes]

    def forget(self, conversation_id: str, at: float) -> list[InteractionChanged]:
        """The conversation is gone from the server (deleted, or no longer visible)."""
        view = self.views.pop(conversation_id, None)
        before = self.relations.pop(conversation_id, None)
        if view is None or before not in (Relation.MINE, Relation.OFFER):
            return []
        return [InteractionChanged(InteractionChange.CLOSED, view.interaction, at, "gone")]

    def reject(self, conversation_id: str, at: float) -> InteractionChanged | None:
        """Hide an offer locally (Chatwoot has no reject: the conversation stays
        unassigned for the other agents)."""
        self.rejected.add(conversation_id)
        view = self.views.get(conversation_id)
        before = self.relations.get(conversation_id)
        self.relations[conversation_id] = Relation.GONE
        if view is None or before is not Relation.OFFER:
            return None
        return InteractionChanged(InteractionChange.REJECTED, view.interaction, at, "hidden")

    def update_interaction(self, conversation_id: str, **fields: object) -> Interaction | None:
        """Patch the known interaction (unread, names); the new one if it changed."""
        view = self.views.get(conversation_id)
        if view is None:
            return None
        inter = view.interaction.model_copy(update=fields)
        if inter == view.interaction:
            return None
        self.views[conversation_id] = replace(view, interaction=inter)
        return inter

    def open_ids(self) -> list[str]:
        return [cid for cid, rel in self.relations.items()
                if rel in (Relation.MINE, Relation.OFFER)]

    # -- messages -------------------------------------------------------------------------

    def deliver(self, item: TimelineItem) -> TimelineItem | None:
        """The item with its client_id filled in if it is new to the desk, else None."""
        if item.id in self.delivered:
            return None
        self.delivered.put(item.id, None)
        number = int(item.id) if item.id.isdigit() else 0
        conv = item.interaction_id
        if number > self.last_message.get(conv, 0):
            self.last_message[conv] = number
        client_id = item.client_id or self.client_of.get(item.id)
        if item.client_id:
            self.note_echo(item.client_id, item)
        if client_id and client_id != item.client_id:
            item = item.model_copy(update={"client_id": client_id})
        return item

    def note_loaded(self, items: list[TimelineItem]) -> None:
        """Items the desk loaded in a timeline page: delivered already."""
        for item in items:
            self.deliver(item)

    def note_echo(self, client_id: str, item: TimelineItem) -> None:
        self.echoes.put(client_id, item)
        self.client_of.put(item.id, client_id)
