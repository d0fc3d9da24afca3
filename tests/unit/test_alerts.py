"""Supervisor alerts (agentdesk.domain.alerts) on a manual clock: raised once when a
threshold is crossed, kept while it holds, cleared when it no longer does."""

from __future__ import annotations

from agentdesk.config import load_settings
from agentdesk.domain.alerts import (
    AlertBook,
    AlertKind,
    AlertRules,
    QueueThresholds,
    describe,
)
from agentdesk.domain.floor import Floor
from agentdesk.domain.models import (
    AgentInfo,
    Channel,
    Interaction,
    InteractionState,
    Presence,
    Queue,
    QueueStats,
    RoutingState,
    Stats,
)

T0 = 1772442000.0
VOICE = Queue(id="voice", name="Voice line", channels=[Channel.VOICE], sl_threshold_s=20,
              sl_target_pct=80)
EMAIL = Queue(id="email", name="Email", channels=[Channel.EMAIL], sl_threshold_s=4 * 3600,
              sl_target_pct=90)


def agent(aid: str, state: RoutingState = RoutingState.IDLE,
          presence: Presence = Presence.AVAILABLE, since: float = T0,
          queues: tuple[str, ...] = ("voice",)) -> AgentInfo:
    return AgentInfo(id=aid, name=f"Agent {aid}", presence=presence, routing_state=state,
                     routing_since=since, presence_since=since, queues=list(queues))


def waiting(n: int, queue: str = "voice", since: float = T0) -> list[Interaction]:
    return [Interaction(id=f"{queue}-{k}", channel=Channel.VOICE, customer_id=f"c{k}",
                        customer_name=f"C {k}", queue_id=queue, state=InteractionState.QUEUED,
                        created_at=since) for k in range(n)]


def stats(at: float, **voice: object) -> Stats:
    return Stats(at=at, queues=[QueueStats(queue_id="voice", **voice),
                                QueueStats(queue_id="email")])


def floor_at(now: float, *, agents: list[AgentInfo] | None = None,
             interactions: list[Interaction] | None = None, **voice: object) -> Floor:
    floor = Floor()
    floor.load([VOICE, EMAIL], agents or [agent("a1")], stats(now, **voice),
               interactions or [], now)
    floor.tick(now)
    return floor


def kinds(changes) -> list[tuple[str, str, bool]]:
    return [(c.alert.kind.value, c.alert.subject_id, c.raised) for c in changes]


def test_defaults_come_from_each_queue() -> None:
    rules = AlertRules()
    voice = rules.for_queue(VOICE, agents_signed_in=8)
    assert voice == {AlertKind.SL: 80.0, AlertKind.WAIT: 40.0, AlertKind.LENGTH: 8.0,
                     AlertKind.ABANDON: 10.0}
    email = rules.for_queue(EMAIL, agents_signed_in=2)
    assert email[AlertKind.SL] == 90.0 and email[AlertKind.WAIT] == 8 * 3600
    assert email[AlertKind.LENGTH] == 5.0  # at least 5
    # Global, then per queue overrides; 0 turns one off.
    rules = AlertRules(queue=QueueThresholds(abandon_pct=5.0, queue_length=0),
                       queues={"voice": QueueThresholds(sl_below_pct=70.0)})
    voice = rules.for_queue(VOICE, 8)
    assert voice[AlertKind.SL] == 70.0 and voice[AlertKind.ABANDON] == 5.0
    assert AlertKind.LENGTH not in voice
    assert rules.for_queue(EMAIL, 2)[AlertKind.SL] == 90.0


def test_sl_below_target_raises_once_and_clears() -> None:
    book = AlertBook()
    # Too few contacts yet: no verdict on 1 of 2 answered in SL.
    floor = floor_at(T0, answered=2, answered_in_sl=1, sl_pct=50.0)
    assert book.evaluate(floor, T0) == []
    floor = floor_at(T0 + 60, answered=10, answered_in_sl=6, sl_pct=60.0)
    changes = book.evaluate(floor, T0 + 60)
    assert kinds(changes) == [("sl", "voice", True)]
    assert describe(changes[0].alert) == "Voice line: SL 60% < 80%"
    assert book.cell_alerted("voice", "sl")
    # Still below a minute later: no new change, the alert keeps its start.
    floor = floor_at(T0 + 120, answered=12, answered_in_sl=8, sl_pct=66.7)
    assert book.evaluate(floor, T0 + 120) == []
    assert book.queue_alerts("voice")[0].since == T0 + 60
    assert book.queue_alerts("voice")[0].value == 66.7
    floor = floor_at(T0 + 180, answered=20, answered_in_sl=17, sl_pct=85.0)
    changes = book.evaluate(floor, T0 + 180)
    assert kinds(changes) == [("sl", "voice", False)]
    assert not book.queue_alerts("voice") and len(book) == 0


