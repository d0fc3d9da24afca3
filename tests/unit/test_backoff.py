"""The one backoff rule of the client (domain/backoff.py)."""

from agentdesk.domain.backoff import Backoff


def test_full_jitter_stays_under_a_doubling_capped_ceiling() -> None:
    rule = Backoff(base=0.5, cap=10.0)
    assert [rule.ceiling(a) for a in (1, 2, 3, 4, 5, 6, 9)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    delays = [rule.delay(a) for a in range(1, 40)]
    assert all(0 <= d <= rule.ceiling(a) for a, d in zip(range(1, 40), delays))
    assert len(set(delays)) > 1  # jittered


def test_equal_jitter_never_retries_before_half_the_ceiling() -> None:
    rule = Backoff(base=1.0, cap=30.0)
    for attempt in range(1, 12):
        d = rule.delay_from_half(attempt)
        assert rule.ceiling(attempt) / 2 <= d <= rule.ceiling(attempt)
