"""When Python's cyclic garbage collector may stop the UI loop.

A full collection walks every tracked object. In the desk under 200 customer
messages a second, CPython ran one every 2 s on its own, each stopping the loop
for 50-130 ms (p50 54 ms; docs/benchmarks.md): a key typed then waited for it.
Young-generation collections stay CPython's (a few ms each). Full ones are
paced here: never on CPython's own count, but when the agent has not pressed a
key or clicked for `IDLE_S` (at most every `EVERY_S`), and at the latest every
`AT_LEAST_S` whatever the agent does, so cyclic garbage still goes.

The first paced collection also freezes what survives it (`gc.freeze`): the
start-up's modules, widgets and the first views live as long as the app, and
later collections no longer walk them. Cyclic garbage among those frozen
objects (a view of an interaction open at start-up, closed later) is then not
reclaimed: a bounded cost, once.

Only for an app on a real terminal (`PacedCollectionApp.pace_collections`);
headless tests keep CPython's settings. `stop` restores them."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

from textual import events

IDLE_S = 1.0  # no key or click for this long: a pause is not felt
EVERY_S = 10.0  # at most this often while idle
AT_LEAST_S = 60.0  # and at least this often, busy or not
_NEVER = 1_000_000  # CPython's full-collection threshold while paced (in gen-1 passes)


class CollectorPacing:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._last_full = clock()
        self._saved: tuple[int, int, int] | None = None
        self._frozen = False
        self.collections = 0

    @property
    def active(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        """Take full collections over from CPython (young ones stay automatic)."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, _NEVER)
        self._last_full = self._clock()

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Collect if it is time; True when a full collection ran."""
        if self._saved is None:
            return False
        now = self._clock()
        since = now - self._last_full
        if since < AT_LEAST_S and (since < EVERY_S or now - self._last_input < IDLE_S):
            return False
        gc.collect()
        if not self._frozen:
            gc.freeze()  # the start-up's survivors: out of every later walk
            self._frozen = True
        self._last_full = self._clock()
        self.collections += 1
        return True


class PacedCollectionApp:
    """App mixin (listed before `App`) shared by the desk and the monitor: a
    key or a click counts as the user's input, and `pace_collections` (from
    `on_mount`) hands full collections to `CollectorPacing` on a real terminal."""

    collector: CollectorPacing
    is_headless: bool
    set_interval: Any

    def pace_collections(self) -> None:
        if not self.is_headless:
            self.collector.start()
            self.set_interval(0.5, self.collector.tick, name="collector")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.collector.input_seen()
        await super().on_event(event)  # the App's own: this mixin precedes it
