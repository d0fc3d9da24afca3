"""What the simulation does for the human agent at the desk: DTMF in the
timeline, paced offers, warm-transfer consults that wait for a decision."""

from __future__ import annotations

from agentdesk.domain.models import CallState, Channel, InteractionState, Presence, TimelineKind
from agentdesk.mockserver.sim.clock import SimClock
from agentdesk.mockserver.sim.content import load_dispositions
from agentdesk.mockserver.sim.engine import Simulation, SimOptions
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
