"""The supervisor's floor model (agentdesk.domain.floor): pure, no server, no UI."""

from __future__ import annotations

from agentdesk.domain.events import (
    AgentChanged,
    CustomerTyping,
    InteractionChange,
    InteractionChanged,
    ItemAdded,
    KbChanged,
    StatsChanged,
)
from agentdesk.domain.floor import (
    TREND_BUCKET_S,
    TREND_POINTS,
    FeedKind,
    Floor,
    agent_bucket,
    overall_sl,
)
from agentdesk.domain.models import (
    AgentInfo,
    AgentStats,
    Channel,
    Direction,
    Interaction,
    InteractionState,
    Presence,
    Queue,
    QueueStats,
    RoutingState,
    Stats,
    TimelineItem,
    TimelineKind,
)

T0 = 1772442000.0
QUEUES = [
    Queue(id="support", name="Support", channels=[Channel.CHAT, Channel.VOICE], sl_threshold_s=20),
    Queue(id="billing", name="Billing", channels=[Channel.CHAT], sl_threshold_s=30,
          sl_target_pct=80),
]


def agent(aid: str, state: RoutingState = RoutingState.IDLE,
          presence: Presence = Presence.AVAILABLE, since: float = T0) -> AgentInfo:
    return AgentInfo(id=aid, name=f"Name {aid}", presence=presence, routing_state=state,
                     routing_since=since, presence_since=since, queues=["support"])


def ix(iid: str, state: InteractionState, *, agent_id: str | None = None, queue: str = "support",
       created: float = T0, channel: Channel = Channel.CHAT) -> Interaction:
    return Interaction(id=iid, channel=channel, customer_id="c1", customer_name="Ann [b]x",
                       queue_id=queue, state=state, agent_id=agent_id, created_at=created)


def fresh_floor() -> Floor:
    floor = Floor()
    floor.load(QUEUES, [agent("a1"), agent("a2", RoutingState.BUSY)], None, [], T0)
    floor.take_dirty()
    return floor


def test_load_marks_reloaded_and_keeps_only_open_interactions() -> None:
    floor = Floor()
    floor.load(QUEUES, [agent("a1")], None,
               [ix("i1", InteractionState.QUEUED), ix("i2", InteractionState.CLOSED)], T0)
    dirty = floor.take_dirty()
    assert dirty.reloaded
    assert set(floor.interactions) == {"i1"}
    assert floor.waiting_since == {"i1": T0}
    assert not floor.take_dirty()


def test_agent_update_marks_only_that_agent_dirty() -> None:
    floor = fresh_floor()
    floor.apply(AgentChanged(agent("a1", RoutingState.BUSY), T0 + 1))
    dirty = floor.take_dirty()
    assert dirty.agents == {"a1"}
    assert not dirty.queues
    assert floor.agents["a1"].routing_state is RoutingState.BUSY


def test_stats_are_kept_verbatim_and_only_changed_rows_are_dirty() -> None:
    floor = fresh_floor()
    qs = QueueStats(queue_id="support", waiting=2, answered=8, answered_in_sl=6, abandoned=2,
                    sl_pct=60.0, asa_s=12.5, aht_s=300.0, abandon_pct=20.0)
    stats = Stats(at=T0 + 2, queues=[qs, QueueStats(queue_id="billing")],
                  agents=[AgentStats(agent_id="a1", handled=3)])
    floor.apply(StatsChanged(stats, T0 + 2))
    dirty = floor.take_dirty()
    assert dirty.queues == {"support", "billing"}
    assert dirty.agents == {"a1"}
    assert floor.queue_stats["support"] == qs
    floor.apply(StatsChanged(stats, T0 + 3))
    assert floor.take_dirty().queues == set()  # nothing changed


def test_sl_below_target_is_reported_once_per_fall() -> None:
    floor = fresh_floor()

    def stats(at: float, sl: float) -> StatsChanged:
        q = QueueStats(queue_id="billing", sl_pct=sl, answered=10)
        return StatsChanged(Stats(at=at, queues=[q]), at)

    floor.apply(stats(T0 + 1, 90))
    floor.apply(stats(T0 + 2, 70))
    floor.apply(stats(T0 + 3, 60))
    floor.apply(stats(T0 + 4, 85))
    floor.apply(stats(T0 + 5, 75))
    kinds = [(e.kind, e.value) for e in floor.feed]
    assert kinds == [(FeedKind.SL_BELOW_TARGET, 70), (FeedKind.SL_BELOW_TARGET, 75)]
    assert floor.feed[0].queue_name == "Billing"
    assert floor.feed[0].target == 80