def test_longest_wait_and_queue_length_follow_the_clock() -> None:
    book = AlertBook()
    agents = [agent(f"a{k}", RoutingState.BUSY) for k in range(6)]
    floor = floor_at(T0, agents=agents, interactions=waiting(7), waiting=7)
    changes = book.evaluate(floor, T0)
    assert kinds(changes) == [("length", "voice", True)]  # 7 waiting > 6 agents
    floor.tick(T0 + 41)  # the contacts have now waited 41 s > 2 x 20 s
    changes = book.evaluate(floor, T0 + 41)
    assert kinds(changes) == [("wait", "voice", True)]
    assert describe(changes[0].alert) == "Voice line: longest wait 0:41 > 0:40"
    # The queue empties: both clear.
    floor = floor_at(T0 + 60, agents=agents, waiting=0)
    assert sorted(kinds(book.evaluate(floor, T0 + 60))) == [
        ("length", "voice", False), ("wait", "voice", False)]


def test_abandonment_needs_enough_contacts() -> None:
    book = AlertBook()
    floor = floor_at(T0, answered=3, abandoned=1, abandon_pct=25.0, sl_pct=100.0,
                     answered_in_sl=3)
    assert book.evaluate(floor, T0) == []
    floor = floor_at(T0 + 30, answered=8, abandoned=2, abandon_pct=20.0, sl_pct=100.0,
                     answered_in_sl=8)
    assert kinds(book.evaluate(floor, T0 + 30)) == [("abandon", "voice", True)]


def test_agent_states_time_out() -> None:
    book = AlertBook(AlertRules(not_responding_s=30, acw_s=120, states={"break": 600}))
    agents = [agent("nr", RoutingState.NOT_RESPONDING), agent("w", RoutingState.ACW),
              agent("b", RoutingState.OFF_QUEUE, Presence.BREAK),
              agent("off", RoutingState.OFF_QUEUE, Presence.OFFLINE)]
    floor = floor_at(T0 + 10, agents=agents)
    assert book.evaluate(floor, T0 + 10) == []
    floor.tick(T0 + 31)
    assert kinds(book.evaluate(floor, T0 + 31)) == [("not_responding", "nr", True)]
    floor.tick(T0 + 121)
    assert kinds(book.evaluate(floor, T0 + 121)) == [("acw", "w", True)]
    floor.tick(T0 + 601)
    changes = book.evaluate(floor, T0 + 601)
    assert kinds(changes) == [("state", "b", True)]
    assert describe(changes[0].alert) == "Agent b: break for 10:01 > 10:00"
    assert book.cell_alerted("nr", "state") and book.cell_alerted("b", "since")
    # The agent on a break comes back: that alert clears, the others stay.
    back = [a if a.id != "b" else agent("b", since=T0 + 620) for a in agents]
    floor = floor_at(T0 + 620, agents=back)
    assert kinds(book.evaluate(floor, T0 + 620)) == [("state", "b", False)]
    assert len(book) == 2


def test_disabled_rules_raise_nothing() -> None:
    book = AlertBook(AlertRules(enabled=False))
    floor = floor_at(T0, answered=10, answered_in_sl=1, sl_pct=10.0)
    assert book.evaluate(floor, T0) == []


def test_rules_from_the_config_file(tmp_path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[monitor.alerts]\nabandon_pct = 5\nsl_min_contacts = 3\nacw_s = 0\n"
        "states = { break = 300, training = 7200 }\n"
        "[monitor.alerts.queues.voice]\nsl_below_pct = 70\nqueue_length = 0\n"
        "[monitor.alerts.queues.email]\nlongest_wait_s = -1\n", encoding="utf-8")
    loaded = load_settings(path, {})
    rules = AlertRules.from_settings(loaded.settings.monitor.alerts)
    assert rules.sl_min_contacts == 3 and rules.acw_s == 0
    assert rules.states == {"break": 300.0, "training": 7200.0}
    voice = rules.for_queue(VOICE, 2)
    assert voice[AlertKind.SL] == 70.0 and voice[AlertKind.ABANDON] == 5.0
    assert AlertKind.LENGTH not in voice
    # A bad value is reported with its line and left out (the default stays).
    assert rules.for_queue(EMAIL, 2)[AlertKind.WAIT] == 8 * 3600
    assert any("monitor.alerts.queues.email.longest_wait_s" in p and ":10:" in p
               and "0 or more" in p for p in loaded.problems), loaded.problems
