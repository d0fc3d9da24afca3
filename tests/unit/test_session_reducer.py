"""The session reducer: every domain event type, duplicate items, stale and
out-of-order interaction events, outgoing messages. (Duplicate frames never
reach it: the adapter drops them, tests/unit/test_native_stream.py.)"""

from __future__ import annotations

import copy

from agentdesk.domain import session as S
from agentdesk.domain.events import (
    AgentChanged,
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
from agentdesk.domain.models import (
    AgentInfo,
    CallInfo,
    CallState,
    Channel,
    Direction,
    Interaction,
    InteractionState,
    KbArticle,
    Presence,
    Queue,
    Role,
    RoutingState,
    Stats,
    TimelineItem,
    TimelineKind,
    User,
)
from agentdesk.domain.outgoing import Delivery, Outgoing

ME = User(id="a1", name="Agent One", role=Role.AGENT)
T0 = 1772442000.0


def inter(iid="i1", state=InteractionState.OFFERED, channel=Channel.CHAT, agent="a1", **kw):
    base = dict(id=iid, channel=channel, customer_id="c-" + iid, customer_name="Cust " + iid,
                queue_id="q1", state=state, agent_id=agent, created_at=T0)
    base.update(kw)
    return Interaction(**base)


def item(iid="i1", n=1, direction=Direction.INBOUND, kind=TimelineKind.MESSAGE, body="hello", **kw):
    return TimelineItem(id=f"m{n}", customer_id="c-" + iid, interaction_id=iid, channel=Channel.CHAT,
                        kind=kind, direction=direction, author="x", body=body, at=T0 + n, **kw)


def start():
    return S.SessionState(me=ME)


def test_offer_adds_and_reports_offer():
    st, ch = S.apply(start(), InteractionChanged(InteractionChange.OFFERED, inter(), T0))
    assert "i1" in st.interactions and ch.added == {"i1"} and ch.offered == ["i1"]
    assert st.applied == 1


def test_apply_does_not_mutate_input():
    st0 = start()
    snap = copy.deepcopy(st0)
    S.apply(st0, InteractionChanged(InteractionChange.OFFERED, inter(), T0))
    assert st0 == snap


def test_outgoing_message_is_pending_until_its_echo_arrives():
    st, _ = S.apply(start(), InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0))
    mine = Outgoing("k1", "i1", "on my way", "reply", "Agent One", T0 + 1)
    st, ch = S.put_outgoing(st, mine)
    assert ch.outgoing == {"i1"} and st.outgoing["i1"] == (mine,)
    st, ch = S.put_outgoing(st, Outgoing("k1", "i1", "on my way", "reply", "Agent One", T0 + 1,
                                         Delivery.FAILED, "refused"))
    assert st.outgoing["i1"][0].delivery is Delivery.FAILED
    # A reissue under a new key replaces the refused row, in its place.
    st, _ = S.put_outgoing(st, Outgoing("k2", "i1", "on my way", "reply", "Agent One", T0 + 1,
                                        replaces="k1"))
    assert [o.client_id for o in st.outgoing["i1"]] == ["k2"]
    echo = item(n=2, direction=Direction.OUTBOUND, body="on my way", client_id="k2")
    st, ch = S.apply(st, ItemAdded(echo, T0 + 2))
    assert "i1" not in st.outgoing and ch.outgoing == {"i1"} and ch.items["i1"] == [echo]
    st2, ch = S.drop_outgoing(st, "i1", "k2")
    assert st2 is st and not ch


def test_accept_updates_then_message_counts_unread_and_turns():
    st, _ = S.apply(start(), InteractionChanged(InteractionChange.OFFERED, inter(), T0))
    st, ch = S.apply(st, InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0))
    assert ch.updated == {"i1"} and not ch.added
    st, ch = S.apply(st, ItemAdded(item(body="my router is broken"), T0))
    assert ch.items["i1"][0].body == "my router is broken"
    assert S.unread_count(st, "i1") == 1
    assert S.customer_turns(st, "i1") == ["my router is broken"]
    st = S.mark_read(st, "i1")
    assert S.unread_count(st, "i1") == 0


def test_duplicate_item_id_is_dropped():
    st, _ = S.apply(start(), InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0))
    st, _ = S.apply(st, ItemAdded(item(), T0))
    st, ch = S.apply(st, ItemAdded(item(), T0))
    assert not ch.items and ch.dropped == 1 and S.unread_count(st, "i1") == 1


def test_outbound_and_notes_do_not_count_unread():
    st, _ = S.apply(start(), InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0))
    st, ch = S.apply(st, ItemAdded(item(n=1, direction=Direction.OUTBOUND), T0))
    st, ch2 = S.apply(st, ItemAdded(item(n=2, direction=Direction.INTERNAL, kind=TimelineKind.NOTE), T0))
    assert S.unread_count(st, "i1") == 0 and ch.items and ch2.items
    assert S.customer_turns(st, "i1") == []


