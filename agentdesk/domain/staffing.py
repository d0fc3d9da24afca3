"""Staffing now: how many agents each queue needs at this moment to meet its
service-level goal, from the arrival rate and handle time of the last minutes.
Pure (no Textual, no IO); docs/monitor.md "Staffing now" has the formula, its
assumptions and a hand-checked example.

Erlang C (voice): with arrivals at rate λ (contacts/s), average handle time
AHT (s) and N agents, the offered load is A = λ·AHT Erlangs, and

    P(wait) = C(N, A) = B·N / (N − A·(1 − B)),  B = Erlang B(N, A)
    SL(T)   = 1 − C(N, A) · e^(−(N − A)·T / AHT)      (N > A)

Erlang B by its stable recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)).
The agents needed are the smallest N > A with SL(T) ≥ the goal.

Chat, SMS, social and email (concurrency): an agent works up to `c` such
contacts at once (the capacity limit of the channel), so each agent is
treated as `c` servers, each taking one contact for the contact's own handle
time (measured per contact, so the slow-down of working several at once is
already in it). The servers needed come from the same Erlang C with the
queue's threshold; the agents needed are ⌈servers / c⌉.

The rate and AHT come from `FigureHistory`: the cumulative figures of each
queue (and channel) sampled as they arrive, differenced over the window
(15 or 30 minutes; less right after the monitor opened, never under
`MIN_SPAN_S`).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from agentdesk.domain.models import Channel, QueueFigures, QueueStats

WINDOWS_S = (15 * 60.0, 30 * 60.0)
MIN_SPAN_S = 120.0  # less history than this says nothing about a rate
MAX_AGENTS = 10_000  # a search bound, far above any floor


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of `servers` with `load` Erlangs (stable recursion)."""
    b = 1.0
    for n in range(1, servers + 1):
        b = load * b / (n + load * b)
    return b


def erlang_c(servers: int, load: float) -> float:
    """Probability that a contact waits (1.0 when servers <= load: the queue grows)."""
    if load <= 0:
        return 0.0
    if servers <= load:
        return 1.0
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1.0 - b))


def service_level(servers: int, load: float, aht_s: float, threshold_s: float) -> float:
    """Fraction of contacts answered within `threshold_s` (0..1)."""
    if load <= 0:
        return 1.0
    if servers <= load:
        return 0.0
    return 1.0 - erlang_c(servers, load) * math.exp(-(servers - load) * threshold_s / aht_s)


@dataclass(frozen=True, slots=True)
class Need:
    """What a queue (or one channel of it) needs now."""

    agents: int  # agents needed to meet the goal
    servers: int  # slots needed (agents × concurrency)
    load: float  # offered load, Erlangs (λ·AHT)
    rate_per_h: float  # arrivals per hour in the window
    aht_s: float
    expected_sl_pct: float  # the SL those agents should give
    concurrency: int = 1


def agents_needed(rate_per_s: float, aht_s: float, threshold_s: float, target_pct: float,
                  concurrency: int = 1) -> Need:
    """The smallest staffing whose Erlang C service level meets `target_pct`."""
    concurrency = max(1, concurrency)
    load = max(0.0, rate_per_s) * max(0.0, aht_s)
    if load <= 0:
        return Need(0, 0, 0.0, rate_per_s * 3600, aht_s, 100.0, concurrency)
    goal = min(max(target_pct, 0.0), 99.999) / 100.0
    servers = max(1, math.floor(load) + 1)
    while servers < MAX_AGENTS and service_level(servers, load, aht_s, threshold_s) < goal:
        servers += 1
    sl = service_level(servers, load, aht_s, threshold_s)
    return Need(math.ceil(servers / concurrency), servers, load, rate_per_s * 3600, aht_s,
                sl * 100.0, concurrency)


# -- the rate and AHT of the last minutes ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    at: float
    offered: int
    answered: int
    handle_total_s: float  # aht × answered (the server's AHT over its contacts)


def sample_of(at: float, figures: QueueFigures) -> Sample:
    aht = figures.aht_s if figures.aht_s is not None and math.isfinite(figures.aht_s) else 0.0
    return Sample(at, figures.offered, figures.answered, aht * figures.answered)


@dataclass(frozen=True, slots=True)
class Window:
    span_s: float  # how much history the figures cover
    rate_per_s: float
    aht_s: float | None  # None: nothing answered in the window


