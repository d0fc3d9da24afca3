"""The simulation engine: state, agent commands, routing and the event feed.

Everything here is synchronous and single-threaded: the app calls a command,
then `drain()` for the events it produced. Commands validate everything first
and raise a `SimError` before changing anything, so a refused command has no
effect. Time moves only through `advance_to()`, which fires due timers in order
(see `behaviour.py` for what customers and bot agents do when a timer fires).
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field

from pydantic import BaseModel

from agentdesk.domain import metrics
from agentdesk.domain.models import (
    AgentInfo,
    Attachment,
    Callback,
    CallInfo,
    CallState,
    Channel,
    Direction,
    Interaction,
    InteractionState,
    Presence,
    Role,
    Stats,
    TimelineItem,
    TimelineKind,
)
from agentdesk.mockserver.sim import contacts, routing
from agentdesk.mockserver.sim.clock import SimClock
from agentdesk.mockserver.sim.content import Topic, load_topics
from agentdesk.mockserver.sim.customers import CustomerBase
from agentdesk.mockserver.sim.errors import Conflict, Invalid, NotFound
from agentdesk.mockserver.sim.history import StatsHistoryRing
from agentdesk.mockserver.sim.report_log import ReportLog
from agentdesk.mockserver.sim.scenario import Scenario
from agentdesk.mockserver.sim.state import AgentState, InteractionMeta
from agentdesk.mockserver.sim.timers import Timers
from agentdesk.protocol.events import (
    AgentData,
    CallData,
    InteractionData,
    MessageData,
    StatsData,
    TypingData,
)

STATS_MIN_WALL_S = 0.5
OPEN_STATES = frozenset({InteractionState.QUEUED, InteractionState.OFFERED,
                         InteractionState.ACTIVE, InteractionState.WRAPUP})


@dataclass(slots=True)
class Emitted:
    """One event for the hub: data already JSON-encoded once for all recipients."""

    kind: str
    at: float
    data_json: str
    agents: tuple[str, ...]  # agent recipients (supervisors always get everything)
    everyone: bool = False


@dataclass(slots=True)
class SimOptions:
    seed: int = 7
    agents: int = 12
    bots: int | None = None  # None: every agent but agent1
    traffic: bool = True  # automatic arrivals
    autonomy: bool | None = None  # customers reply/abandon on their own; None: same as traffic
    customers: int = 240
    dispositions: tuple[str, ...] = ()
    topics: dict[str, Topic] | None = None

    @property
    def bot_count(self) -> int:
        return max(0, self.agents - 1) if self.bots is None else max(0, min(self.bots, self.agents))

    @property
    def customer_autonomy(self) -> bool:
        return self.traffic if self.autonomy is None else self.autonomy


@dataclass(slots=True)
class Changes:
    """What changed since the last persistence flush."""

    interactions: set[str] = field(default_factory=set)
    items: list[TimelineItem] = field(default_factory=list)
    outcomes: list[metrics.ContactOutcome] = field(default_factory=list)
    handled: list[metrics.HandledContact] = field(default_factory=list)
    history: list[tuple[int, str]] = field(default_factory=list)  # closed trend buckets
    callbacks: set[str] = field(default_factory=set)  # callback ids
    customers: set[str] = field(default_factory=set)  # customers whose compliance changed


def dump(model: BaseModel) -> str:
    """JSON of an event's data, encoded exactly as `encode_event` would."""
    return json.dumps(model.model_dump(mode="json"), separators=(",", ":"))