def test_items_for_unknown_interaction_are_ignored():
    st, ch = S.apply(start(), ItemAdded(item(iid="zz"), T0))
    assert not ch.items and not st.interactions


def test_transcript_customer_segments_feed_turns_not_unread():
    st, _ = S.apply(
        start(),
        InteractionChanged(
            InteractionChange.ACCEPTED,
            inter(state=InteractionState.ACTIVE, channel=Channel.VOICE, call=CallInfo()),
            T0,
        ),
    )
    st, ch = S.apply(
        st, ItemAdded(item(kind=TimelineKind.TRANSCRIPT, speaker="customer", body="my bill is wrong"), T0)
    )
    assert ch.items["i1"] and S.customer_turns(st, "i1") == ["my bill is wrong"]
    assert S.unread_count(st, "i1") == 0


def test_call_updated():
    st, _ = S.apply(
        start(),
        InteractionChanged(
            InteractionChange.ACCEPTED,
            inter(state=InteractionState.ACTIVE, channel=Channel.VOICE, call=CallInfo()),
            T0,
        ),
    )
    st, ch = S.apply(st, CallChanged("i1", CallInfo(state=CallState.HELD, held_since=T0), T0))
    assert ch.calls == {"i1"} and st.interactions["i1"].call.state is CallState.HELD
    st2, ch = S.apply(st, CallChanged("nope", CallInfo(), T0))
    assert not ch and st2.interactions == st.interactions


def test_typing_on_off_and_cleared_by_message():
    st, _ = S.apply(
        start(), InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0)
    )
    st, ch = S.apply(st, CustomerTyping("i1", True, T0 + 1))
    assert ch.typing == {"i1"} and S.is_typing(st, "i1", T0 + 2)
    assert not S.is_typing(st, "i1", T0 + 1 + S.TYPING_TTL_S + 1)
    st, ch = S.apply(st, ItemAdded(item(), T0))
    assert ch.typing == {"i1"} and not S.is_typing(st, "i1", T0 + 2)
    st, ch = S.apply(st, CustomerTyping("i1", False, T0))
    assert not ch.typing


def test_removing_events_close_the_tab():
    for kind in (
        InteractionChange.REJECTED,
        InteractionChange.TRANSFERRED,
        InteractionChange.CLOSED,
        InteractionChange.ABANDONED,
    ):
        st, _ = S.apply(start(), InteractionChanged(InteractionChange.OFFERED, inter(), T0))
        st, ch = S.apply(st, InteractionChanged(kind, inter(state=InteractionState.CLOSED), T0))
        assert ch.removed == {"i1"} and "i1" not in st.interactions, kind
        assert ch.removed_reasons["i1"] == kind.value


def test_missed_offer_sets_banner_until_rearmed():
    st, _ = S.apply(start(), InteractionChanged(InteractionChange.OFFERED, inter(), T0))
    st, ch = S.apply(
        st,
        InteractionChanged(
            InteractionChange.MISSED, inter(state=InteractionState.QUEUED, agent=None), T0, "timeout"
        ),
    )
    assert ch.missed == ["i1"] and st.missed == ("i1",) and ch.removed_reasons["i1"] == "timeout"
    nr = AgentInfo(id="a1", name="A", routing_state=RoutingState.NOT_RESPONDING)
    st, ch = S.apply(st, AgentChanged(nr, T0))
    assert ch.me and st.missed == ("i1",)
    ok = AgentInfo(id="a1", name="A", presence=Presence.AVAILABLE, routing_state=RoutingState.IDLE)
    st, _ = S.apply(st, AgentChanged(ok, T0))
    assert st.missed == () and st.agent.presence is Presence.AVAILABLE


def test_transfer_away_via_update_removes():
    st, _ = S.apply(
        start(), InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0)
    )
    st, ch = S.apply(
        st,
        InteractionChanged(InteractionChange.UPDATED, inter(state=InteractionState.ACTIVE, agent="a2"), T0),
    )
    assert ch.removed == {"i1"}


def test_late_update_does_not_resurrect_closed():
    st, _ = S.apply(
        start(), InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0)
    )
    st, _ = S.apply(
        st, InteractionChanged(InteractionChange.CLOSED, inter(state=InteractionState.CLOSED), T0 + 5)
    )
    st, ch = S.apply(
        st, InteractionChanged(InteractionChange.UPDATED, inter(state=InteractionState.WRAPUP), T0 + 6)
    )
    assert "i1" not in st.interactions and not ch.added
    # but a new offer of the same id (transferred back) reopens it
    st, ch = S.apply(st, InteractionChanged(InteractionChange.OFFERED, inter(), T0 + 7))
    assert ch.added == {"i1"}


