"""Staffing now (agentdesk.domain.staffing): Erlang C against published table
values, the agents needed for a goal, concurrency for digital channels, and
the rate and AHT of a window of cumulative figures."""

from __future__ import annotations

import math

import pytest

from agentdesk.domain.models import Channel, ChannelStats, QueueStats
from agentdesk.domain.staffing import (
    FigureHistory,
    agents_needed,
    erlang_b,
    erlang_c,
    queue_staffing,
    service_level,
)

T0 = 1772442000.0

# Erlang C, probability of waiting, for a load of 10 Erlangs (standard tables,
# e.g. the Erlang C table in Koole, "Call Center Optimization", and every
# online Erlang C table: 11 → 0.6821, 12 → 0.4494, 13 → 0.2853, 14 → 0.1741,
# 15 → 0.1020).
TABLE_A10 = {11: 0.6821, 12: 0.4494, 13: 0.2853, 14: 0.1741, 15: 0.1020}


@pytest.mark.parametrize(("servers", "expected"), sorted(TABLE_A10.items()))
def test_erlang_c_matches_the_published_table(servers: int, expected: float) -> None:
    assert erlang_c(servers, 10.0) == pytest.approx(expected, abs=5e-5)


def test_small_exact_cases() -> None:
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)  # A=2, N=3: exactly 4/9
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: P(wait) = utilisation
    assert erlang_c(10, 10.0) == 1.0 and erlang_c(5, 0.0) == 0.0


def test_the_hand_checked_example_of_the_docs() -> None:
    """docs/monitor.md: 100 calls in 30 minutes, AHT 3:00, goal 80% in 20 s."""
    rate = 100 / 1800
    assert service_level(13, 10.0, 180, 20) == pytest.approx(1 - 0.2853 * math.exp(-3 * 20 / 180),
                                                               abs=1e-4)
    assert service_level(13, 10.0, 180, 20) == pytest.approx(0.7956, abs=1e-4)
    assert service_level(14, 10.0, 180, 20) == pytest.approx(0.8884, abs=1e-4)
    need = agents_needed(rate, 180, 20, 80)
    assert (need.agents, need.servers) == (14, 14)
    assert need.load == pytest.approx(10.0)
    assert need.rate_per_h == pytest.approx(200.0)
    assert need.expected_sl_pct == pytest.approx(88.84, abs=0.01)
    # A higher goal needs more; no traffic needs nobody.
    assert agents_needed(rate, 180, 20, 90).agents == 15
    assert agents_needed(0.0, 180, 20, 80).agents == 0


def test_concurrency_divides_the_servers() -> None:
    # Chat: 120 chats an hour of 10 minutes each = 20 Erlangs; goal 80% in 60 s.
    voice_like = agents_needed(120 / 3600, 600, 60, 80)
    chat = agents_needed(120 / 3600, 600, 60, 80, concurrency=3)
    assert chat.servers == voice_like.servers
    assert chat.agents == math.ceil(voice_like.servers / 3)
    assert chat.agents < voice_like.agents


def _stats(at: float, offered: int, answered: int, aht: float | None,
           chat: tuple[int, int, float | None] | None = None,
           voice_aht: float | None = None) -> QueueStats:
    channels = []
    if chat is not None:
        channels = [ChannelStats(channel=Channel.CHAT, offered=chat[0], answered=chat[1],
                                 aht_s=chat[2]),
                    ChannelStats(channel=Channel.VOICE, offered=offered - chat[0],
                                 answered=answered - chat[1], aht_s=voice_aht)]
    return QueueStats(queue_id="q", offered=offered, answered=answered, aht_s=aht,
                      channels=channels)


def test_the_window_differences_cumulative_figures() -> None:
    history = FigureHistory()
    history.observe(T0, [_stats(T0, 100, 90, 200.0)])
    assert history.window("q", None, T0, 900) is None  # one sample: no rate
    history.observe(T0 + 60, [_stats(T0 + 60, 102, 92, 200.0)])
    assert history.window("q", None, T0 + 60, 900) is None  # under two minutes
    # 15 minutes later: 50 more offered, 50 more answered at 180 s each.
    handle = 200.0 * 90 + 180.0 * 50
    history.observe(T0 + 900, [_stats(T0 + 900, 150, 140, handle / 140)])
    win = history.window("q", None, T0 + 900, 900)
    assert win is not None and win.span_s == 900
    assert win.rate_per_s == pytest.approx(50 / 900)
    assert win.aht_s == pytest.approx(180.0)
    # Older samples than the longest window are dropped, one is kept to cover it.
    history.observe(T0 + 3000, [_stats(T0 + 3000, 160, 150, handle / 140)])
    assert len(history.series[("q", None)]) <= 3
    # A restarted server (figures go back): the series starts again.
    history.observe(T0 + 3100, [_stats(T0 + 3100, 3, 3, 100.0)])
    assert history.window("q", None, T0 + 3100, 900) is None


def test_queue_staffing_sums_its_channels() -> None:
    history = FigureHistory()
    history.observe(T0, [_stats(T0, 0, 0, None, chat=(0, 0, None))])
    # 15 minutes: 50 calls of 180 s and 30 chats of 600 s.
    history.observe(T0 + 900, [_stats(T0 + 900, 80, 80, (50 * 180 + 30 * 600) / 80,
                                      chat=(30, 30, 600.0), voice_aht=180.0)])
    result = queue_staffing(history, "q", [Channel.CHAT, Channel.VOICE], threshold_s=20,
                            target_pct=80, concurrency={Channel.CHAT: 3},
                            agents={"available": 2, "busy": 9, "acw": 1, "away": 4}, now=T0 + 900)
    voice = agents_needed(50 / 900, 180, 20, 80)
    chat = agents_needed(30 / 900, 600, 20, 80, concurrency=3)
    assert result.channels[Channel.VOICE] == voice and result.channels[Channel.CHAT] == chat
    assert result.needed == voice.agents + chat.agents
    assert (result.staffed, result.available) == (12, 2)  # away agents are not staffed
    none_yet = queue_staffing(FigureHistory(), "q", [Channel.VOICE], 20, 80, {}, {}, T0)
    assert none_yet.needed is None
