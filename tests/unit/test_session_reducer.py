"""The session reducer: every event type, duplicates, stale and out-of-order events."""

from __future__ import annotations

import copy

from agentdesk.domain.models import (
    AgentInfo, CallInfo, CallState, Channel, Direction, Interaction, InteractionState, KbArticle,
    Presence, Queue, RoutingState, Role, Stats, TimelineItem, TimelineKind, User,
)
from agentdesk.domain import session as S
from agentdesk.protocol.events import (
    AgentData, CallData, EmptyData, InteractionData, KbData, MessageData, StatsData, TypingData, Event,
)

ME = User(id="a1", name="Agent One", role=Role.AGENT)
T0 = 1772442000.0


def inter(iid="i1", state=InteractionState.OFFERED, channel=Channel.CHAT, agent="a1", **kw):
    base = dict(id=iid, channel=channel, customer_id="c-" + iid, customer_name="Cust " + iid,
                queue_id="q1", state=state, agent_id=agent, created_at=T0)
    base.update(kw)
    return Interaction(**base)


class Seq:
    def __init__(self):
        self.n = 0

    def __call__(self, kind, data, at=T0):
        self.n += 1
        return Event(seq=self.n, type=kind, at=at, data=data)


def item(iid="i1", n=1, direction=Direction.INBOUND, kind=TimelineKind.MESSAGE, body="hello", **kw):
    return TimelineItem(id=f"m{n}", customer_id="c-" + iid, interaction_id=iid, channel=Channel.CHAT,
                        kind=kind, direction=direction, author="x", body=body, at=T0 + n, **kw)


def start():
    return S.SessionState(me=ME)


def test_offer_adds_and_reports_offer():
    ev = Seq()
    st, ch = S.apply(start(), ev("interaction.offered", InteractionData(interaction=inter())))
    assert "i1" in st.interactions and ch.added == {"i1"} and ch.offered == ["i1"]
    assert st.last_seq == 1


def test_apply_does_not_mutate_input():
    ev = Seq()
    st0 = start()
    snap = copy.deepcopy(st0)
    S.apply(st0, ev("interaction.offered", InteractionData(interaction=inter())))
    assert st0 == snap


def test_duplicate_seq_is_dropped():
    ev = Seq()
    e1 = ev("interaction.offered", InteractionData(interaction=inter()))
    st, _ = S.apply(start(), e1)
    st2, ch = S.apply(st, e1)
    assert st2 is st and ch.dropped == 1 and not ch


def test_accept_updates_then_message_counts_unread_and_turns():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.offered", InteractionData(interaction=inter())))
    st, ch = S.apply(st, ev("interaction.accepted", InteractionData(interaction=inter(state=InteractionState.ACTIVE))))
    assert ch.updated == {"i1"} and not ch.added
    st, ch = S.apply(st, ev("message.created", MessageData(item=item(body="my router is broken"))))
    assert ch.items["i1"][0].body == "my router is broken"
    assert S.unread_count(st, "i1") == 1
    assert S.customer_turns(st, "i1") == ["my router is broken"]
    st = S.mark_read(st, "i1")
    assert S.unread_count(st, "i1") == 0


def test_duplicate_item_id_is_dropped():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(interaction=inter(state=InteractionState.ACTIVE))))
    st, _ = S.apply(st, ev("message.created", MessageData(item=item())))
    st, ch = S.apply(st, ev("message.created", MessageData(item=item())))
    assert not ch.items and ch.dropped == 1 and S.unread_count(st, "i1") == 1


def test_outbound_and_notes_do_not_count_unread():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(interaction=inter(state=InteractionState.ACTIVE))))
    st, ch = S.apply(st, ev("message.created", MessageData(item=item(n=1, direction=Direction.OUTBOUND))))
    st, ch2 = S.apply(st, ev("message.created", MessageData(item=item(n=2, direction=Direction.INTERNAL, kind=TimelineKind.NOTE))))
    assert S.unread_count(st, "i1") == 0 and ch.items and ch2.items
    assert S.customer_turns(st, "i1") == []