def test_out_of_order_older_interaction_event_is_dropped():
    st, _ = S.apply(
        start(),
        InteractionChanged(
            InteractionChange.ENDED, inter(state=InteractionState.WRAPUP, acw_deadline=T0 + 60), T0 + 10
        ),
    )
    st, ch = S.apply(
        st, InteractionChanged(InteractionChange.UPDATED, inter(state=InteractionState.ACTIVE), T0 + 5)
    )
    assert ch.dropped == 1 and st.interactions["i1"].state is InteractionState.WRAPUP


def test_other_agents_stats_kb_resync():
    st, ch = S.apply(start(), AgentChanged(AgentInfo(id="a2", name="B"), T0))
    assert not ch.me and "a2" in st.agents
    st, ch = S.apply(st, StatsChanged(Stats(at=T0), T0))
    assert ch.stats and st.stats.at == T0
    st, ch = S.apply(st, KbChanged([KbArticle(id="k", title="t", body="b")], ["x"], T0))
    assert ch.kb_articles[0].id == "k" and ch.kb_removed == ["x"]
    st, ch = S.apply(st, SnapshotNeeded(T0))
    assert ch.resync


def test_server_time_changes_only_the_clock():
    st, ch = S.apply(start(), ServerTime(T0), local_now=T0 - 30)
    assert not ch and st.clock_offset == 30 and st.applied == 1


def test_clock_offset_from_local_now():
    st, _ = S.apply(start(), StatsChanged(Stats(at=T0), T0), local_now=T0 - 100)
    assert st.clock_offset == 100 and st.server_now(5) == 105


def test_urgency_order():
    a = inter("a", state=InteractionState.ACTIVE, reply_due_at=T0 + 50)
    b = inter("b", state=InteractionState.ACTIVE, reply_due_at=T0 + 20)
    c = inter("c", state=InteractionState.OFFERED, offer_expires_at=T0 + 30)
    d = inter("d", state=InteractionState.WRAPUP, acw_deadline=T0 + 1)
    e = inter("e", state=InteractionState.ACTIVE)
    f = inter("f", state=InteractionState.OFFERED, offer_expires_at=T0 + 10)
    st, _ = S.load_snapshot(start(), interactions=[a, b, c, d, e, f])
    assert S.urgency_order(st) == ["f", "c", "b", "a", "e", "d"]
    assert S.most_urgent(st) == "f"
    assert S.deadline(st.interactions["d"]) == ("acw", T0 + 1)
    assert S.deadline(st.interactions["b"]) == ("reply", T0 + 20)
    assert S.deadline(st.interactions["e"]) is None


def test_load_snapshot_diff_and_filters():
    st, _ = S.apply(
        start(),
        InteractionChanged(InteractionChange.ACCEPTED, inter("old", state=InteractionState.ACTIVE), T0),
    )
    st, _ = S.apply(
        st, InteractionChanged(InteractionChange.ACCEPTED, inter("keep", state=InteractionState.ACTIVE), T0)
    )
    st, _ = S.apply(st, ItemAdded(item("keep"), T0))
    st, ch = S.load_snapshot(
        st,
        interactions=[
            inter("keep", state=InteractionState.ACTIVE),
            inter("new"),
            inter("closed", state=InteractionState.CLOSED),
            inter("other", agent="a9"),
        ],
        queues=[Queue(id="q1", name="Q", channels=[Channel.CHAT])],
    )
    assert ch.resync and ch.removed == {"old"} and ch.added == {"new"} and ch.updated == {"keep"}
    assert ch.offered == ["new"]
    assert set(st.interactions) == {"keep", "new"}
    assert S.unread_count(st, "keep") == 1 and "q1" in st.queues


def test_note_items_marks_seen_and_seeds_turns():
    st, _ = S.apply(
        start(), InteractionChanged(InteractionChange.ACCEPTED, inter(state=InteractionState.ACTIVE), T0)
    )
    st = S.note_items(
        st, "i1", [item(n=1, body="printer jam"), item(n=2, direction=Direction.OUTBOUND, body="ok")]
    )
    assert S.customer_turns(st, "i1") == ["printer jam"]
    st, ch = S.apply(st, ItemAdded(item(n=1, body="printer jam"), T0))
    assert ch.dropped == 1


def test_changes_merge():
    a = S.Changes(added={"x"}, updated={"y"})
    b = S.Changes(removed={"x"}, stats=True, items={"y": []})
    a |= b
    assert a.added == set() and a.removed == {"x"} and a.stats and "y" in a.items
    c = S.Changes(added={"x"})
    a |= c
    assert a.added == {"x"} and "x" not in a.removed


def test_apply_all_reports_union():
    events = [InteractionChanged(InteractionChange.OFFERED, inter(f"i{n}"), T0) for n in range(5)]
    st, ch = S.apply_all(start(), events + events)
    assert len(st.interactions) == 5 and len(ch.added) == 5 and not ch.updated