class Simulation:
    def __init__(self, options: SimOptions, scenario: Scenario, clock: SimClock) -> None:
        self.options = options
        self.scenario = scenario
        self.clock = clock
        self.now = clock.now()
        self.rng = random.Random(options.seed)
        self.topics = options.topics if options.topics is not None else load_topics()
        self.topic_ids = sorted(self.topics)
        self.anchor = self.now
        self.customers = CustomerBase(options.seed, self.anchor, self.topics, options.customers,
                                      calling_window=str(scenario.calling_window))
        self.queues = {spec.queue.id: spec.queue for spec in scenario.queues}
        self.dispositions = set(options.dispositions) | {"timeout"}
        self.agents: dict[str, AgentState] = {}
        self.interactions: dict[str, Interaction] = {}
        self.meta: dict[str, InteractionMeta] = {}
        self.open_ids: set[str] = set()
        self.items: dict[str, list[TimelineItem]] = {}  # live items per customer
        self.timers = Timers()
        self.outcomes: list[metrics.ContactOutcome] = []
        self.handled: list[metrics.HandledContact] = []
        self.offered_count: dict[str, int] = {q: 0 for q in self.queues}
        self.offered_by_channel: dict[str, dict[str, int]] = {}  # queue -> channel -> n
        self.history = StatsHistoryRing()
        self.report_log = ReportLog()  # arrivals, transfers, presence: interval reports
        self.counters = {"ix": 1000, "item": 0, "cb": 0}
        self.callbacks: dict[str, Callback] = {}
        self.last_stats_at = 0.0
        self._last_stats_wall = 0.0
        self.events: list[Emitted] = []
        self.changes = Changes()
        self._touched: set[str] = set()
        self._agent_json: dict[str, str] = {}
        self._make_agents()
        # Imported here: behaviour needs the engine class for type hints only.
        from agentdesk.mockserver.sim import behaviour
        self.behaviour = behaviour.Behaviour(self)
        self.behaviour.start()
        self.settle()

    # -- set-up ---------------------------------------------------------------------

    def _make_agents(self) -> None:
        n, bots = self.options.agents, self.options.bot_count
        queue_ids = list(self.queues)
        for i in range(1, n + 1):
            is_bot = i > n - bots
            if not is_bot or len(queue_ids) <= 2:
                queues = list(queue_ids)
            else:
                # Bots specialise a little: everyone takes the first queue and email,
                # the others in turns, so every queue has people and skills differ.
                queues = [q for k, q in enumerate(queue_ids)
                          if k == 0 or q == "email" or (i + k) % 2 == 0]
            agent = AgentState(id=f"agent{i}", name=f"Agent {i}", index=i, queues=queues,
                               bot=is_bot, presence_since=self.now, routing_since=self.now,
                               last_free_at=self.now, capacity=self.scenario.capacity)
            agent.acct_since = self.now
            if is_bot:
                agent.presence = Presence.AVAILABLE
            self.agents[agent.id] = agent
        self._touched.update(self.agents)

    # -- small helpers ----------------------------------------------------------------

    def _count_offered(self, queue_id: str, channel: Channel) -> None:
        self.report_log.arrival(self.now, queue_id, channel)
        self.offered_count[queue_id] = self.offered_count.get(queue_id, 0) + 1
        by_channel = self.offered_by_channel.setdefault(queue_id, {})
        by_channel[channel.value] = by_channel.get(channel.value, 0) + 1

    def _next_id(self, kind: str, prefix: str, width: int) -> str:
        self.counters[kind] += 1
        return f"{prefix}{self.counters[kind]:0{width}d}"

    def emit(self, kind: str, data: BaseModel, agents: tuple[str, ...] | list[str] = (),
             everyone: bool = False) -> None:
        recipients = tuple(dict.fromkeys(a for a in agents if a))
        self.events.append(Emitted(kind, self.now, dump(data), recipients, everyone))

    def drain(self) -> list[Emitted]:
        out, self.events = self.events, []
        return out

    def ix(self, interaction_id: str) -> Interaction:
        ix = self.interactions.get(interaction_id)
        if ix is None:
            raise NotFound(f"no interaction {interaction_id!r}")
        return ix

    def agent(self, agent_id: str) -> AgentState:
        agent = self.agents.get(agent_id)
        if agent is None:
            raise NotFound(f"no agent {agent_id!r}")
        return agent

    def changed(self, ix: Interaction) -> None:
        self.changes.interactions.add(ix.id)
        if ix.agent_id:
            self._touched.add(ix.agent_id)

    def emit_ix(self, kind: str, ix: Interaction, reason: str | None = None,
                also: tuple[str | None, ...] = ()) -> None:
        self.changed(ix)
        if kind == "interaction.transferred":
            self.report_log.transfer(self.now, ix.queue_id, ix.channel)
        extra = tuple(a for a in also if a)
        self.emit(kind, InteractionData(interaction=ix, reason=reason), (ix.agent_id or "",) + extra)

    def add_item(self, ix: Interaction, kind: TimelineKind, direction: Direction, author: str,
                 body: str, *, subject: str | None = None, cc: list[str] | None = None,
                 client_id: str | None = None, speaker: str | None = None,
                 attachments: list[Attachment] | None = None) -> TimelineItem:
        item = TimelineItem(
            id=self._next_id("item", "it-", 6), customer_id=ix.customer_id,
            interaction_id=ix.id, channel=ix.channel, kind=kind, direction=direction,
            author=author, body=body, subject=subject, cc=cc or [], at=self.now,
            client_id=client_id, speaker=speaker, attachments=attachments or [])
        self.items.setdefault(ix.customer_id, []).append(item)
        self.changes.items.append(item)
        watcher = ix.agent_id if ix.state in routing.HOLDING_STATES else None
        event = "transcript.segment" if kind is TimelineKind.TRANSCRIPT else "message.created"
        self.emit(event, MessageData(item=item), (watcher or "",))
        return item

    def system_item(self, ix: Interaction, body: str, kind: TimelineKind = TimelineKind.SYSTEM
                    ) -> None:
        self.add_item(ix, kind, Direction.INTERNAL, "system", body)

    def schedule(self, kind: str, key: str, delay: float) -> None:
        self.timers.schedule(kind, key, self.now + max(0.0, delay))

    def uniform(self, rng: tuple[float, float]) -> float:
        return self.rng.uniform(*rng)

    def consults(self) -> list[tuple[str, Channel]]:
        """(target agent, channel) of every warm-transfer consult ringing now."""
        return [(m.consult_agent, self.interactions[i].channel)
                for i in sorted(self.open_ids) if (m := self.meta[i]).consult_agent]

    def work_of(self, agent_id: str) -> list[Interaction]:
        # Sorted: set order depends on the hash seed and must not leak into a seeded run.
        return [ix for i in sorted(self.open_ids)
                if (ix := self.interactions[i]).agent_id == agent_id]

    # -- agents -----------------------------------------------------------------------

    def agent_info(self, agent: AgentState) -> AgentInfo:
        active = routing.active_by_channel(agent.id, self.work_of(agent.id),
                                           [c for c in self.consults() if c[0] == agent.id])
        return AgentInfo(
            id=agent.id, name=agent.name, role=Role.AGENT, presence=agent.presence,
            presence_since=agent.presence_since, next_presence=agent.next_presence,
            routing_state=agent.routing_state, routing_since=agent.routing_since,
            queues=list(agent.queues), capacity=routing.capacity_of(agent, active),
            connected=agent.bot or agent.connections > 0)

    def set_connected(self, agent_id: str, delta: int) -> None:
        agent = self.agents.get(agent_id)
        if agent:
            agent.connections = max(0, agent.connections + delta)
            self._touched.add(agent_id)

    def _account(self, agent: AgentState, has_work: bool) -> None:
        """Add the time since the last change to handling or idle-available time."""
        elapsed = max(0.0, self.now - agent.acct_since)
        if agent.acct_kind == "handling":
            agent.handling_s += elapsed
        elif agent.acct_kind == "idle":
            agent.idle_s += elapsed
        agent.acct_since = self.now
        if has_work:
            agent.acct_kind = "handling"
        elif agent.presence is Presence.AVAILABLE and not agent.not_responding:
            agent.acct_kind = "idle"
        else:
            agent.acct_kind = ""

    def _refresh_agent(self, agent: AgentState) -> None:
        work = self.work_of(agent.id)
        consulted = any(c[0] == agent.id for c in self.consults())
        if agent.next_presence is not None and not work and not consulted:
            self.report_log.presence(agent.id, agent.presence.value, agent.presence_since,
                                     self.now)
            agent.presence, agent.next_presence = agent.next_presence, None
            agent.presence_since = self.now
        has_work = any(ix.state in (InteractionState.ACTIVE, InteractionState.WRAPUP)
                       for ix in work)
        was_free = agent.acct_kind != "handling"
        self._account(agent, has_work)
        if not has_work and not was_free:
            agent.last_free_at = self.now
        state = routing.derive_routing_state(agent, work, consulted)
        if state is not agent.routing_state:
            agent.routing_state, agent.routing_since = state, self.now
        info = self.agent_info(agent)
        text = dump(info)
        if self._agent_json.get(agent.id) != text:
            self._agent_json[agent.id] = text
            self.emit("agent.updated", AgentData(agent=info), (agent.id,))

    def settle(self) -> None:
        """Bring agents up to date and route until nothing changes."""
        for _ in range(50):
            touched, self._touched = self._touched, set()
            for agent_id in sorted(touched):
                self._refresh_agent(self.agents[agent_id])
            if not self._route() and not self._touched:
                break

    # -- routing ------------------------------------------------------------------------

    def _route(self) -> bool:
        queued = sorted((self.interactions[i] for i in self.open_ids
                         if self.interactions[i].state is InteractionState.QUEUED),
                        key=lambda ix: (self.meta[ix.id].queued_at, ix.id))
        if not queued:
            return False
        load: dict[str, dict[Channel, int]] = {a: {} for a in self.agents}
        for i in self.open_ids:
            ix = self.interactions[i]
            if ix.agent_id and ix.state in routing.HOLDING_STATES:
                load[ix.agent_id][ix.channel] = load[ix.agent_id].get(ix.channel, 0) + 1
        for target, channel in self.consults():
            load[target][channel] = load[target].get(channel, 0) + 1
        # A person gets one ringing offer at a time (routing.pick_agent).
        ringing = {ix.agent_id for i in self.open_ids
                   if (ix := self.interactions[i]).state is InteractionState.OFFERED and ix.agent_id}
        ringing.update(target for target, _ in self.consults())
        offered = False
        # (queue, channel) that nobody can take in this pass: load only grows during
        # a pass, so later contacts of the same kind are skipped, not re-tried
        # against every agent (the cost would grow with the queue).
        full: set[tuple[str, Channel]] = set()
        for ix in queued:
            kind = (ix.queue_id, ix.channel)
            if kind in full:
                continue
            meta = self.meta[ix.id]
            agent = routing.pick_agent(ix, meta, self.agents.values(), load, ringing, self.now,
                                       pace_humans=self.options.traffic)
            if agent is None:
                # with exclusions or a reservation, "nobody" says less
                if not meta.declined_by and not meta.for_agent:
                    full.add(kind)
                continue
            self.offer(ix, agent)
            load[agent.id][ix.channel] = load[agent.id].get(ix.channel, 0) + 1
            ringing.add(agent.id)
            offered = True
        return offered

    def offer(self, ix: Interaction, agent: AgentState) -> None:
        ix.state = InteractionState.OFFERED
        ix.agent_id = agent.id
        ix.offered_at = self.now
        ix.offer_expires_at = self.now + self.scenario.offer_timeout_s
        self.timers.schedule("offer_timeout", ix.id, ix.offer_expires_at)
        self.emit_ix("interaction.offered", ix)
        self.behaviour.on_offered(ix, agent)

    def requeue(self, ix: Interaction, queue_id: str | None = None, *, fresh: bool = False) -> None:
        """Put an interaction back in a queue (reject, miss, transfer)."""
        if ix.agent_id:
            self._touched.add(ix.agent_id)  # the agent it leaves must be refreshed too
        ix.state = InteractionState.QUEUED
        ix.agent_id = None
        ix.offered_at = ix.offer_expires_at = None
        self.timers.cancel("offer_timeout", ix.id)
        if queue_id and queue_id != ix.queue_id:
            ix.queue_id = queue_id
            fresh = True
        if fresh:
            self.meta[ix.id].queued_at = self.now
            self._count_offered(ix.queue_id, ix.channel)
        if ix.call:
            ix.call.state = CallState.RINGING
            ix.call.muted = False
        self.changed(ix)

    # -- contacts (also the /sim control surface) ------------------------------------------

    def new_contact(self, channel: Channel, *, customer_id: str | None = None,
                    topic: str | None = None, text: str | None = None,
                    subject: str | None = None, queue_id: str | None = None) -> Interaction:
        if customer_id is not None and customer_id not in self.customers.customers:
            raise NotFound(f"no customer {customer_id!r}")
        if topic is not None and topic not in self.topics:
            raise NotFound(f"no topic {topic!r}")
        if queue_id is not None and queue_id not in self.queues:
            raise NotFound(f"no queue {queue_id!r}")
        cid = customer_id or self.rng.choice(self.customers.ids())
        slug = topic or (self.rng.choice(self.topic_ids) if self.topic_ids else None)
        spec = self.topics.get(slug) if slug else None
        queue = queue_id or self.scenario.queue_for(spec.skill if spec else "tech", channel)
        if channel is Channel.EMAIL and subject is None:
            subject = self.rng.choice(spec.subjects) if spec else "Question"
        customer = self.customers.customers[cid]
        ix = Interaction(
            id=self._next_id("ix", "in-", 4), channel=channel, customer_id=cid,
            customer_name=customer.name, queue_id=queue, state=InteractionState.QUEUED,
            subject=subject if channel is Channel.EMAIL else None, topic=slug,
            created_at=self.now,
            call=CallInfo(state=CallState.RINGING, disclosure="pending")
            if channel is Channel.VOICE else None)
        meta = InteractionMeta(queued_at=self.now,
                               followups_left=len(spec.followups) if spec else 0)
        self.interactions[ix.id] = ix
        self.meta[ix.id] = meta
        self.open_ids.add(ix.id)
        self._count_offered(queue, channel)
        self.changed(ix)
        from agentdesk.mockserver.sim import self_service
        ix.self_service = self_service.for_contact(ix, spec)
        if ix.self_service is not None:
            self.system_item(ix, self_service.timeline_text(ix.self_service))
        if channel is Channel.VOICE:
            self.system_item(ix, f"Incoming call from {customer.phone}", TimelineKind.CALL)
        else:
            body = text or (self.rng.choice(spec.openers) if spec else "Hello?")
            contacts.customer_says(self, ix, body)
        self.emit_ix("interaction.updated", ix)
        self.behaviour.on_new_contact(ix)
        self.settle()
        return ix

    def customer_message(self, interaction_id: str, text: str,
                         attachments: list[Attachment] | None = None) -> TimelineItem:
        ix = self.ix(interaction_id)
        if ix.state not in (InteractionState.QUEUED, InteractionState.OFFERED,
                            InteractionState.ACTIVE):
            raise Conflict(f"interaction is {ix.state.value}: the customer has left")
        if ix.channel is Channel.VOICE:
            raise Conflict("customers speak on calls; use the transcript")
        self.emit("customer.typing", TypingData(interaction_id=ix.id, typing=False),
                  (ix.agent_id or "",))
        contacts.customer_says(self, ix, text, attachments)
        item = self.items[ix.customer_id][-1]
        self.emit_ix("interaction.updated", ix)
        self.behaviour.on_customer_message(ix)
        self.settle()
        return item

    def customer_end(self, interaction_id: str, reason: str = "customer_left") -> Interaction:
        """The customer hangs up or leaves."""
        ix = self.ix(interaction_id)
        if ix.state in (InteractionState.QUEUED, InteractionState.OFFERED):
            contacts.abandon(self, ix)
        elif ix.state is InteractionState.ACTIVE:
            contacts.end_contact(self, ix, reason)
        else:
            raise Conflict(f"interaction is already {ix.state.value}")
        self.settle()
        return ix

    # -- agent commands ------------------------------------------------------------------

    def _mine(self, agent_id: str, interaction_id: str,
              states: frozenset[InteractionState] | tuple[InteractionState, ...]) -> Interaction:
        ix = self.ix(interaction_id)
        if ix.agent_id != agent_id:
            raise Conflict("this interaction is not assigned to you")
        if ix.state not in states:
            raise Conflict(f"not possible while the interaction is {ix.state.value}")
        return ix

    def set_presence(self, agent_id: str, presence: Presence, next_presence: Presence | None
                     ) -> AgentInfo:
        agent = self.agent(agent_id)
        if presence != agent.presence:
            self.report_log.presence(agent.id, agent.presence.value, agent.presence_since,
                                     self.now)
            agent.presence, agent.presence_since = presence, self.now
            if presence is Presence.AVAILABLE:
                agent.last_free_at = self.now
        if presence is Presence.AVAILABLE and agent.not_responding:
            agent.not_responding = False
            agent.last_free_at = self.now
        agent.next_presence = next_presence if next_presence != presence else None
        self._touched.add(agent_id)
        self.behaviour.on_presence(agent)
        self.settle()
        return self.agent_info(agent)

    def accept(self, agent_id: str, interaction_id: str) -> Interaction:
        ix = self.ix(interaction_id)
        meta = self.meta[ix.id]
        if meta.consult_agent == agent_id and ix.state is InteractionState.ACTIVE:
            from agentdesk.mockserver.sim.calls import answer_consult
            view = answer_consult(self, ix, agent_id)  # then the transferring agent decides
            self.settle()
            return view
        ix = self._mine(agent_id, interaction_id, (InteractionState.OFFERED,))
        if ix.callback_id:
            return self._accept_callback(ix)
        self.timers.cancel("offer_timeout", ix.id)
        self.timers.cancel("abandon", ix.id)
        ix.state = InteractionState.ACTIVE
        ix.accepted_at = self.now
        ix.offer_expires_at = None
        outcome = metrics.ContactOutcome(ix.queue_id, self.now - meta.queued_at, True,
                                         ix.channel, self.now)
        self.outcomes.append(outcome)
        self.changes.outcomes.append(outcome)
        self.emit_ix("interaction.accepted", ix)
        self.system_item(ix, f"Accepted by {self.agents[agent_id].name}")
        if ix.call:
            ix.call.state = CallState.CONNECTED
            ix.call.connected_at = ix.call.connected_at or self.now
            self.emit("call.updated", CallData(interaction_id=ix.id, call=ix.call), (agent_id,))
            self.system_item(ix, f"Call connected to {self.agents[agent_id].name}",
                             TimelineKind.CALL)
            from agentdesk.mockserver.sim import disclosure
            disclosure.on_connected(self, ix)
        self.behaviour.on_accepted(ix)
        self.settle()
        return ix

    def _accept_callback(self, ix: Interaction) -> Interaction:
        """A due callback accepted: no queue metrics (nobody waited on the line); it
        dials now, or is refused by a calling rule (the offer is withdrawn)."""
        from agentdesk.mockserver.sim import callbacks
        from agentdesk.mockserver.sim.errors import Refused
        self.timers.cancel("offer_timeout", ix.id)
        try:
            callbacks.on_accept(self, ix)
        except Refused:
            self.settle()
            raise
        ix.state = InteractionState.ACTIVE
        ix.accepted_at = self.now
        ix.offer_expires_at = None
        self.emit_ix("interaction.accepted", ix, "callback")
        self.settle()
        return ix

    # -- outbound calls and callbacks (sim/outbound.py, sim/callbacks.py) ------------------

    def dial(self, agent_id: str, customer_id: str) -> Interaction:
        from agentdesk.mockserver.sim import outbound
        ix = outbound.dial(self, agent_id, customer_id)
        self.settle()
        return ix

    def schedule_callback(self, agent_id: str, customer_id: str, at: float, note: str,
                          queue_id: str | None, target_agent: str | None) -> Callback:
        from agentdesk.mockserver.sim import callbacks
        cb = callbacks.schedule(self, agent_id, customer_id, at, note, queue_id, target_agent)
        self.settle()
        return cb

    def disclosure(self, agent_id: str, interaction_id: str, action: str) -> Interaction:
        ix = self.ix(interaction_id)
        if ix.call is None:
            raise Conflict(f"recording disclosure is for calls; this is {ix.channel.value}")
        ix = self._mine(agent_id, interaction_id, (InteractionState.ACTIVE,))
        from agentdesk.mockserver.sim import disclosure
        disclosure.apply(self, ix, action)
        self.settle()
        return ix

    def set_compliance(self, customer_id: str, dnc: bool | None,
                       consent: dict[str, bool] | None) -> None:
        """/sim: a customer joins or leaves the do-not-call list, or changes consent."""
        from agentdesk.mockserver.sim import outbound
        customer = outbound.customer_of(self, customer_id)
        update: dict[str, object] = {}
        if dnc is not None:
            update["dnc"] = dnc
        if consent:
            update["consent"] = customer.consent.model_copy(update=consent)
        self.customers.customers[customer_id] = customer.model_copy(update=update)
        self.changes.customers.add(customer_id)

    def reject(self, agent_id: str, interaction_id: str, reason: str | None = None) -> Interaction:
        ix = self.ix(interaction_id)
        meta = self.meta[ix.id]
        if meta.consult_agent == agent_id:
            self.cancel_consult(ix, "rejected")
            self.settle()
            return ix
        ix = self._mine(agent_id, interaction_id, (InteractionState.OFFERED,))
        meta.declined_by.append(agent_id)
        if reason:
            meta.reject_reasons[agent_id] = reason  # kept with the interaction (and persisted)
        self.requeue(ix)
        self.emit_ix("interaction.rejected", ix, "rejected", also=(agent_id,))
        if ix.callback_id:
            from agentdesk.mockserver.sim import callbacks
            callbacks.missed(self, ix, "rejected")
        self.settle()
        return ix

    def mark_read(self, agent_id: str, interaction_id: str) -> Interaction:
        ix = self._mine(agent_id, interaction_id, tuple(routing.HOLDING_STATES))
        if ix.unread:
            ix.unread = 0
            self.emit_ix("interaction.updated", ix)
        return ix

    def post_message(self, agent_id: str, interaction_id: str, kind: str, body: str,
                     subject: str | None, cc: list[str], client_id: str | None) -> TimelineItem:
        ix = self.ix(interaction_id)
        if kind == "note":
            ix = self._mine(agent_id, interaction_id,
                            (InteractionState.ACTIVE, InteractionState.WRAPUP))
            return self.add_item(ix, TimelineKind.NOTE, Direction.INTERNAL,
                                 self.agents[agent_id].name, body, client_id=client_id)
        ix = self._mine(agent_id, interaction_id, (InteractionState.ACTIVE,))
        if ix.channel is Channel.VOICE:
            raise Conflict("a call has no written replies; add a note instead")
        if ix.channel is not Channel.EMAIL and (subject or cc):
            raise Conflict("subject and cc are for email only")
        if ix.channel is Channel.EMAIL and subject is None:
            base = ix.subject or ""
            subject = base if base.lower().startswith("re:") else f"Re: {base}".strip()
        item = self.add_item(ix, TimelineKind.MESSAGE, Direction.OUTBOUND,
                             self.agents[agent_id].name, body, subject=subject, cc=cc,
                             client_id=client_id)
        self.meta[ix.id].awaiting_reply = False
        if ix.reply_due_at is not None or ix.unread:
            ix.reply_due_at = None
            ix.unread = 0
            self.emit_ix("interaction.updated", ix)
        self.changed(ix)
        self.behaviour.on_agent_reply(ix)
        self.settle()
        return item

    def call_action(self, agent_id: str, interaction_id: str, action: str,
                    digits: str | None) -> Interaction:
        ix = self.ix(interaction_id)
        if ix.call is None:
            raise Conflict(f"{action} needs a voice call; this is {ix.channel.value}")
        ix = self._mine(agent_id, interaction_id, (InteractionState.ACTIVE,))
        from agentdesk.mockserver.sim.calls import apply_call_action
        apply_call_action(self, ix, action, digits)
        self.settle()
        return ix

    def wrapup(self, agent_id: str, interaction_id: str, disposition: str,
               notes: str | None) -> Interaction:
        if disposition not in self.dispositions:
            raise Invalid(f"unknown disposition {disposition!r}")
        ix = self._mine(agent_id, interaction_id,
                        (InteractionState.ACTIVE, InteractionState.WRAPUP))
        if ix.state is InteractionState.ACTIVE:
            if ix.call is not None:
                raise Conflict("hang up the call before wrapping it up")
            contacts.end_contact(self, ix, "agent_closed")
        contacts.close_contact(self, ix, disposition, notes, by=agent_id)
        self.settle()
        return ix

    def transfer(self, agent_id: str, interaction_id: str, *, queue_id: str | None,
                 target_agent: str | None, warm: bool) -> Interaction:
        ix = self.ix(interaction_id)
        if queue_id is not None and queue_id not in self.queues:
            raise NotFound(f"no queue {queue_id!r}")
        if target_agent is not None and target_agent not in self.agents:
            raise NotFound(f"no agent {target_agent!r}")
        ix = self._mine(agent_id, interaction_id, (InteractionState.ACTIVE,))
        meta = self.meta[ix.id]
        if meta.consult_agent:
            raise Conflict("a consult transfer is already in progress")
        if target_agent == agent_id:
            raise Conflict("cannot transfer to yourself")
        from agentdesk.mockserver.sim.calls import blind_transfer, start_consult
        if warm:
            start_consult(self, ix, agent_id, queue_id, target_agent)
        else:
            blind_transfer(self, ix, agent_id, queue_id, target_agent)
        self.settle()
        return ix

    def _complete_consult(self, ix: Interaction, target: str) -> Interaction:
        from agentdesk.mockserver.sim.calls import complete_consult
        complete_consult(self, ix, target)
        self.settle()
        return ix

    def cancel_consult(self, ix: Interaction, why: str | None = None) -> None:
        meta = self.meta[ix.id]
        target = meta.consult_agent
        if not target:
            return
        meta.consult_agent = meta.consult_expires_at = None
        self.timers.cancel("consult_timeout", ix.id)
        if ix.call:
            ix.call.consult_agent_id = ix.call.consult_state = None
        self._touched.add(target)
        if why:
            kind = "interaction.missed" if why == "timeout" else "interaction.rejected"
            self.emit(kind, InteractionData(interaction=ix, reason=f"consult_{why}"), (target,))
            if why == "timeout":
                self.agents[target].missed += 1
            self.emit_ix("interaction.updated", ix, f"consult_{why}")

    # -- time ----------------------------------------------------------------------------

    def advance_to(self, t: float) -> None:
        """Fire every timer due up to `t` in order, then set the time to `t`."""
        while (entry := self.timers.pop_due(t)) is not None:
            due, kind, key = entry
            self.now = max(self.now, due)
            self.behaviour.fire(kind, key)
            self.settle()
        self.now = max(self.now, t)
        self.settle()
        if self.now - self.last_stats_at >= self.scenario.stats_every_s and self._stats_wall_ok():
            self.emit_stats()

    def _stats_wall_ok(self) -> bool:
        """A fast real clock must not flood sockets with stats: at most 2 per wall second.
        (A manual clock emits on every advance that crosses the period: deterministic.)"""
        if self.clock.manual:
            return True
        wall = time.monotonic()
        if wall - self._last_stats_wall < STATS_MIN_WALL_S:
            return False
        self._last_stats_wall = wall
        return True

    def emit_stats(self) -> None:
        self.last_stats_at = self.now
        stats = self.stats()
        self.changes.history.extend(self.history.observe(stats))
        self.emit("stats.updated", StatsData(stats=stats), everyone=True)

    # -- read models (sim/views.py) -------------------------------------------------------

    def stats(self) -> Stats:
        from agentdesk.mockserver.sim.views import compute_stats
        return compute_stats(self)
