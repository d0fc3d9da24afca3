"""The screen's frame timer, with Textual 8.2's catch-up overshoot fixed.

Textual paints a screen from a repeating 1/60 s timer that is paused while
nothing is dirty. When a tick comes late (the loop was busy, or the timer sat
paused past its due time because nothing needed painting), Textual 8.2's
`Timer._run` skips with `count = int((now - start) / interval + 1)` and then
waits for tick `count + 1`: one tick further than the first one still ahead.
So after every late or idle frame the screen cannot paint for 17-33 ms,
whatever becomes dirty meanwhile; a keystroke landing then waits for it
(docs/benchmarks.md, "## Desk": this was most of the keystroke p95 under load).

`FrameTimer` is the same loop with the skip going to the first tick still
ahead (as earlier Textual versions did); frames stay at most one per tick.
`frame_timer_for(screen, period, callback)` makes the screen's update timer
the way Textual does and swaps the class; if Textual's `Timer` ever changes
shape, the stock timer is kept. tests/ui/test_frame_timer.py checks both
behaviours.
"""

from __future__ import annotations

import importlib
from typing import Any

from textual.screen import UPDATE_PERIOD
from textual.timer import EventTargetGone, Timer


def _optional_module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_time: Any = _optional_module("textual._time")  # the frame timer's clock (None: stock timer)


class FrameTimer(Timer):
    """A repeating timer whose skip lands on the next tick still ahead."""

    async def _run(self) -> None:
        interval = self._interval
        if interval <= 0:
            await super()._run()
            return
        count = 0
        repeat = self._repeat
        await self._active.wait()
        clock: Any = _time
        start = clock.get_time()
        while repeat is None or count <= repeat:
            next_timer = start + (count + 1) * interval
            now = clock.get_time()
            if self._skip and next_timer < now:
                # Ticks in the past are dropped; the next one is the first still ahead.
                count = max(count + 1, int((now - start) / interval))
                continue
            await clock.sleep(next_timer - now)
            count += 1
            await self._active.wait()
            if self._reset:
                start = clock.get_time()
                count = 0
                self._reset = False
                continue
            try:
                await self._tick(next_timer=next_timer, count=count)
            except EventTargetGone:
                break


def frame_timer_compatible() -> bool:
    """True while Textual's Timer has the internals `FrameTimer._run` relies on."""
    return _time is not None and all(hasattr(Timer, name) for name in ("_run", "_run_timer", "_tick", "_active"))


def swap_in(timer: Timer) -> Timer:
    """Make a just-created (not yet running) interval timer a `FrameTimer`.

    `set_interval` creates the timer's task at once, but the task only looks up
    `_run` when it first runs, so changing the class right away is enough; the
    timer stays registered with its owner (stopped with it)."""
    if type(timer) is Timer and frame_timer_compatible():
        timer.__class__ = FrameTimer
    return timer


def frame_timer_for(screen: Any, period: float, callback: Any) -> Timer:
    """The screen's update timer as Textual makes it, as a `FrameTimer`."""
    return swap_in(screen.set_interval(period, callback, name="screen_update", pause=True))


class FrameTimedScreen:
    """Screen mixin (listed before `Screen`): the screen's update timer, which
    Textual makes lazily, made the same way as a `FrameTimer`. Overrides the
    private `Screen._update_timer` (listed in `textual_compat.OVERRIDES`)."""

    _on_timer_update: Any  # the screen's own (Screen comes after this mixin)

    @property
    def _update_timer(self) -> Timer:
        timer: Timer | None = getattr(self, "_frame_timer", None)
        if timer is None:
            timer = self._frame_timer = frame_timer_for(self, UPDATE_PERIOD, self._on_timer_update)
        return timer
