"""Metrics formulas (agentdesk/domain/metrics.py) on hand-made records."""

from __future__ import annotations

import pytest

from agentdesk.domain.metrics import (
    ContactOutcome,
    HandledContact,
    agent_stats,
    queue_stats,
    service_level,
)
from agentdesk.domain.models import Channel, Queue

Q = Queue(id="q", name="Q", channels=[Channel.CHAT], sl_threshold_s=20)


def test_service_level_counts_abandons_in_the_denominator():
    assert service_level([5, 10, 30], abandoned=1, threshold_s=20) == pytest.approx(50.0)
    assert service_level([20.0], abandoned=0, threshold_s=20) == 100.0  # threshold inclusive
    assert service_level([], abandoned=0, threshold_s=20) is None
    assert service_level([], abandoned=2, threshold_s=20) == 0.0


def test_queue_stats():
    outcomes = [ContactOutcome("q", 10, True), ContactOutcome("q", 40, True),
                ContactOutcome("q", 3, False), ContactOutcome("other", 1, True)]
    handled = [HandledContact("q", "a1", 100), HandledContact("q", "a2", 200),
               HandledContact("other", "a1", 999)]
    s = queue_stats(Q, outcomes, handled, waiting_since=[90.0, 95.0], now=100.0, offered=5,
                    agents={"available": 2})
    assert (s.answered, s.answered_in_sl, s.abandoned, s.offered) == (2, 1, 1, 5)
    assert s.sl_pct == pytest.approx(33.33)
    assert s.asa_s == 25.0 and s.aht_s == 150.0
    assert s.abandon_pct == pytest.approx(33.33)
    assert s.waiting == 2 and s.longest_wait_s == 10.0
    assert s.agents == {"available": 2}


def test_empty_queue_has_no_data_rather_than_zero():
    s = queue_stats(Q, [], [], [], now=0)
    assert s.sl_pct is None and s.asa_s is None and s.aht_s is None and s.abandon_pct is None
    assert s.waiting == 0 and s.longest_wait_s == 0.0


def test_agent_stats_occupancy_and_aht():
    handled = [HandledContact("q", "a1", 60), HandledContact("q", "a1", 120),
               HandledContact("q", "a2", 5)]
    s = agent_stats("a1", handled, missed=2, handling_s=300, idle_s=100)
    assert s.handled == 2 and s.aht_s == 90.0 and s.missed == 2
    assert s.occupancy_pct == 75.0
    assert agent_stats("a3", handled, 0, 0, 0).occupancy_pct is None


def test_running_totals_equal_a_full_recount():
    """The server's incremental stats match the formulas applied to the whole history."""
    from agentdesk.domain import metrics
    from agentdesk.mockserver.sim.views import compute_stats
    from agentdesk.testing.mockserver import running_server

    with running_server(agents=8, traffic=True, manual_clock=True, seed=5) as handle:
        import httpx

        for _ in range(12):  # stats are read between advances, as a live server does
            httpx.post(handle.url + "/sim/clock", json={"advance_s": 300}).raise_for_status()
            sim = handle.server.sim
            incremental = {q.queue_id: q for q in compute_stats(sim).queues}
            for queue in sim.queues.values():
                full = metrics.queue_stats(queue, sim.outcomes, sim.handled, [], sim.now)
                got = incremental[queue.id]
                assert (got.answered, got.answered_in_sl, got.abandoned, got.sl_pct, got.asa_s,
                        got.aht_s) == (full.answered, full.answered_in_sl, full.abandoned,
                                       full.sl_pct, full.asa_s, full.aht_s)
        assert len(sim.handled) > 20  # the run did real work
