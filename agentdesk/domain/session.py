"""The desk's session state and its pure reducer (no IO, no Textual).

`apply(state, event)` folds one domain event (`agentdesk.domain.events`)
into a new `SessionState` and says in `Changes` exactly what changed, so the
UI re-renders only that. `load_snapshot(...)` replaces the state after a
(re)connect or when the adapter asks for it (`SnapshotNeeded`).

The state is treated as immutable: every change makes shallow copies of the
dicts it touches, so a caller can keep the previous state for comparison and
tests can assert the input was not mutated. Ordering and de-duplication of the
stream are the adapter's business; the reducer still drops what a snapshot
and the stream can both bring: an interaction event older (by `at`) than the
last one applied to that id, and a timeline item already seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from agentdesk.domain.enums import Direction, InteractionState, TimelineKind
from agentdesk.domain.events import (
    LEAVING,
    AgentChanged,
    CallbackChanged,
    CallChanged,
    CustomerTyping,
    InteractionChange,
    InteractionChanged,
    ItemAdded,
    KbChanged,
    ServerTime,
    SnapshotNeeded,
    StatsChanged,
)
from agentdesk.domain.outgoing import Outgoing

# Models and events are annotations here: the desk builds its empty state for
# the first frame before pydantic is imported (docs/benchmarks.md, "Start-up").
if TYPE_CHECKING:
    from agentdesk.domain.events import DeskEvent
    from agentdesk.domain.models import (
        AgentInfo,
        Callback,
        Interaction,
        KbArticle,
        Queue,
        Stats,
        TimelineItem,
        User,
    )

# Interactions the desk shows as tabs.
OPEN_STATES = frozenset({InteractionState.OFFERED, InteractionState.ACTIVE, InteractionState.WRAPUP})
# A typing indicator without refresh goes stale after this many seconds.
TYPING_TTL_S = 8.0
# How many recent customer turns are kept per interaction (for KB suggestions).
TURNS_KEPT = 6
# How many timeline item ids are remembered per interaction to drop duplicates.
SEEN_KEPT = 2_000


_V = TypeVar("_V")

@dataclass(frozen=True, slots=True)
class SessionState:
    me: User | None = None
    agent: AgentInfo | None = None
    interactions: dict[str, Interaction] = field(default_factory=dict)
    agents: dict[str, AgentInfo] = field(default_factory=dict)  # others (supervisor/transfer)
    queues: dict[str, Queue] = field(default_factory=dict)
    stats: Stats | None = None
    typing: dict[str, float] = field(default_factory=dict)  # interaction id -> since (server time)
    unread: dict[str, int] = field(default_factory=dict)
    turns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # recent customer texts
    seen_items: dict[str, tuple[str, ...]] = field(default_factory=dict)
    touched_at: dict[str, float] = field(default_factory=dict)  # last interaction event `at`
    gone: frozenset[str] = frozenset()  # ids that left us; late updates must not resurrect them
    missed: tuple[str, ...] = ()  # offers missed since the agent last re-armed
    applied: int = 0  # events folded in so far (a progress counter, not an order)
    loaded: bool = False  # a snapshot has been loaded at least once
    clock_offset: float = 0.0  # server time minus local time, from the latest event
    # Outgoing messages not yet confirmed by the server, per interaction, in the
    # order written (rebuilt from the outbox; the timeline shows them as pending).
    outgoing: dict[str, tuple[Outgoing, ...]] = field(default_factory=dict)
    # Scheduled callbacks the server shows this agent (GET /v1/callbacks, callback.* events).
    callbacks: dict[str, Callback] = field(default_factory=dict)

    def server_now(self, local_now: float) -> float:
        return local_now + self.clock_offset


@dataclass(slots=True)
class Changes:
    """What one or more reduced events changed; merge with `|=`."""

    added: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    items: dict[str, list[TimelineItem]] = field(default_factory=dict)
    calls: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)
    outgoing: set[str] = field(default_factory=set)  # interactions whose pending messages changed
    unread: set[str] = field(default_factory=set)  # unread counts changed (marked read)
    offered: list[str] = field(default_factory=list)  # new offers (notify)
    missed: list[str] = field(default_factory=list)  # offers that timed out (banner)
    removed_reasons: dict[str, str] = field(default_factory=dict)
    kb_articles: list[KbArticle] = field(default_factory=list)
    kb_removed: list[str] = field(default_factory=list)
    stats: bool = False
    me: bool = False
    resync: bool = False
    callbacks: bool = False  # the callbacks changed (the list of the day)
    callbacks_missed: list[str] = field(default_factory=list)  # my callbacks just missed (toast)
    dropped: int = 0  # duplicate or stale events ignored

    def __bool__(self) -> bool:
        return bool(
            self.added or self.updated or self.removed or self.items or self.calls
            or self.typing or self.outgoing or self.unread or self.offered or self.missed or self.kb_articles
            or self.kb_removed or self.stats or self.me or self.resync or self.callbacks
        )

    def __ior__(self, other: Changes) -> Changes:
        # An id removed and re-added in one batch counts as added; added then
        # removed counts as removed only.
        for iid in other.added:
            self.removed.discard(iid)
        for iid in other.removed:
            self.added.discard(iid)
            self.updated.discard(iid)
        self.added |= other.added
        self.updated |= other.updated - self.added
        self.removed |= other.removed
        for iid, items in other.items.items():
            self.items.setdefault(iid, []).extend(items)
        self.calls |= other.calls
        self.typing |= other.typing
        self.outgoing |= other.outgoing
        self.unread |= other.unread
        self.offered.extend(other.offered)
        self.missed.extend(other.missed)
        self.removed_reasons.update(other.removed_reasons)
        self.kb_articles.extend(other.kb_articles)
        self.kb_removed.extend(other.kb_removed)
        self.stats |= other.stats
        self.me |= other.me
        self.resync |= other.resync
        self.callbacks |= other.callbacks
        self.callbacks_missed.extend(other.callbacks_missed)
        self.dropped += other.dropped
        return self


# --- reducer ----------------------------------------------------------------------


def apply(state: SessionState, event: DeskEvent, *, local_now: float | None = None) -> tuple[SessionState, Changes]:
    """Fold one event into the state. `local_now` (the client's clock when the
    event arrived) lets the state track the server clock offset."""
    changes = Changes()
    state = replace(state, applied=state.applied + 1)
    if local_now is not None:
        state = replace(state, clock_offset=event.at - local_now)
    handler = _HANDLERS.get(type(event))
    if handler is None:
        return state, changes
    return handler(state, event, changes)


def apply_all(
    state: SessionState, events: Iterable[DeskEvent], *, local_now: float | None = None
) -> tuple[SessionState, Changes]:
    total = Changes()
    for event in events:
        state, changes = apply(state, event, local_now=local_now)
        total |= changes
    return state, total


def _interaction_event(
    state: SessionState, event: InteractionChanged, changes: Changes
) -> tuple[SessionState, Changes]:
    inter = event.interaction
    iid = inter.id
    if event.at < state.touched_at.get(iid, float("-inf")):
        changes.dropped = 1
        return state, changes
    touched = {**state.touched_at, iid: event.at}
    kind = event.change
    mine = state.me is None or inter.agent_id in (None, state.me.id)

    if kind in LEAVING or inter.state not in OPEN_STATES or not mine:
        if iid not in state.interactions:
            return replace(state, touched_at=touched, gone=state.gone | {iid}), changes
        state = _without(state, iid)
        state = replace(state, touched_at=touched, gone=state.gone | {iid})
        changes.removed.add(iid)
        changes.removed_reasons[iid] = event.reason or kind.value
        if kind is InteractionChange.MISSED:
            state = replace(state, missed=(*state.missed, iid))
            changes.missed.append(iid)
            changes.me = True
        return state, changes

    reopening = kind in (InteractionChange.OFFERED, InteractionChange.ACCEPTED)
    if iid in state.gone and not reopening:
        changes.dropped = 1
        return replace(state, touched_at=touched), changes
    known = iid in state.interactions
    interactions = {**state.interactions, iid: inter}
    state = replace(state, interactions=interactions, touched_at=touched, gone=state.gone - {iid})
    if known:
        changes.updated.add(iid)
    else:
        changes.added.add(iid)
        state = replace(state, unread={**state.unread, iid: inter.unread})
    if kind is InteractionChange.OFFERED and not known:
        changes.offered.append(iid)
    if inter.call is not None:
        changes.calls.add(iid)
    return state, changes


def _without(state: SessionState, iid: str) -> SessionState:
    def drop(d: dict[str, _V]) -> dict[str, _V]:
        return {k: v for k, v in d.items() if k != iid}

    return replace(
        state,
        interactions=drop(state.interactions),
        typing=drop(state.typing),
        unread=drop(state.unread),
        turns=drop(state.turns),
        seen_items=drop(state.seen_items),
    )


def _item_event(state: SessionState, event: ItemAdded, changes: Changes) -> tuple[SessionState, Changes]:
    item = event.item
    iid = item.interaction_id
    inter = state.interactions.get(iid)
    if inter is None:
        return state, changes  # not one of our open tabs
    seen = state.seen_items.get(iid, ())
    if item.id in seen:
        changes.dropped = 1
        return state, changes
    state = replace(state, seen_items={**state.seen_items, iid: (*seen, item.id)[-SEEN_KEPT:]})
    changes.items.setdefault(iid, []).append(item)
    if item.client_id and any(o.client_id == item.client_id for o in state.outgoing.get(iid, ())):
        state = _drop_outgoing(state, iid, item.client_id)  # the echo of a pending message
        changes.outgoing.add(iid)
    from_customer = item.direction is Direction.INBOUND and (
        item.kind is TimelineKind.MESSAGE
        or (item.kind is TimelineKind.TRANSCRIPT and item.speaker in (None, "customer"))
    )
    if from_customer:
        turns = (*state.turns.get(iid, ()), item.body)[-TURNS_KEPT:]
        state = replace(
            state,
            turns={**state.turns, iid: turns},
            interactions={**state.interactions, iid: inter.model_copy(update={"last_customer_at": item.at})},
        )
        if item.kind is TimelineKind.MESSAGE:
            state = replace(state, unread={**state.unread, iid: state.unread.get(iid, 0) + 1})
            changes.updated.add(iid)
        if iid in state.typing:  # a message ends the typing
            state = replace(state, typing={k: v for k, v in state.typing.items() if k != iid})
            changes.typing.add(iid)
    return state, changes


def _call_event(state: SessionState, event: CallChanged, changes: Changes) -> tuple[SessionState, Changes]:
    iid = event.interaction_id
    inter = state.interactions.get(iid)
    if inter is None:
        return state, changes
    updated = inter.model_copy(update={"call": event.call})
    state = replace(state, interactions={**state.interactions, iid: updated})
    changes.calls.add(iid)
    changes.updated.add(iid)
    return state, changes


def _typing_event(
    state: SessionState, event: CustomerTyping, changes: Changes
) -> tuple[SessionState, Changes]:
    iid = event.interaction_id
    if iid not in state.interactions:
        return state, changes
    typing = {k: v for k, v in state.typing.items() if k != iid}
    if event.typing:
        typing[iid] = event.at
    if typing != state.typing:
        changes.typing.add(iid)
    return replace(state, typing=typing), changes


def _agent_event(state: SessionState, event: AgentChanged, changes: Changes) -> tuple[SessionState, Changes]:
    agent = event.agent
    if state.me is not None and agent.id == state.me.id:
        missed = state.missed
        if agent.routing_state.value != "not_responding" and missed:
            missed = ()  # re-armed: the banner goes
        changes.me = True
        return replace(state, agent=agent, missed=missed), changes
    return replace(state, agents={**state.agents, agent.id: agent}), changes


def _stats_event(state: SessionState, event: StatsChanged, changes: Changes) -> tuple[SessionState, Changes]:
    changes.stats = True
    return replace(state, stats=event.stats), changes


def _kb_event(state: SessionState, event: KbChanged, changes: Changes) -> tuple[SessionState, Changes]:
    changes.kb_articles.extend(event.articles)
    changes.kb_removed.extend(event.removed)
    return state, changes


def _callback_event(
    state: SessionState, event: CallbackChanged, changes: Changes
) -> tuple[SessionState, Changes]:
    cb = event.callback
    changes.callbacks = True
    me = state.me.id if state.me else None
    if event.missed and me is not None and me in (cb.agent_id, cb.created_by):
        changes.callbacks_missed.append(cb.id)
    return replace(state, callbacks={**state.callbacks, cb.id: cb}), changes


def set_callbacks(state: SessionState, callbacks: Iterable[Callback]) -> tuple[SessionState, Changes]:
    """The callbacks as the server lists them now (on load and after a resync)."""
    return replace(state, callbacks={cb.id: cb for cb in callbacks}), Changes(callbacks=True)


def _snapshot_needed(
    state: SessionState, event: SnapshotNeeded, changes: Changes
) -> tuple[SessionState, Changes]:
    changes.resync = True  # the caller reloads snapshots and calls load_snapshot
    return state, changes


def _server_time(state: SessionState, event: ServerTime, changes: Changes) -> tuple[SessionState, Changes]:
    return state, changes  # `apply` already learnt the clock offset from `at`


_Handler = Callable[[SessionState, Any, Changes], tuple[SessionState, Changes]]
_HANDLERS: dict[type, _Handler] = {
    InteractionChanged: _interaction_event,
    ItemAdded: _item_event,
    CallChanged: _call_event,
    CustomerTyping: _typing_event,
    AgentChanged: _agent_event,
    StatsChanged: _stats_event,
    KbChanged: _kb_event,
    CallbackChanged: _callback_event,
    SnapshotNeeded: _snapshot_needed,
    ServerTime: _server_time,
}


# --- snapshots ----------------------------------------------------------------------


def load_snapshot(
    state: SessionState,
    *,
    me: User | None = None,
    agent: AgentInfo | None = None,
    interactions: Iterable[Interaction] = (),
    queues: Iterable[Queue] | None = None,
    stats: Stats | None = None,
    agents: Iterable[AgentInfo] | None = None,
) -> tuple[SessionState, Changes]:
    """Replace the live parts of the state with fresh snapshots (start-up,
    reconnect, resync). Per-interaction extras (turns, unread, seen ids) are
    kept for interactions that are still open."""
    changes = Changes(resync=True, me=True, stats=True)
    me = me or state.me
    fresh = {
        i.id: i
        for i in interactions
        if i.state in OPEN_STATES and (me is None or i.agent_id in (None, me.id))
    }
    changes.added = set(fresh) - set(state.interactions)
    changes.removed = set(state.interactions) - set(fresh)
    changes.updated = set(fresh) & set(state.interactions)
    changes.offered = [i for i in changes.added if fresh[i].state is InteractionState.OFFERED]

    def keep(d: dict[str, _V]) -> dict[str, _V]:
        return {k: v for k, v in d.items() if k in fresh}

    unread = keep(state.unread)
    for iid in changes.added:
        unread[iid] = fresh[iid].unread
    new = replace(
        state,
        me=me,
        agent=agent if agent is not None else state.agent,
        interactions=fresh,
        queues={q.id: q for q in queues} if queues is not None else state.queues,
        stats=stats if stats is not None else state.stats,
        agents={a.id: a for a in agents} if agents is not None else state.agents,
        typing=keep(state.typing),
        unread=unread,
        turns=keep(state.turns),
        seen_items=keep(state.seen_items),
        gone=state.gone - set(fresh),
        loaded=True,
    )
    if new.agent is not None and new.agent.routing_state.value != "not_responding":
        new = replace(new, missed=())
    return new, changes


def note_items(state: SessionState, interaction_id: str, items: Iterable[TimelineItem]) -> SessionState:
    """Remember items loaded over HTTP (timeline page) so the same items
    arriving again as events are recognised as duplicates, and seed the
    customer turns used for suggestions."""
    if interaction_id not in state.interactions:
        return state
    items = list(items)
    seen = (*state.seen_items.get(interaction_id, ()), *(i.id for i in items))[-SEEN_KEPT:]
    turns = tuple(
        i.body
        for i in items
        if i.interaction_id == interaction_id
        and i.direction is Direction.INBOUND
        and i.kind in (TimelineKind.MESSAGE, TimelineKind.TRANSCRIPT)
        and i.speaker in (None, "customer")
    )
    merged = (
        (*turns, *state.turns.get(interaction_id, ()))[-TURNS_KEPT:]
        if turns
        else state.turns.get(interaction_id, ())
    )
    return replace(
        state,
        seen_items={**state.seen_items, interaction_id: seen},
        turns={**state.turns, interaction_id: merged} if merged else state.turns,
    )


def mark_read(state: SessionState, interaction_id: str) -> SessionState:
    if not state.unread.get(interaction_id):
        return state
    return replace(state, unread={**state.unread, interaction_id: 0})


def marked_read(state: SessionState, interaction_id: str) -> tuple[SessionState, Changes]:
    """`mark_read`, saying what changed."""
    new = mark_read(state, interaction_id)
    return new, Changes(unread={interaction_id}) if new is not state else Changes()


def clear_missed(state: SessionState) -> SessionState:
    return replace(state, missed=()) if state.missed else state


def rearmed(state: SessionState) -> tuple[SessionState, Changes]:
    """The agent chose Available: the missed-offer banner goes at once."""
    new = clear_missed(state)
    return new, Changes(me=True) if new is not state else Changes()


def set_stats(state: SessionState, stats: Stats) -> tuple[SessionState, Changes]:
    """Stats reloaded over HTTP (the stream sends them at most once a second)."""
    return replace(state, stats=stats), Changes(stats=True)


# --- outgoing messages (pending and failed), rebuilt from the outbox ----------------------


def set_outgoing(
    state: SessionState, interaction_id: str, outgoing: Iterable[Outgoing]
) -> tuple[SessionState, Changes]:
    """Replace the pending / failed messages of one interaction (from the outbox)."""
    rows = tuple(outgoing)
    if state.outgoing.get(interaction_id, ()) == rows:
        return state, Changes()
    table = {k: v for k, v in state.outgoing.items() if k != interaction_id}
    if rows:
        table[interaction_id] = rows
    return replace(state, outgoing=table), Changes(outgoing={interaction_id})


def put_outgoing(state: SessionState, row: Outgoing) -> tuple[SessionState, Changes]:
    """Add or update one outgoing message, by client_id; a reissued one (`replaces`)
    takes the place of the row it replaces."""
    rows = list(state.outgoing.get(row.interaction_id, ()))
    keys = {row.client_id, row.replaces} - {None}
    at = next((n for n, old in enumerate(rows) if old.client_id in keys), len(rows))
    kept = [old for old in rows if old.client_id not in keys]
    kept.insert(min(at, len(kept)), row)
    return set_outgoing(state, row.interaction_id, kept)


def _drop_outgoing(state: SessionState, interaction_id: str, client_id: str) -> SessionState:
    rows = tuple(o for o in state.outgoing.get(interaction_id, ()) if o.client_id != client_id)
    table = {k: v for k, v in state.outgoing.items() if k != interaction_id}
    if rows:
        table[interaction_id] = rows
    return replace(state, outgoing=table)


def drop_outgoing(state: SessionState, interaction_id: str, client_id: str) -> tuple[SessionState, Changes]:
    """A message left the pending list (delivered and shown, or discarded)."""
    if not any(o.client_id == client_id for o in state.outgoing.get(interaction_id, ())):
        return state, Changes()
    return _drop_outgoing(state, interaction_id, client_id), Changes(outgoing={interaction_id})


# --- derived views -------------------------------------------------------------------

_INF = float("inf")


def urgency_key(inter: Interaction) -> tuple[int, float, float]:
    """Offers first by time left, then active work by reply SLA, then ACW by deadline."""
    if inter.state is InteractionState.OFFERED:
        return (0, inter.offer_expires_at or _INF, inter.created_at)
    if inter.state is InteractionState.ACTIVE:
        return (1, inter.reply_due_at or _INF, inter.created_at)
    return (2, inter.acw_deadline or _INF, inter.created_at)


def urgency_order(state: SessionState) -> list[str]:
    return [i.id for i in sorted(state.interactions.values(), key=urgency_key)]


def arrival_order(state: SessionState) -> list[str]:
    """Stable tab order: by when the interaction reached the agent."""
    return [
        i.id for i in sorted(state.interactions.values(), key=lambda i: (i.offered_at or i.created_at, i.id))
    ]


def most_urgent(state: SessionState) -> str | None:
    order = urgency_order(state)
    return order[0] if order else None


def unread_count(state: SessionState, interaction_id: str) -> int:
    return state.unread.get(interaction_id, 0)


def total_unread(state: SessionState) -> int:
    return sum(state.unread.values())


def is_typing(state: SessionState, interaction_id: str, server_now: float) -> bool:
    since = state.typing.get(interaction_id)
    return since is not None and server_now - since < TYPING_TTL_S


def deadline(inter: Interaction) -> tuple[str, float] | None:
    """The countdown a tab shows: (kind, deadline) with kind offer / reply / acw."""
    if inter.state is InteractionState.OFFERED and inter.offer_expires_at:
        return ("offer", inter.offer_expires_at)
    if inter.state is InteractionState.WRAPUP and inter.acw_deadline:
        return ("acw", inter.acw_deadline)
    if inter.state is InteractionState.ACTIVE and inter.reply_due_at:
        return ("reply", inter.reply_due_at)
    return None


def customer_turns(state: SessionState, interaction_id: str) -> list[str]:
    return list(state.turns.get(interaction_id, ()))