def test_missed_rejected_abandoned_transferred_go_to_the_feed() -> None:
    floor = fresh_floor()
    floor.apply(InteractionChanged(InteractionChange.UPDATED, ix(
        "i1", InteractionState.QUEUED, created=T0 + 1), T0 + 1))
    floor.apply(InteractionChanged(InteractionChange.OFFERED, ix(
        "i1", InteractionState.OFFERED, agent_id="a1", created=T0 + 1), T0 + 2))
    floor.apply(InteractionChanged(InteractionChange.MISSED, ix(
        "i1", InteractionState.QUEUED, created=T0 + 1), T0 + 22, "timeout"))
    assert floor.feed[-1].kind is FeedKind.MISSED
    assert floor.feed[-1].agent_id == "a1" and floor.feed[-1].agent_name == "Name a1"
    assert floor.waiting_since["i1"] == T0 + 1  # a miss does not restart the wait
    floor.apply(InteractionChanged(InteractionChange.ABANDONED, ix(
        "i1", InteractionState.ABANDONED, created=T0 + 1), T0 + 31))
    entry = floor.feed[-1]
    assert entry.kind is FeedKind.ABANDONED and entry.value == 30
    assert entry.customer_name == "Ann [b]x"
    assert "i1" not in floor.interactions and "i1" not in floor.waiting_since

    floor.apply(InteractionChanged(InteractionChange.OFFERED, ix(
        "i2", InteractionState.OFFERED, agent_id="a2"), T0 + 40))
    floor.apply(InteractionChanged(InteractionChange.REJECTED, ix(
        "i2", InteractionState.QUEUED), T0 + 41))
    assert floor.feed[-1].kind is FeedKind.REJECTED and floor.feed[-1].agent_id == "a2"

    floor.apply(InteractionChanged(InteractionChange.ACCEPTED, ix(
        "i3", InteractionState.ACTIVE, agent_id="a2"), T0 + 50))
    floor.apply(InteractionChanged(InteractionChange.TRANSFERRED, ix(
        "i3", InteractionState.QUEUED, queue="billing"), T0 + 60))
    assert floor.feed[-1].kind is FeedKind.TRANSFERRED and floor.feed[-1].agent_id == "a2"
    assert floor.waiting_since["i3"] == T0 + 60  # a new wait in the new queue
    dirty = floor.take_dirty()
    assert {"a1", "a2"} <= dirty.agents
    assert len(dirty.feed) == 4


def test_sla_breach_reported_once_when_wait_passes_threshold() -> None:
    floor = fresh_floor()
    floor.apply(InteractionChanged(InteractionChange.UPDATED, ix(
        "i1", InteractionState.QUEUED, created=T0), T0))
    floor.tick(T0 + 19)
    assert not floor.feed
    floor.tick(T0 + 21)
    floor.tick(T0 + 40)
    assert [e.kind for e in floor.feed] == [FeedKind.SLA_BREACH]
    assert floor.feed[0].target == 20 and floor.feed[0].at == T0 + 21
    assert floor.feed[0].value == 21
    assert floor.longest_wait("support") == 40
    assert floor.waiting_by_channel("support") == {Channel.CHAT: 1}


def test_accepted_contact_stops_waiting_and_lists_under_agent() -> None:
    floor = fresh_floor()
    floor.apply(InteractionChanged(InteractionChange.UPDATED, ix(
        "i1", InteractionState.QUEUED), T0))
    floor.apply(InteractionChanged(InteractionChange.ACCEPTED, ix(
        "i1", InteractionState.ACTIVE, agent_id="a1"), T0 + 5))
    assert "i1" not in floor.waiting_since
    assert [i.id for i in floor.agent_interactions("a1")] == ["i1"]
    floor.apply(InteractionChanged(InteractionChange.CLOSED, ix(
        "i1", InteractionState.CLOSED, agent_id="a1"), T0 + 90))
    assert floor.agent_interactions("a1") == []


def test_messages_and_transcript_segments_are_forwarded_as_items() -> None:
    floor = fresh_floor()
    item = TimelineItem(id="it1", customer_id="c1", interaction_id="i1", channel=Channel.VOICE,
                        kind=TimelineKind.TRANSCRIPT, direction=Direction.INBOUND,
                        author="Ann", body="[@click=app.quit]hi", at=T0, speaker="customer")
    floor.apply(ItemAdded(item, T0))
    assert floor.take_dirty().items == [item]


