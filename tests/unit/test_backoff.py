from agentdesk.domain.backoff import Backoff


def test_ceiling_doubles_up_to_the_cap():
    b = Backoff(base=0.5, cap=4.0)
    assert [b.ceiling(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert b.ceiling(0) == 0.5  # attempt numbers below 1 count as the first


def test_full_jitter_spans_zero_to_the_ceiling():
    b = Backoff(base=1.0, cap=8.0)
    assert b.delay(3, rand=lambda: 0.0) == 0.0
    assert b.delay(3, rand=lambda: 1.0) == 4.0


def test_equal_jitter_never_retries_at_once():
    b = Backoff(base=1.0, cap=8.0, jitter="equal")
    assert b.delay(3, rand=lambda: 0.0) == 2.0
    assert b.delay(3, rand=lambda: 1.0) == 4.0


def test_full_jitter_stays_under_a_doubling_capped_ceiling() -> None:
    rule = Backoff(base=0.5, cap=10.0)
    assert [rule.ceiling(a) for a in (1, 2, 3, 4, 5, 6, 9)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    delays = [rule.delay(a) for a in range(1, 40)]
    assert all(0 <= d <= rule.ceiling(a) for a, d in zip(range(1, 40), delays, strict=True))
    assert len(set(delays)) > 1  # jittered
