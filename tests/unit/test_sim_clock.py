"""The simulation clock and the timer heap."""

from __future__ import annotations

import pytest

from agentdesk.mockserver.sim.clock import MANUAL_EPOCH, SimClock
from agentdesk.mockserver.sim.timers import Timers


def test_manual_clock_moves_only_when_advanced():
    clock = SimClock(manual=True)
    assert clock.now() == MANUAL_EPOCH == 1772442000.0
    assert clock.now() == clock.now()
    assert clock.advance(2.5) == MANUAL_EPOCH + 2.5
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_real_clock_scales_with_speed(monkeypatch):
    fake = [100.0]
    monkeypatch.setattr("agentdesk.mockserver.sim.clock.time.monotonic", lambda: fake[0])
    clock = SimClock(speed=10.0, start=5000.0)
    fake[0] += 1.5
    assert clock.now() == pytest.approx(5015.0)
    with pytest.raises(RuntimeError):
        clock.advance(1)


def test_restore_never_goes_back():
    clock = SimClock(manual=True)
    clock.restore(MANUAL_EPOCH + 99)
    assert clock.now() == MANUAL_EPOCH + 99


def test_timers_fire_in_order_and_replace():
    t = Timers()
    t.schedule("a", "1", 10)
    t.schedule("b", "1", 5)
    t.schedule("a", "1", 7)  # replaces the earlier a/1
    t.schedule("c", "1", 20)
    t.cancel("c", "1")
    assert t.next_due() == 5
    assert t.pop_due(100) == (5, "b", "1")
    assert t.pop_due(100) == (7, "a", "1")
    assert t.pop_due(100) is None
    restored = Timers.from_json(t.to_json())
    assert restored.pop_due(100) is None


def test_timers_roundtrip_json():
    t = Timers()
    t.schedule("x", "k", 3)
    copy = Timers.from_json(t.to_json())
    assert copy.pending("x", "k") and copy.pop_due(3) == (3, "x", "k")
