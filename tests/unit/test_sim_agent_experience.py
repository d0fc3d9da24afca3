"""What the simulation does for the human agent at the desk: DTMF in the
timeline, paced offers, warm-transfer consults that wait for a decision."""

from __future__ import annotations

from agentdesk.domain.models import CallState, Channel, InteractionState, Presence, TimelineKind
from agentdesk.mockserver.sim.clock import SimClock
from agentdesk.mockserver.sim.content import load_dispositions
from agentdesk.mockserver.sim.engine import SimOptions, Simulation
from agentdesk.mockserver.sim.scenario import Scenario

DISPOSITIONS = tuple(d.code for d in load_dispositions())


def make(scenario: Scenario | None = None, **kw) -> Simulation:
    options = SimOptions(dispositions=DISPOSITIONS, **kw)
    return Simulation(options, scenario or Scenario(), SimClock(manual=True))


def run(sim: Simulation, seconds: float, step: float = 1.0) -> list:
    events = []
    for _ in range(int(seconds / step)):
        sim.advance_to(sim.clock.advance(step))
        events.extend(sim.drain())
    return events


def connected_call(sim: Simulation):
    sim.set_presence("agent1", Presence.AVAILABLE, None)
    ix = sim.new_contact(Channel.VOICE)
    sim.accept("agent1", ix.id)
    run(sim, 3)
    assert ix.call is not None and ix.call.state is CallState.CONNECTED
    return ix


def test_dtmf_digits_are_in_the_timeline() -> None:
    """Issue 14 item 9."""
    sim = make(agents=1, bots=0, traffic=False)
    ix = connected_call(sim)
    sim.call_action("agent1", ix.id, "dtmf", "12#")
    items = [i for i in sim.items[ix.customer_id] if i.interaction_id == ix.id]
    assert any(i.kind is TimelineKind.CALL and i.body == "Keypad: 12# sent" for i in items)


def test_a_person_gets_one_ringing_offer_at_a_time_under_load() -> None:
    """Issue 14 item 8: under a busy scenario five offers used to ring at once."""
    scenario = Scenario()
    scenario.arrivals_per_h = {channel: 0.0 for channel in Channel}  # a live floor, no random arrivals
    sim = make(scenario, agents=1, bots=0, traffic=True)
    sim.set_presence("agent1", Presence.AVAILABLE, None)
    waiting = [sim.new_contact(channel) for channel in
               (Channel.CHAT, Channel.CHAT, Channel.SMS, Channel.SOCIAL, Channel.EMAIL)]
    ringing = [ix for ix in waiting if ix.state is InteractionState.OFFERED]
    assert len(ringing) == 1
    sim.accept("agent1", ringing[0].id)
    assert sum(ix.state is InteractionState.OFFERED for ix in waiting) == 1  # the next one, now
    scripted = make(agents=1, bots=0, traffic=False)  # tests and trainers set up what they want
    scripted.set_presence("agent1", Presence.AVAILABLE, None)
    both = [scripted.new_contact(Channel.CHAT), scripted.new_contact(Channel.SMS)]
    assert all(ix.state is InteractionState.OFFERED for ix in both)


def test_a_newcomer_sees_every_channel_and_a_call_in_five_minutes() -> None:
    """Issue 14 item 8: on the demo floor (bots, traffic) the person at the desk
    is offered a call and every other channel within five minutes."""
    sim = make(agents=12, bots=11, traffic=True, autonomy=True, seed=3)
    run(sim, 5)
    sim.set_presence("agent1", Presence.AVAILABLE, None)
    offered: set[str] = set()
    for _ in range(300):
        sim.advance_to(sim.clock.advance(1.0))
        sim.drain()
        for ix in list(sim.interactions.values()):  # a newcomer who works quickly
            if ix.agent_id != "agent1":
                continue
            if ix.state is InteractionState.OFFERED:
                offered.add(ix.id)
                sim.accept("agent1", ix.id)
            elif ix.state is InteractionState.ACTIVE and sim.now - (ix.accepted_at or sim.now) > 20:
                if ix.channel is Channel.VOICE:
                    sim.call_action("agent1", ix.id, "hangup", None)
                else:
                    sim.customer_end(ix.id)
            if ix.state is InteractionState.WRAPUP:
                sim.wrapup("agent1", ix.id, DISPOSITIONS[0], None)
    channels = {sim.interactions[i].channel for i in offered}
    assert channels == set(Channel), channels


def test_a_simulated_agent_answers_a_consult_and_waits_for_the_decision() -> None:
    """Issue 14 item 3: it used to complete the transfer by itself after ~5 s."""
    sim = make(agents=2, bots=1, traffic=False)
    ix = connected_call(sim)
    bot = next(a for a in sim.agents.values() if a.bot)
    sim.set_presence(bot.id, Presence.AVAILABLE, None)
    sim.transfer("agent1", ix.id, queue_id=None, target_agent=bot.id, warm=True)
    assert ix.call.consult_state == "ringing"
    run(sim, 120)
    assert ix.agent_id == "agent1" and ix.call.consult_state == "talking"
    assert ix.call.state is CallState.HELD
    sim.call_action("agent1", ix.id, "consult_complete", None)
    assert ix.agent_id == bot.id and ix.call.state is CallState.CONNECTED