class FigureHistory:
    """Cumulative figures per (queue, channel or None), kept for the longest window."""

    def __init__(self, keep_s: float = max(WINDOWS_S)) -> None:
        self.keep_s = keep_s
        self.series: dict[tuple[str, Channel | None], deque[Sample]] = {}

    def observe(self, at: float, stats: Iterable[QueueStats]) -> None:
        for qs in stats:
            self._add((qs.queue_id, None), sample_of(at, qs))
            for cs in qs.channels:
                self._add((qs.queue_id, cs.channel), sample_of(at, cs))

    def _add(self, key: tuple[str, Channel | None], sample: Sample) -> None:
        series = self.series.setdefault(key, deque())
        if series and sample.at <= series[-1].at:
            if sample.at == series[-1].at:
                series[-1] = sample
            return
        if series and sample.offered < series[-1].offered:  # the server's day restarted
            series.clear()
        series.append(sample)
        while len(series) > 2 and series[1].at <= sample.at - self.keep_s:
            series.popleft()

    def window(self, queue_id: str, channel: Channel | None, now: float,
               window_s: float) -> Window | None:
        """Arrival rate and AHT over the last `window_s` (or what history there is,
        if at least MIN_SPAN_S); None without enough history."""
        series = self.series.get((queue_id, channel))
        if not series or len(series) < 2:
            return None
        last = series[-1]
        # The last sample at or before the window's start covers all of it; without
        # one, the oldest there is (the monitor opened less than a window ago).
        older = [s for s in series if s.at <= now - window_s]
        first = older[-1] if older else series[0]
        span = last.at - first.at
        if span < MIN_SPAN_S:
            return None
        answered = last.answered - first.answered
        handle = last.handle_total_s - first.handle_total_s
        aht = handle / answered if answered > 0 and handle > 0 else None
        return Window(span, max(0, last.offered - first.offered) / span, aht)


# -- per queue ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueStaffing:
    queue_id: str
    needed: int | None  # None: not enough history yet
    staffed: int  # signed in to the queue and not away
    available: int
    channels: Mapping[Channel, Need]
    window_s: float


def queue_staffing(history: FigureHistory, queue_id: str, channels: Iterable[Channel],
                   threshold_s: float, target_pct: float, concurrency: Mapping[Channel, int],
                   agents: Mapping[str, int], now: float,
                   window_s: float = WINDOWS_S[0]) -> QueueStaffing:
    """The agents a queue needs now: per channel (Erlang C, with the channel's
    concurrency), summed (an upper bound when agents are blended: one agent can
    take a chat and an email at once)."""
    needs: dict[Channel, Need] = {}
    known = False
    channel_list = list(channels)
    for channel in channel_list:
        key = channel if len(channel_list) > 1 else None
        win = history.window(queue_id, key, now, window_s)
        if win is None:
            continue
        known = True
        if win.aht_s is None:
            continue  # arrivals but nothing handled yet: no AHT to size with
        needs[channel] = agents_needed(win.rate_per_s, win.aht_s, threshold_s, target_pct,
                                       concurrency.get(channel, 1))
    staffed = sum(agents.get(k, 0) for k in ("available", "busy", "acw", "not_responding"))
    return QueueStaffing(queue_id, sum(n.agents for n in needs.values()) if known else None,
                         staffed, agents.get("available", 0), needs, window_s)


def concurrency_of(agents: Iterable[object], queue_id: str, channel: Channel) -> int:
    """How many contacts of `channel` an agent of the queue takes at once: the
    median capacity limit of the queue's agents for it (1 when unknown)."""
    limits = sorted(load.limit for a in agents if queue_id in getattr(a, "queues", ())
                    and (load := a.capacity.channels.get(channel)) is not None  # type: ignore[attr-defined]
                    and load.limit > 0)
    return limits[len(limits) // 2] if limits else 1


def floor_staffing(floor: object, history: FigureHistory, queue_id: str, now: float,
                   window_s: float = WINDOWS_S[0]) -> QueueStaffing | None:
    """`queue_staffing` for a queue of a `domain.floor.Floor` (None: unknown queue)."""
    queue = floor.queues.get(queue_id)  # type: ignore[attr-defined]
    if queue is None:
        return None
    stats = floor.queue_stats.get(queue_id)  # type: ignore[attr-defined]
    agents = floor.agents.values()  # type: ignore[attr-defined]
    concurrency = {c: concurrency_of(agents, queue_id, c) if c is not Channel.VOICE else 1
                   for c in queue.channels}
    return queue_staffing(history, queue_id, queue.channels, queue.sl_threshold_s,
                          queue.sl_target_pct, concurrency,
                          stats.agents if stats is not None else {}, now, window_s)
