"""Metrics of a scripted run on the manual clock match values computed by hand."""

from __future__ import annotations

import pytest

from agentdesk.testing.mockserver import DemoClient, running_server


def _support(stats: dict) -> dict:
    return next(q for q in stats["queues"] if q["queue_id"] == "support")


def _channel(queue: dict, channel: str) -> dict:
    return next(c for c in queue["channels"] if c["channel"] == channel)


def test_metrics_match_hand_computed_values():
    with running_server(agents=2, bots=0, traffic=False, manual_clock=True, seed=3) as srv:
        a = DemoClient(srv.url, "agent1")
        a.available()                                   # t=0
        ca = a.contact("chat", queue_id="support")      # t=0 offered at once
        a.advance(10)
        a.act(ca, "accept")                             # t=10: waited 10 (in SL)
        cb = a.contact("chat", queue_id="support")      # t=10
        a.advance(15)
        a.act(cb, "accept")                             # t=25: waited 15 (in SL)
        cc = a.contact("chat", queue_id="support")      # t=25
        a.post(f"/sim/interactions/{cc}/end")           # t=25: abandoned after 0 s
        a.advance(5)
        cd = a.contact("voice", queue_id="support")     # t=30: blocked by the two chats
        assert a.interaction(cd)["state"] == "queued"
        mid = _support(a.get("/v1/stats").json()["stats"])
        a.advance(10)
        a.act(ca, "wrapup", {"disposition": "resolved"})   # t=40: handle 30
        a.advance(20)
        a.act(cb, "wrapup", {"disposition": "resolved"})   # t=60: handle 35; voice offered
        assert a.interaction(cd)["state"] == "offered"
        a.advance(5)
        a.act(cd, "accept")                             # t=65: waited 35 (outside SL)
        a.advance(30)
        a.act(cd, "call", {"action": "hangup"})          # t=95
        a.advance(5)
        a.act(cd, "wrapup", {"disposition": "resolved"})   # t=100: handle 35
        stats = a.get("/v1/stats").json()["stats"]
    support = _support(stats)
    assert support["offered"] == 4
    assert support["answered"] == 3 and support["answered_in_sl"] == 2
    assert support["abandoned"] == 1
    assert support["sl_pct"] == pytest.approx(50.0)       # 2 / (3 + 1)
    assert support["asa_s"] == pytest.approx(20.0)        # (10 + 15 + 35) / 3
    assert support["aht_s"] == pytest.approx(33.33, abs=0.01)  # (30 + 35 + 35) / 3
    assert support["abandon_pct"] == pytest.approx(25.0)
    assert support["waiting"] == 0 and support["longest_wait_s"] == 0
    agent1 = next(x for x in stats["agents"] if x["agent_id"] == "agent1")
    assert agent1["handled"] == 3 and agent1["missed"] == 0
    assert agent1["aht_s"] == pytest.approx(33.33, abs=0.01)
    # handling 10..60 and 65..100 = 85 s; idle available 0..10 and 60..65 = 15 s
    assert agent1["occupancy_pct"] == pytest.approx(85.0)
    other = next(q for q in stats["queues"] if q["queue_id"] == "billing")
    assert other["sl_pct"] is None and other["asa_s"] is None  # no data is not 0
    # The same run, split by channel (QueueStats.channels).
    # At t=30, agent1 holds two chats (50 of 100 units): room for a third chat, none
    # for a call; the waiting call is the voice row's.
    assert _channel(mid, "chat")["agents"] == {"available": 1, "busy": 1}
    assert _channel(mid, "voice")["agents"] == {"available": 0, "busy": 0}
    assert (_channel(mid, "voice")["waiting"], _channel(mid, "chat")["waiting"]) == (1, 0)
    assert [c["channel"] for c in support["channels"]] == ["chat", "sms", "social", "voice"]
    chat, voice = _channel(support, "chat"), _channel(support, "voice")
    assert (chat["offered"], chat["answered"], chat["answered_in_sl"], chat["abandoned"]) == \
        (3, 2, 2, 1)
    assert chat["sl_pct"] == pytest.approx(66.67)       # 2 / (2 + 1)
    assert chat["asa_s"] == pytest.approx(12.5)         # (10 + 15) / 2
    assert chat["aht_s"] == pytest.approx(32.5)         # (30 + 35) / 2
    assert chat["abandon_pct"] == pytest.approx(33.33)  # 1 / 3
    assert (voice["offered"], voice["answered"], voice["answered_in_sl"]) == (1, 1, 0)
    assert (voice["sl_pct"], voice["asa_s"], voice["aht_s"], voice["abandon_pct"]) == \
        (0.0, 35.0, 35.0, 0.0)
    sms = _channel(support, "sms")
    assert sms["sl_pct"] is None and sms["offered"] == 0       # no data is not 0
    assert chat["agents"] == {"available": 1, "busy": 0}       # agent2 is offline: not counted
    # The queue row stays the total; the rolling window (15 min) holds all four contacts.
    assert support["sl_pct"] == pytest.approx(50.0)
    assert support["rolling"] == {"window_s": 900.0, "answered": 3, "answered_in_sl": 2,
                                  "abandoned": 1, "sl_pct": 50.0}


def test_waiting_and_longest_wait():
    with running_server(agents=1, bots=0, traffic=False, manual_clock=True) as srv:
        a = DemoClient(srv.url, "agent1")
        a.contact("chat", queue_id="billing")
        a.advance(12)
        a.contact("sms", queue_id="billing")
        a.advance(3)
        billing = next(q for q in a.get("/v1/stats").json()["stats"]["queues"]
                       if q["queue_id"] == "billing")
    assert billing["waiting"] == 2 and billing["longest_wait_s"] == pytest.approx(15.0)