def test_items_for_unknown_interaction_are_ignored():
    ev = Seq()
    st, ch = S.apply(start(), ev("message.created", MessageData(item=item(iid="zz"))))
    assert not ch.items and not st.interactions


def test_transcript_customer_segments_feed_turns_not_unread():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(
        interaction=inter(state=InteractionState.ACTIVE, channel=Channel.VOICE, call=CallInfo()))))
    st, ch = S.apply(st, ev("transcript.segment", MessageData(
        item=item(kind=TimelineKind.TRANSCRIPT, speaker="customer", body="my bill is wrong"))))
    assert ch.items["i1"] and S.customer_turns(st, "i1") == ["my bill is wrong"]
    assert S.unread_count(st, "i1") == 0


def test_call_updated():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(
        interaction=inter(state=InteractionState.ACTIVE, channel=Channel.VOICE, call=CallInfo()))))
    st, ch = S.apply(st, ev("call.updated", CallData(interaction_id="i1", call=CallInfo(state=CallState.HELD, held_since=T0))))
    assert ch.calls == {"i1"} and st.interactions["i1"].call.state is CallState.HELD
    st2, ch = S.apply(st, ev("call.updated", CallData(interaction_id="nope", call=CallInfo())))
    assert not ch and st2.interactions == st.interactions


def test_typing_on_off_and_cleared_by_message():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(interaction=inter(state=InteractionState.ACTIVE))))
    st, ch = S.apply(st, ev("customer.typing", TypingData(interaction_id="i1", typing=True), at=T0 + 1))
    assert ch.typing == {"i1"} and S.is_typing(st, "i1", T0 + 2)
    assert not S.is_typing(st, "i1", T0 + 1 + S.TYPING_TTL_S + 1)
    st, ch = S.apply(st, ev("message.created", MessageData(item=item())))
    assert ch.typing == {"i1"} and not S.is_typing(st, "i1", T0 + 2)
    st, ch = S.apply(st, ev("customer.typing", TypingData(interaction_id="i1", typing=False)))
    assert not ch.typing


def test_removing_events_close_the_tab():
    for kind in ("interaction.rejected", "interaction.transferred", "interaction.closed", "interaction.abandoned"):
        ev = Seq()
        st, _ = S.apply(start(), ev("interaction.offered", InteractionData(interaction=inter())))
        st, ch = S.apply(st, ev(kind, InteractionData(interaction=inter(state=InteractionState.CLOSED))))
        assert ch.removed == {"i1"} and "i1" not in st.interactions, kind


def test_missed_offer_sets_banner_until_rearmed():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.offered", InteractionData(interaction=inter())))
    st, ch = S.apply(st, ev("interaction.missed", InteractionData(interaction=inter(state=InteractionState.QUEUED, agent=None), reason="timeout")))
    assert ch.missed == ["i1"] and st.missed == ("i1",) and ch.removed_reasons["i1"] == "timeout"
    nr = AgentInfo(id="a1", name="A", routing_state=RoutingState.NOT_RESPONDING)
    st, ch = S.apply(st, ev("agent.updated", AgentData(agent=nr)))
    assert ch.me and st.missed == ("i1",)
    ok = AgentInfo(id="a1", name="A", presence=Presence.AVAILABLE, routing_state=RoutingState.IDLE)
    st, _ = S.apply(st, ev("agent.updated", AgentData(agent=ok)))
    assert st.missed == () and st.agent.presence is Presence.AVAILABLE


def test_transfer_away_via_update_removes():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(interaction=inter(state=InteractionState.ACTIVE))))
    st, ch = S.apply(st, ev("interaction.updated", InteractionData(interaction=inter(state=InteractionState.ACTIVE, agent="a2"))))
    assert ch.removed == {"i1"}


