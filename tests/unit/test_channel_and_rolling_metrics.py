"""Per-channel figures and the rolling service level (agentdesk/domain/metrics.py),
on hand-made records with numbers checked by hand."""

from __future__ import annotations

import random

import pytest

from agentdesk.domain import metrics
from agentdesk.domain.metrics import ContactOutcome, HandledContact, RollingWindow
from agentdesk.domain.models import Channel, Queue

CHAT, VOICE, SMS = Channel.CHAT, Channel.VOICE, Channel.SMS
Q = Queue(id="q", name="Q", channels=[CHAT, VOICE], sl_threshold_s=20)


def test_channel_stats_apply_the_queue_formulas_to_one_channel() -> None:
    outcomes = [
        ContactOutcome("q", 10, True, CHAT, 100),   # chat: in SL
        ContactOutcome("q", 30, True, CHAT, 110),   # chat: answered late
        ContactOutcome("q", 5, False, CHAT, 120),   # chat: abandoned (stays in the denominator)
        ContactOutcome("q", 35, True, VOICE, 130),  # voice: answered late
        ContactOutcome("other", 1, True, CHAT, 140),  # another queue: ignored
        ContactOutcome("q", 1, True, None, 150),    # an old record without channel: ignored
    ]
    handled = [HandledContact("q", "a1", 100, CHAT, 200), HandledContact("q", "a2", 50, CHAT, 210),
               HandledContact("q", "a1", 600, VOICE, 220)]
    chat = metrics.channel_stats(Q, CHAT, outcomes, handled, waiting_since=[290.0, 295.0],
                                 now=300.0, offered=4, agents={"available": 2, "busy": 1})
    # SL = 1 within 20 s / (2 answered + 1 abandoned) = 33.33 %; ASA (10 + 30) / 2 = 20 s;
    # AHT (100 + 50) / 2 = 75 s; abandonment 1 / 3 = 33.33 %; longest wait 300 - 290 = 10 s.
    assert chat.channel is CHAT
    assert (chat.answered, chat.answered_in_sl, chat.abandoned, chat.offered) == (2, 1, 1, 4)
    assert chat.sl_pct == pytest.approx(33.33)
    assert chat.asa_s == 20.0 and chat.aht_s == 75.0
    assert chat.abandon_pct == pytest.approx(33.33)
    assert chat.waiting == 2 and chat.longest_wait_s == 10.0
    assert chat.agents == {"available": 2, "busy": 1}
    voice = metrics.channel_stats(Q, VOICE, outcomes, handled, [], now=300.0)
    # 35 s > 20 s threshold: 0 % SL; ASA 35; AHT 600; no abandons: 0 %.
    assert (voice.sl_pct, voice.asa_s, voice.aht_s, voice.abandon_pct) == (0.0, 35.0, 600.0, 0.0)
    sms = metrics.channel_stats(Q, SMS, outcomes, handled, [], now=300.0)
    assert sms.sl_pct is None and sms.asa_s is None and sms.abandon_pct is None  # no data, not 0


def test_channel_rows_add_up_to_the_queue() -> None:
    rng = random.Random(3)
    outcomes = [ContactOutcome("q", rng.uniform(0, 60), rng.random() < 0.8,
                               rng.choice([CHAT, VOICE]), float(t)) for t in range(200)]
    handled = [HandledContact("q", "a", rng.uniform(10, 900), rng.choice([CHAT, VOICE]), float(t))
               for t in range(150)]
    queue = metrics.queue_stats(Q, outcomes, handled, [], now=500.0)
    parts = [metrics.channel_stats(Q, ch, outcomes, handled, [], now=500.0) for ch in (CHAT, VOICE)]
    assert sum(p.answered for p in parts) == queue.answered
    assert sum(p.answered_in_sl for p in parts) == queue.answered_in_sl
    assert sum(p.abandoned for p in parts) == queue.abandoned


def test_rolling_window_counts_only_the_last_window() -> None:
    w = RollingWindow(window_s=900)
    w.add(ContactOutcome("q", 10, True, CHAT, 0.0), 20)      # in SL, leaves the window at 900
    w.add(ContactOutcome("q", 40, True, VOICE, 300.0), 20)   # late
    w.add(ContactOutcome("q", 3, False, CHAT, 600.0), 20)    # abandoned
    w.add(ContactOutcome("other", 1, True, CHAT, 600.0), 20)
    w.expire(600.0)
    s = w.of("q")
    # 1 within / (2 answered + 1 abandoned) = 33.33 %
    assert (s.answered, s.answered_in_sl, s.abandoned) == (2, 1, 1)
    assert s.sl_pct == pytest.approx(33.33) and s.window_s == 900
    w.expire(900.0)  # the 10 s answer at t=0 is now 900 s old: out
    s = w.of("q")
    assert (s.answered, s.answered_in_sl, s.abandoned, s.sl_pct) == (1, 0, 1, 0.0)
    w.expire(1600.0)  # 1000 s after the last one: the window is empty
    assert w.of("q").sl_pct is None and w.of("q").answered == 0
    assert w.of("other").answered == 0 and w.of("nobody").sl_pct is None


def test_rolling_window_equals_the_formula_on_the_records() -> None:
    """The incremental window equals rolling_sl() recomputed from all records."""
    rng = random.Random(11)
    w = RollingWindow(window_s=900)
    records: list[ContactOutcome] = []
    t = 0.0
    for _ in range(400):
        t += rng.uniform(0, 30)
        o = ContactOutcome(rng.choice(["q", "other"]), rng.uniform(0, 60), rng.random() < 0.85,
                           CHAT, t)
        records.append(o)
        w.add(o, 20)
        if rng.random() < 0.2:
            w.expire(t)
            assert w.of("q") == metrics.rolling_sl(Q, records, t, 900)


def test_sl_window_constant_is_fifteen_minutes() -> None:
    assert metrics.SL_WINDOW_S == 900.0


def test_the_new_stats_fields_are_additive_on_the_wire() -> None:
    from agentdesk.domain.models import Model, QueueStats, SlWindow

    class OldQueueStats(Model):  # QueueStats as clients before channels/rolling knew it
        queue_id: str
        sl_pct: float | None = None
        agents: dict[str, int] = {}

    new = metrics.queue_stats(Q, [ContactOutcome("q", 5, True, CHAT, 10.0)], [], [], now=20.0)
    new.rolling = SlWindow(window_s=900, answered=1, answered_in_sl=1, sl_pct=100.0)
    new.channels = [metrics.channel_stats(Q, CHAT, [], [], [], now=20.0)]
    old = OldQueueStats.model_validate_json(new.model_dump_json())
    assert (old.queue_id, old.sl_pct) == ("q", 100.0)
    # And a new client reads an old server's stats: no breakdown, no rolling SL.
    legacy = QueueStats.model_validate({"queue_id": "q", "sl_pct": 50.0})
    assert legacy.channels == [] and legacy.rolling is None
