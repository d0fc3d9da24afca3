"""What happens on its own: arrivals, customers (typing, replies, patience,
hanging up), the live call transcript, bot agents, and the system deadlines
(offer timeout, ACW limit, consult timeout).

The engine calls the `on_*` hooks when something happens and `fire()` when a
timer is due. Human-controlled agents are never acted for: only their
deadlines (offer timeout, ACW limit) apply. Customer autonomy (follow-ups,
abandoning, leaving) is on with traffic and off in scripted runs
(`--no-traffic`), where the test or trainer speaks for the customer via /sim.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from agentdesk.domain.models import (
    CallState,
    Channel,
    Direction,
    Interaction,
    InteractionState,
    Presence,
    TimelineKind,
)
from agentdesk.mockserver.sim import contacts
from agentdesk.mockserver.sim.content import call_script, written_replies
from agentdesk.protocol.events import TypingData

# A newcomer's first minutes on the demo floor: one contact of every channel,
# the call first (a call needs the whole capacity, so it comes while the agent
# is still idle), each kept for them for WARMUP_HOLD_S before anyone may take it.
WARMUP = ((Channel.VOICE, 15.0), (Channel.CHAT, 75.0), (Channel.SMS, 120.0),
          (Channel.EMAIL, 165.0), (Channel.SOCIAL, 210.0))
WARMUP_HOLD_S = 90.0

NUDGES = ("Hello? Is anyone there?", "Any update on this, please?",
          "I'm still waiting for an answer...")
MAX_NUDGES = 2

if TYPE_CHECKING:
    from agentdesk.mockserver.sim.engine import Simulation
    from agentdesk.mockserver.sim.state import AgentState


class Behaviour:
    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._warmed: set[str] = set()
        self._reserve_for: str | None = None

    # -- start-up -----------------------------------------------------------------

    def start(self) -> None:
        sim = self.sim
        if sim.options.traffic:
            for channel in Channel:
                self._schedule_arrival(channel)
        for agent in sim.agents.values():
            if agent.bot:
                sim.schedule("bot_break", agent.id, sim.uniform(sim.scenario.bot_break_every_s))

    def _schedule_arrival(self, channel: Channel) -> None:
        sc = self.sim.scenario
        rate = sc.arrivals_per_h.get(channel, 0.0)
        if sc.arrivals_scale_with_agents:
            rate *= max(1, self.sim.options.agents) / sc.REFERENCE_AGENTS
        if rate > 0:
            gap = -math.log(1.0 - self.sim.rng.random()) * 3600.0 / rate
            self.sim.schedule("arrival", channel.value, gap)

    # -- helpers --------------------------------------------------------------------

    @property
    def autonomy(self) -> bool:
        return self.sim.options.customer_autonomy

    def _is_bot(self, agent_id: str | None) -> bool:
        agent = self.sim.agents.get(agent_id or "")
        return bool(agent and agent.bot)

    def _script(self, ix: Interaction) -> tuple[tuple[str, str], ...]:
        """The call's spoken lines in order (agent first), in the voice of the agent
        on the call."""
        agent = self.sim.agents.get(ix.agent_id or "")
        return call_script(self.sim.topics.get(ix.topic or ""), agent.name if agent else None)

    def schedule_transcript(self, ix: Interaction) -> None:
        self.sim.schedule("transcript", ix.id, self.sim.scenario.segment_every_s)

    # -- hooks from the engine --------------------------------------------------------------

    def on_new_contact(self, ix: Interaction) -> None:
        if self._reserve_for is not None:
            meta = self.sim.meta[ix.id]
            meta.for_agent, meta.for_agent_until = self._reserve_for, self.sim.now + WARMUP_HOLD_S
        if self.autonomy:
            patience = self.sim.scenario.patience_s.get(ix.channel, (120.0, 600.0))
            self.sim.schedule("abandon", ix.id, self.sim.uniform(patience))
            self._nudge_later(ix)

    def on_presence(self, agent: AgentState) -> None:
        """A person going Available for the first time on a live floor gets the
        warm-up: every channel and a call within five minutes (`WARMUP`)."""
        sim = self.sim
        if (agent.bot or agent.presence is not Presence.AVAILABLE or agent.id in self._warmed
                or not sim.options.traffic or not self.autonomy):
            return
        self._warmed.add(agent.id)
        if agent.handling_s > 0 or agent.missed:  # not new: worked here before a restart
            return
        for channel, after in WARMUP:
            sim.schedule("warmup", f"{agent.id}|{channel.value}", after)

    def _on_warmup(self, key: str) -> None:
        agent_id, channel = key.split("|", 1)
        agent = self.sim.agents.get(agent_id)
        if agent is None or agent.presence is not Presence.AVAILABLE:
            return
        self._reserve_for = agent_id  # applied in on_new_contact, before routing runs
        try:
            self.sim.new_contact(Channel(channel))
        finally:
            self._reserve_for = None

    def _nudge_later(self, ix: Interaction) -> None:
        """An impatient customer writes again once the reply is overdue."""
        sla = self.sim.scenario.reply_sla_s.get(ix.channel)
        if not self.autonomy or sla is None or ix.reply_due_at is None:
            return
        if self.sim.meta[ix.id].nudges >= MAX_NUDGES:
            return
        due = max(ix.reply_due_at, self.sim.now + sla) + 5.0
        self.sim.timers.schedule("nudge", ix.id, due)

    def on_offered(self, ix: Interaction, agent: AgentState) -> None:
        if agent.bot:
            self.sim.schedule("bot_accept", ix.id, self.sim.uniform(
                self.sim.scenario.bot_accept_delay_s))

    def on_consult(self, ix: Interaction, target: str) -> None:
        if self._is_bot(target):
            self.sim.schedule("bot_accept_consult", ix.id,
                              self.sim.uniform(self.sim.scenario.bot_accept_delay_s))

    def on_accepted(self, ix: Interaction) -> None:
        if ix.call is not None:
            self.schedule_transcript(ix)
        elif self._is_bot(ix.agent_id) and self.sim.meta[ix.id].awaiting_reply:
            self._bot_reply_soon(ix)

    def on_customer_message(self, ix: Interaction) -> None:
        if ix.state is InteractionState.ACTIVE and self._is_bot(ix.agent_id):
            self._bot_reply_soon(ix)
        self.sim.timers.cancel("customer_leave", ix.id)
        self._nudge_later(ix)

    def on_agent_reply(self, ix: Interaction) -> None:
        sim, meta = self.sim, self.sim.meta[ix.id]
        sim.timers.cancel("nudge", ix.id)
        if self.autonomy:
            if meta.followups_left > 0:
                delay = sim.rng.uniform(8.0, 30.0) if ix.channel is not Channel.EMAIL \
                    else sim.rng.uniform(600.0, 3600.0)
                sim.schedule("followup", ix.id, delay)
                sim.schedule("typing", ix.id, max(0.0, delay - 3.0))
            else:
                sim.schedule("customer_leave", ix.id, sim.rng.uniform(20.0, 90.0))
        elif self._is_bot(ix.agent_id):
            # Scripted runs: nobody answers for the customer, so a bot closes after replying.
            sim.schedule("bot_wrapup", ix.id, sim.uniform(sim.scenario.bot_wrapup_delay_s))

    def on_ended(self, ix: Interaction) -> None:
        for kind in ("followup", "typing", "customer_leave", "bot_reply", "customer_hangup",
                     "nudge"):
            self.sim.timers.cancel(kind, ix.id)
        if self._is_bot(ix.agent_id):
            self.sim.schedule("bot_wrapup", ix.id,
                              self.sim.uniform(self.sim.scenario.bot_wrapup_delay_s))

    def _bot_reply_soon(self, ix: Interaction) -> None:
        if not self.sim.timers.pending("bot_reply", ix.id):
            self.sim.schedule("bot_reply", ix.id,
                              self.sim.uniform(self.sim.scenario.bot_reply_delay_s))

    # -- timers ------------------------------------------------------------------------------

    def fire(self, kind: str, key: str) -> None:
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(key)

    def _open(self, key: str, *states: InteractionState) -> Interaction | None:
        ix = self.sim.interactions.get(key)
        if ix is None or ix.state not in states:
            return None
        return ix

    def _on_arrival(self, key: str) -> None:
        channel = Channel(key)
        self._schedule_arrival(channel)
        self.sim.new_contact(channel)

    def _on_offer_timeout(self, key: str) -> None:
        sim = self.sim
        ix = self._open(key, InteractionState.OFFERED)
        if ix is None or ix.offer_expires_at is None or ix.offer_expires_at > sim.now:
            return
        agent = sim.agents[ix.agent_id or ""]
        agent.not_responding = True
        agent.missed += 1
        sim.requeue(ix)
        sim.meta[ix.id].declined_by.append(agent.id)
        sim.emit_ix("interaction.missed", ix, "timeout", also=(agent.id,))
        sim._touched.add(agent.id)
        if ix.callback_id:
            from agentdesk.mockserver.sim import callbacks
            callbacks.missed(sim, ix, "missed")
        if agent.bot:  # a bot re-arms itself a little later
            sim.schedule("bot_back", agent.id, 30.0)

    def _on_dial_ring(self, key: str) -> None:
        from agentdesk.mockserver.sim import outbound
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None:
            outbound.on_ring(self.sim, ix)

    def _on_dial_outcome(self, key: str) -> None:
        from agentdesk.mockserver.sim import outbound
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None:
            outbound.on_outcome(self.sim, ix)

    def _on_disclosure_overdue(self, key: str) -> None:
        from agentdesk.mockserver.sim import disclosure
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None:
            disclosure.on_overdue(self.sim, ix)

    def _on_bot_disclosure(self, key: str) -> None:
        from agentdesk.mockserver.sim import disclosure
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None:
            disclosure.on_bot_confirm(self.sim, ix)

    def _on_callback_due(self, key: str) -> None:
        from agentdesk.mockserver.sim import callbacks
        callbacks.on_due(self.sim, key)

    def _on_callback_release(self, key: str) -> None:
        from agentdesk.mockserver.sim import callbacks
        callbacks.on_release(self.sim, key)

    def _on_consult_timeout(self, key: str) -> None:
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None and self.sim.meta[ix.id].consult_agent:
            self.sim.cancel_consult(ix, "timeout")

    def _on_acw(self, key: str) -> None:
        ix = self._open(key, InteractionState.WRAPUP)
        if ix is not None:
            contacts.close_contact(self.sim, ix, "timeout")

    def _on_abandon(self, key: str) -> None:
        ix = self._open(key, InteractionState.QUEUED, InteractionState.OFFERED)
        if ix is not None:
            contacts.abandon(self.sim, ix)

    def _on_typing(self, key: str) -> None:
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None:
            self.sim.emit("customer.typing", TypingData(interaction_id=ix.id, typing=True),
                          (ix.agent_id or "",))

    def _on_followup(self, key: str) -> None:
        sim = self.sim
        ix = self._open(key, InteractionState.ACTIVE)
        topic = sim.topics.get(ix.topic or "") if ix else None
        if ix is None or topic is None:
            return
        meta = sim.meta[ix.id]
        if meta.followups_left <= 0 or meta.followup_pos >= len(topic.followups):
            return
        text = topic.followups[meta.followup_pos]
        meta.followup_pos += 1
        meta.followups_left -= 1
        sim.customer_message(ix.id, text)

    def _on_nudge(self, key: str) -> None:
        sim = self.sim
        ix = self._open(key, InteractionState.QUEUED, InteractionState.OFFERED,
                        InteractionState.ACTIVE)
        if ix is None or ix.channel is Channel.VOICE or ix.reply_due_at is None \
                or ix.reply_due_at > sim.now or not sim.meta[ix.id].awaiting_reply:
            return
        meta = sim.meta[ix.id]
        text = NUDGES[meta.nudges % len(NUDGES)]
        meta.nudges += 1
        sim.customer_message(ix.id, text)

    def _on_customer_leave(self, key: str) -> None:
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None and ix.channel is not Channel.VOICE:
            self.sim.customer_end(ix.id)

    def _on_customer_hangup(self, key: str) -> None:
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None and ix.call and ix.call.state is not CallState.HELD:
            self.sim.customer_end(ix.id)

    def _on_transcript(self, key: str) -> None:
        sim = self.sim
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is None or ix.call is None or ix.call.state is not CallState.CONNECTED:
            return
        meta = sim.meta[ix.id]
        lines = self._script(ix)
        if meta.transcript_pos < len(lines) and not ix.call.recording:
            meta.transcript_pos += 1  # they talk, but nothing is recorded or transcribed
        elif meta.transcript_pos < len(lines):
            text, speaker = lines[meta.transcript_pos]
            meta.transcript_pos += 1
            customer = sim.customers.customers[ix.customer_id]
            author = customer.name if speaker == "customer" else \
                sim.agents[ix.agent_id or ""].name if ix.agent_id in sim.agents else "agent"
            sim.add_item(ix, TimelineKind.TRANSCRIPT,
                         Direction.INBOUND if speaker == "customer" else Direction.OUTBOUND,
                         author, text, speaker=speaker)
            sim.changed(ix)
        if meta.transcript_pos < len(lines):
            self.schedule_transcript(ix)
        elif self._is_bot(ix.agent_id):
            sim.schedule("bot_hangup", ix.id, sim.rng.uniform(3.0, 12.0))
        elif self.autonomy:
            sim.schedule("customer_hangup", ix.id, sim.rng.uniform(10.0, 40.0))

    # -- bots -----------------------------------------------------------------------------------

    def _on_bot_accept(self, key: str) -> None:
        ix = self._open(key, InteractionState.OFFERED)
        if ix is not None and self._is_bot(ix.agent_id):
            self.sim.accept(ix.agent_id or "", ix.id)

    def _on_bot_accept_consult(self, key: str) -> None:
        ix = self._open(key, InteractionState.ACTIVE)
        target = self.sim.meta[key].consult_agent if ix else None
        if ix is not None and target and self._is_bot(target):
            self.sim.accept(target, ix.id)

    def _on_bot_reply(self, key: str) -> None:
        sim = self.sim
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is None or not self._is_bot(ix.agent_id) or ix.channel is Channel.VOICE:
            return
        lines = written_replies(sim.topics.get(ix.topic or ""))
        text = lines[min(sim.meta[ix.id].followup_pos, len(lines) - 1)]
        sim.mark_read(ix.agent_id or "", ix.id)
        sim.post_message(ix.agent_id or "", ix.id, "reply", text, None, [], None)

    def _on_bot_hangup(self, key: str) -> None:
        ix = self._open(key, InteractionState.ACTIVE)
        if ix is not None and ix.call and self._is_bot(ix.agent_id) \
                and ix.call.state in (CallState.CONNECTED, CallState.HELD):
            self.sim.call_action(ix.agent_id or "", ix.id, "hangup", None)

    def _on_bot_wrapup(self, key: str) -> None:
        sim = self.sim
        ix = self._open(key, InteractionState.ACTIVE, InteractionState.WRAPUP)
        if ix is None or not self._is_bot(ix.agent_id):
            return
        if ix.state is InteractionState.ACTIVE and ix.call is not None:
            return  # calls are hung up first; the hang-up schedules the wrap-up again
        codes = sorted(c for c in sim.dispositions if c != "timeout") or ["timeout"]
        sim.wrapup(ix.agent_id or "", ix.id, sim.rng.choice(codes), None)

    def _on_bot_break(self, key: str) -> None:
        sim = self.sim
        agent = sim.agents.get(key)
        if agent is None or not agent.bot:
            return
        if agent.presence is Presence.AVAILABLE:
            kind = sim.rng.choice((Presence.BREAK, Presence.BREAK, Presence.LUNCH,
                                   Presence.TRAINING))
            if sim.work_of(agent.id):
                sim.set_presence(agent.id, Presence.AVAILABLE, kind)
            else:
                sim.set_presence(agent.id, kind, None)
            sim.schedule("bot_back", agent.id, sim.uniform(sim.scenario.bot_break_length_s))
        sim.schedule("bot_break", agent.id, sim.uniform(sim.scenario.bot_break_every_s))

    def _on_bot_back(self, key: str) -> None:
        agent = self.sim.agents.get(key)
        if agent is not None and agent.bot:
            self.sim.set_presence(agent.id, Presence.AVAILABLE, None)
