"""The desk's frame timer: after a late tick the next frame is the next tick still
ahead (Textual 8.2's own timer waits one tick more: 17-33 ms with nothing painted)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from textual.timer import Timer

from agentdesk.ui.textual_compat import frame_timer
from agentdesk.ui.textual_compat.frame_timer import FrameTimer, swap_in

INTERVAL = 1 / 60


class Target:
    """Any object a timer can hold a weak reference to."""


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def get_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


async def _ticks(timer_class: type[Timer], monkeypatch, frame_costs: list[float]) -> list[float]:
    """Tick times (in intervals since the start) of a timer whose frames cost
    `frame_costs` (in intervals), one per tick."""
    fake = FakeTime()
    monkeypatch.setattr(frame_timer, "_time", SimpleNamespace(get_time=fake.get_time, sleep=fake.sleep))
    monkeypatch.setattr("textual.timer._time.get_time", fake.get_time)
    monkeypatch.setattr("textual.timer.sleep", fake.sleep)
    timer = timer_class(Target(), INTERVAL, name="screen_update")
    start = fake.now
    ticks: list[float] = []

    async def tick(*, next_timer: float, count: int) -> None:
        ticks.append(round((fake.now - start) / INTERVAL, 2))
        fake.now += frame_costs[len(ticks) - 1] * INTERVAL
        if len(ticks) == len(frame_costs):
            raise asyncio.CancelledError

    timer._tick = tick  # type: ignore[method-assign]
    try:
        await timer._run()
    except asyncio.CancelledError:
        pass
    return ticks


async def test_a_slow_frame_delays_the_next_one_to_the_next_tick_only(monkeypatch):
    # frame 2 overruns by 0.3 of an interval: the next tick still ahead is at 3
    assert await _ticks(FrameTimer, monkeypatch, [0.1, 1.3, 0.1, 0.1]) == [1.0, 2.0, 4.0, 5.0]
    # a frame of 2.5 intervals: next at 5 (the first tick after 4.5)
    assert await _ticks(FrameTimer, monkeypatch, [0.1, 2.5, 0.1]) == [1.0, 2.0, 5.0]


async def test_textual_timer_waits_one_tick_more(monkeypatch):
    """Documents the behaviour FrameTimer replaces (if this starts failing, Textual
    has fixed it and FrameTimer can go)."""
    assert await _ticks(Timer, monkeypatch, [0.1, 1.3, 0.1, 0.1]) == [1.0, 2.0, 5.0, 6.0]


async def test_the_desk_screen_uses_it():
    from textual.app import App

    from agentdesk.ui.screens.desk_screen import DeskScreen

    app = App()
    async with app.run_test() as pilot:
        owner = _TimerOwner(app)
        timer = DeskScreen._update_timer.fget(owner)  # type: ignore[attr-defined]
        assert isinstance(timer, FrameTimer) and timer.name == "screen_update"
        assert DeskScreen._update_timer.fget(owner) is timer  # made once
        timer.stop()
        await pilot.pause()
    target = Target()
    assert isinstance(swap_in(Timer(target, INTERVAL)), FrameTimer)


class _TimerOwner:
    """Stands in for the screen: what `DeskScreen._update_timer` touches."""

    def __init__(self, app: object) -> None:
        self._app = app

    def set_interval(self, *args: object, **kwargs: object) -> Timer:
        return self._app.set_interval(*args, **kwargs)  # type: ignore[attr-defined]

    def _on_timer_update(self) -> None:
        pass