def test_late_update_does_not_resurrect_closed():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(interaction=inter(state=InteractionState.ACTIVE))))
    st, _ = S.apply(st, ev("interaction.closed", InteractionData(interaction=inter(state=InteractionState.CLOSED)), at=T0 + 5))
    st, ch = S.apply(st, ev("interaction.updated", InteractionData(interaction=inter(state=InteractionState.WRAPUP)), at=T0 + 6))
    assert "i1" not in st.interactions and not ch.added
    # but a new offer of the same id (transferred back) reopens it
    st, ch = S.apply(st, ev("interaction.offered", InteractionData(interaction=inter()), at=T0 + 7))
    assert ch.added == {"i1"}


def test_out_of_order_older_interaction_event_is_dropped():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.ended", InteractionData(interaction=inter(state=InteractionState.WRAPUP, acw_deadline=T0 + 60)), at=T0 + 10))
    st, ch = S.apply(st, ev("interaction.updated", InteractionData(interaction=inter(state=InteractionState.ACTIVE)), at=T0 + 5))
    assert ch.dropped == 1 and st.interactions["i1"].state is InteractionState.WRAPUP


def test_other_agents_stats_kb_resync():
    ev = Seq()
    st, ch = S.apply(start(), ev("agent.updated", AgentData(agent=AgentInfo(id="a2", name="B"))))
    assert not ch.me and "a2" in st.agents
    st, ch = S.apply(st, ev("stats.updated", StatsData(stats=Stats(at=T0))))
    assert ch.stats and st.stats.at == T0
    st, ch = S.apply(st, ev("kb.updated", KbData(articles=[KbArticle(id="k", title="t", body="b")], removed=["x"])))
    assert ch.kb_articles[0].id == "k" and ch.kb_removed == ["x"]
    st, ch = S.apply(st, ev("resync", EmptyData()))
    assert ch.resync


def test_unknown_type_is_ignored():
    st, ch = S.apply(start(), Event(seq=1, type="future.thing", at=T0, data=None))
    assert not ch and st.last_seq == 1


def test_clock_offset_from_local_now():
    ev = Seq()
    st, _ = S.apply(start(), ev("stats.updated", StatsData(stats=Stats(at=T0)), at=T0), local_now=T0 - 100)
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
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(interaction=inter("old", state=InteractionState.ACTIVE))))
    st, _ = S.apply(st, ev("interaction.accepted", InteractionData(interaction=inter("keep", state=InteractionState.ACTIVE))))
    st, _ = S.apply(st, ev("message.created", MessageData(item=item("keep"))))
    st, ch = S.load_snapshot(
        st,
        interactions=[inter("keep", state=InteractionState.ACTIVE), inter("new"),
                      inter("closed", state=InteractionState.CLOSED), inter("other", agent="a9")],
        queues=[Queue(id="q1", name="Q", channels=[Channel.CHAT])],
    )
    assert ch.resync and ch.removed == {"old"} and ch.added == {"new"} and ch.updated == {"keep"}
    assert ch.offered == ["new"]
    assert set(st.interactions) == {"keep", "new"}
    assert S.unread_count(st, "keep") == 1 and "q1" in st.queues


def test_note_items_marks_seen_and_seeds_turns():
    ev = Seq()
    st, _ = S.apply(start(), ev("interaction.accepted", InteractionData(interaction=inter(state=InteractionState.ACTIVE))))
    st = S.note_items(st, "i1", [item(n=1, body="printer jam"), item(n=2, direction=Direction.OUTBOUND, body="ok")])
    assert S.customer_turns(st, "i1") == ["printer jam"]
    st, ch = S.apply(st, ev("message.created", MessageData(item=item(n=1, body="printer jam"))))
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
    ev = Seq()
    events = [ev("interaction.offered", InteractionData(interaction=inter(f"i{n}"))) for n in range(5)]
    st, ch = S.apply_all(start(), events + events)
    assert len(st.interactions) == 5 and ch.dropped == 5 and len(ch.added) == 5
