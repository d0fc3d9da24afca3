"""The account as an administrator's monitor sees it: pure state, no IO.

`MonitorBoard` holds the open conversations of the account, the agents with
their availability, and who is a member of which inbox and team. It turns
Chatwoot's facts into the floor's domain data (the same `Queue`, `AgentInfo`,
`Interaction`, `Stats` and events the agentdesk/1 supervisor stream gives):

- queues are the inboxes (`inbox:N`) and the teams (`team:N`), as the desk's
  `Interaction.queue_id`; a conversation with a team waits in the team;
- waiting = open and unassigned; handled by an agent = open and assigned;
- an agent is available (online, nothing in hand), busy (online with open
  conversations) or away (Chatwoot's busy), else signed out (offline);
- per queue: how many wait, the longest wait (since the conversation was
  created), and the member agents by state. Chatwoot has no service-level
  goal, ASA, handle time or abandonment: those stay None (and queues carry
  threshold 0), never zero.

Every change returns the events that tell the floor: `InteractionChanged`,
`AgentChanged` for the agents whose work or availability changed, and a
fresh `StatsChanged`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentdesk.domain.events import (
    AgentChanged,
    DeskEvent,
    InteractionChange,
    InteractionChanged,
    StatsChanged,
)
from agentdesk.domain.metrics import state_bucket
from agentdesk.domain.models import (
    AgentInfo,
    AgentStats,
    Capacity,
    Channel,
    ChannelLoad,
    Interaction,
    InteractionState,
    Presence,
    Queue,
    QueueStats,
    RoutingState,
    Stats,
)

BUCKETS = ("available", "busy", "away")  # Chatwoot has no ACW and no "not responding"


@dataclass(slots=True)
class MonitorBoard:
    queues: dict[str, Queue] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # agent id -> name
    presence: dict[str, Presence] = field(default_factory=dict)
    since: dict[str, float] = field(default_factory=dict)  # agent id -> state seen since
    members: dict[str, set[str]] = field(default_factory=dict)  # queue id -> agent ids
    open: dict[str, Interaction] = field(default_factory=dict)  # the open conversations
    handled: dict[str, int] = field(default_factory=dict)  # resolved today, per agent

    # -- loading ---------------------------------------------------------------------------

    def load(self, queues: list[Queue], agents: list[AgentInfo],
             members: dict[str, set[str]], conversations: list[Interaction],
             handled: dict[str, int], now: float) -> None:
        self.queues = {q.id: q for q in queues}
        self.names = {a.id: a.name for a in agents}
        self.presence = {a.id: a.presence for a in agents}
        self.since = {a.id: now for a in agents}
        self.members = members
        self.open = {ix.id: ix for ix in (self.monitored(c) for c in conversations)
                     if ix is not None}
        self.handled = dict(handled)

    @staticmethod
    def monitored(ix: Interaction) -> Interaction | None:
        """A conversation as the floor counts it: open + unassigned waits in its
        queue, open + assigned is the agent's work; any other status (pending
        with a bot, snoozed, resolved) is nobody's open work."""
        if ix.state is InteractionState.ACTIVE and ix.agent_id:
            return ix
        if ix.state is InteractionState.OFFERED:  # the desk's word for "unassigned"
            return ix.model_copy(update={"state": InteractionState.QUEUED, "offered_at": None})
        return None

    # -- derived ---------------------------------------------------------------------------

    def agents(self) -> list[AgentInfo]:
        return [self.agent(aid) for aid in self.names]

    def agent(self, agent_id: str) -> AgentInfo:
        presence = self.presence.get(agent_id, Presence.OFFLINE)
        loads: dict[Channel, ChannelLoad] = {}
        for ix in self.open.values():
            if ix.agent_id == agent_id:
                load = loads.setdefault(ix.channel, ChannelLoad())
                load.active += 1
        working = sum(load.active for load in loads.values())
        if presence is not Presence.AVAILABLE:
            routing = RoutingState.OFF_QUEUE
        else:
            routing = RoutingState.BUSY if working else RoutingState.IDLE
        since = self.since.get(agent_id, 0.0)
        return AgentInfo(
            id=agent_id, name=self.names.get(agent_id, agent_id), presence=presence,
            presence_since=since, routing_state=routing, routing_since=since,
            queues=sorted(q for q, ids in self.members.items() if agent_id in ids),
            # Chatwoot has no capacity units: only the count in hand per channel.
            capacity=Capacity(used=0, total=0, channels=loads),
            connected=presence is not Presence.OFFLINE)

    def interactions(self) -> list[Interaction]:
        return sorted(self.open.values(), key=lambda ix: (ix.created_at, ix.id))

    def stats(self, now: float) -> Stats:
        queues = []
        agents = {aid: self.agent(aid) for aid in self.names}
        for qid in self.queues:
            waits = [now - ix.created_at for ix in self.open.values()
                     if ix.queue_id == qid and ix.agent_id is None]
            buckets = dict.fromkeys(BUCKETS, 0)
            for aid in self.members.get(qid, ()):
                agent = agents.get(aid)
                bucket = state_bucket(agent.presence, agent.routing_state) if agent else ""
                if bucket in buckets:
                    buckets[bucket] += 1
            queues.append(QueueStats(queue_id=qid, waiting=len(waits),
                                     longest_wait_s=max([0.0, *waits]), agents=buckets))
        return Stats(at=now, queues=queues,
                     agents=[AgentStats(agent_id=aid, handled=self.handled.get(aid, 0))
                             for aid in self.names])

    # -- changes ---------------------------------------------------------------------------

    def conversation(self, ix: Interaction, now: float, *, resolved_by: str | None = None
                     ) -> list[DeskEvent]:
        """A conversation event (any status). `resolved_by`: the agent who held it
        when it was resolved (counted as handled)."""
        before = self.open.get(ix.id)
        after = self.monitored(ix)
        if before is None and after is None:
            return []
        events: list[DeskEvent] = []
        touched = {a for a in (before.agent_id if before else None,
                               after.agent_id if after else None) if a}
        if after is None:
            assert before is not None
            del self.open[ix.id]
            if resolved_by and before.agent_id == resolved_by:
                self.handled[resolved_by] = self.handled.get(resolved_by, 0) + 1
            closed = ix.model_copy(update={"state": InteractionState.CLOSED})
            events.append(InteractionChanged(InteractionChange.CLOSED, closed, now))
        else:
            if before == after:
                return []
            self.open[ix.id] = after
            if before is None:
                change = InteractionChange.UPDATED if after.agent_id is None \
                    else InteractionChange.ACCEPTED
            elif before.agent_id and before.agent_id != after.agent_id:
                change = InteractionChange.TRANSFERRED
            elif after.agent_id and not before.agent_id:
                change = InteractionChange.ACCEPTED
            else:
                change = InteractionChange.UPDATED
            events.append(InteractionChanged(change, after, now))
        for aid in sorted(touched):
            if aid in self.names:
                self.since[aid] = now
                events.append(AgentChanged(self.agent(aid), now))
        events.append(StatsChanged(self.stats(now), now))
        return events

    def presences(self, online: dict[str, Presence], now: float) -> list[DeskEvent]:
        """A `presence.update`: the users it lists are online or busy; every agent
        it leaves out is offline (Chatwoot lists only users seen recently)."""
        events: list[DeskEvent] = []
        for aid in self.names:
            presence = online.get(aid, Presence.OFFLINE)
            if self.presence.get(aid) is presence:
                continue
            self.presence[aid] = presence
            self.since[aid] = now
            events.append(AgentChanged(self.agent(aid), now))
        if events:
            events.append(StatsChanged(self.stats(now), now))
        return events