def test_totals_use_server_buckets() -> None:
    floor = Floor()
    floor.load(QUEUES, [
        agent("a1"), agent("a2", RoutingState.BUSY), agent("a3", RoutingState.ACW),
        agent("a4", RoutingState.OFF_QUEUE, Presence.BREAK),
        agent("a5", RoutingState.NOT_RESPONDING),
        agent("a6", RoutingState.OFF_QUEUE, Presence.OFFLINE),
    ], Stats(at=T0, queues=[
        QueueStats(queue_id="support", waiting=3, answered=10, answered_in_sl=9, abandoned=0),
        QueueStats(queue_id="billing", waiting=1, answered=5, answered_in_sl=2, abandoned=5),
    ]), [], T0)
    t = floor.totals()
    assert t.agents == 6 and t.logged_in == 5
    assert t.by_bucket == {"available": 1, "busy": 1, "acw": 1, "away": 1, "not_responding": 1}
    assert t.waiting == 4
    assert t.sl_pct == round(11 / 20 * 100, 2)
    assert agent_bucket(agent("x", RoutingState.OFF_QUEUE, Presence.OFFLINE)) == ""
    assert overall_sl([]) is None


def test_trend_buckets_window_and_fill() -> None:
    floor = fresh_floor()
    base = (int(T0 // TREND_BUCKET_S) + 1) * TREND_BUCKET_S

    def stats(at: float, waiting: int, sl: float | None) -> None:
        q = QueueStats(queue_id="support", waiting=waiting, sl_pct=sl,
                       answered=1 if sl is not None else 0, answered_in_sl=1 if sl else 0)
        floor.apply(StatsChanged(Stats(at=at, queues=[q]), at))

    stats(base, 2, None)
    stats(base + 5, 5, 100.0)  # same bucket: worst waiting, latest SL
    stats(base + 3 * TREND_BUCKET_S, 1, 50.0)  # two buckets skipped: filled
    sl, waiting = floor.trend("support")
    assert waiting == [5, 5, 5, 1]
    assert sl == [100.0, 100.0, 100.0, 50.0]
    assert floor.trend()[1] == [5, 5, 5, 1]  # overall
    assert floor.trend("nope") == ([], [])
    for k in range(200):
        stats(base + (4 + k) * TREND_BUCKET_S, k, 80.0)
    sl, waiting = floor.trend("support")
    assert len(sl) == TREND_POINTS == len(waiting)
    assert waiting[-1] == 199


def test_feed_is_bounded() -> None:
    floor = Floor(feed_limit=10)
    floor.load(QUEUES, [], None, [], T0)
    for k in range(50):
        floor.apply(InteractionChanged(InteractionChange.ABANDONED, ix(
            f"i{k}", InteractionState.ABANDONED), T0 + k))
    assert len(floor.feed) == 10
    assert floor.feed[-1].interaction_id == "i49"


def test_unknown_events_are_ignored() -> None:
    floor = fresh_floor()
    floor.apply(KbChanged(at=T0 + 1))
    floor.apply(CustomerTyping("i1", True, T0 + 1))
    assert not floor.take_dirty()
    assert floor.now == T0 + 1


def test_an_overdue_recording_notice_is_reported_once_and_cleared_when_given() -> None:
    from agentdesk.domain.events import CallChanged
    from agentdesk.domain.models import CallInfo, CallState

    floor = fresh_floor()
    pending = CallInfo(state=CallState.CONNECTED, connected_at=T0, disclosure="pending")
    call = ix("v1", InteractionState.ACTIVE, agent_id="a2", channel=Channel.VOICE).model_copy(
        update={"call": pending})
    floor.apply(InteractionChanged(InteractionChange.ACCEPTED, call, T0))
    floor.apply(InteractionChanged(InteractionChange.UPDATED, call, T0 + 30, "disclosure_overdue"))
    floor.apply(InteractionChanged(InteractionChange.UPDATED, call, T0 + 31, "disclosure_overdue"))
    notices = [e for e in floor.feed if e.kind is FeedKind.DISCLOSURE_OVERDUE]
    assert [(e.interaction_id, e.agent_name) for e in notices] == [("v1", "Name a2")]
    assert floor.overdue_disclosures("a2") == ["v1"]
    floor.take_dirty()
    given = pending.model_copy(update={"disclosure": "confirmed"})
    floor.apply(CallChanged("v1", given, T0 + 40))
    assert floor.overdue_disclosures("a2") == [] and "a2" in floor.take_dirty().agents


def test_a_missed_callback_is_a_feed_line() -> None:
    from agentdesk.domain.events import CallbackChanged
    from agentdesk.domain.models import Callback

    floor = fresh_floor()
    cb = Callback(id="cb-1", customer_id="c1", customer_name="Maya", at=T0, agent_id="a1",
                  queue_id="support", state="offered", created_by="a1", created_at=T0 - 60,
                  missed=1, interaction_id="in-9")
    floor.apply(CallbackChanged(cb, T0 + 20, "dialled"))  # not news for the feed
    floor.apply(CallbackChanged(cb, T0 + 30, "missed", missed=True))
    [entry] = [e for e in floor.feed if e.kind is FeedKind.CALLBACK_MISSED]
    assert (entry.customer_name, entry.agent_name, entry.queue_name, entry.value) == (
        "Maya", "Name a1", "Support", T0)
