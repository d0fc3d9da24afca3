"""Full GC passes run when the agent is idle, at least every minute, and CPython's
own settings come back on stop (agentdesk/ui/collector.py)."""

from __future__ import annotations

import gc

import pytest

from agentdesk.ui import collector as C


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def calls(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(C.gc, "collect", lambda *a: seen.append("collect") or 0)
    monkeypatch.setattr(C.gc, "freeze", lambda: seen.append("freeze"))
    saved = gc.get_threshold()
    yield seen
    gc.set_threshold(*saved)


def test_full_passes_wait_for_an_idle_moment_and_the_first_freezes(calls):
    clock = Clock()
    pacing = C.CollectorPacing(clock)
    before = gc.get_threshold()
    pacing.start()
    assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > before[2]
    clock.now += C.EVERY_S - 1
    assert not pacing.tick()  # not yet due
    clock.now += 2
    pacing.input_seen()
    clock.now += C.IDLE_S / 2
    assert not pacing.tick()  # due, but the agent just typed
    clock.now += C.IDLE_S
    assert pacing.tick()
    assert calls == ["collect", "freeze"]
    clock.now += C.EVERY_S + C.IDLE_S
    assert pacing.tick()
    assert calls == ["collect", "freeze", "collect"]  # frozen once only
    pacing.stop()
    assert gc.get_threshold() == before


def test_a_busy_agent_still_gets_a_pass_every_minute(calls):
    clock = Clock()
    pacing = C.CollectorPacing(clock)
    pacing.start()
    for _ in range(int(C.AT_LEAST_S / 0.5) - 1):
        clock.now += 0.5
        pacing.input_seen()
        assert not pacing.tick()
    clock.now += 0.5
    pacing.input_seen()
    assert pacing.tick()
    pacing.stop()


def test_not_started_it_never_collects(calls):
    clock = Clock()
    pacing = C.CollectorPacing(clock)
    clock.now += C.AT_LEAST_S * 2
    assert not pacing.tick() and calls == []
