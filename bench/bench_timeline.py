"""Benchmark: open a 50,000-item customer timeline and scroll it.

Measures, in a headless Textual app at 120x40:
- open: `Timeline.set_items(50k)` until the first frame is painted (median of runs),
  next to the same for 50 items (the floor: everything but the item count);
- scroll: pageup x 200 from the bottom, then home, mean time per key;
- rendered: how many items were rendered (wrapped) in total, vs 50,000;
- memory: what `set_items` allocates (tracemalloc), i.e. the widget's index on
  top of the items themselves, and the size of the items for comparison.

Run: .venv/bin/python bench/bench_timeline.py [--items 50000] [--runs 5]
Results go in docs/benchmarks.md under "## Timeline".
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
import tracemalloc
from datetime import UTC
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult

from agentdesk.domain.models import Channel, Direction, TimelineItem, TimelineKind
from agentdesk.ui.widgets.timeline import Timeline

T0 = 1772445600.0
THEME = {
    "channel-chat": "#5fafff", "channel-email": "#d7af5f", "channel-sms": "#87d787",
    "channel-social": "#d787d7", "channel-voice": "#ff875f", "note-background": "#4a3f1a",
    "inbound-background": "#1f2a36", "outbound-background": "#1f3622",
    "transcript-foreground": "#afafd7", "muted-foreground": "#8a8a8a",
}
KINDS = [TimelineKind.MESSAGE] * 6 + [TimelineKind.NOTE, TimelineKind.CALL, TimelineKind.TRANSCRIPT,
                                      TimelineKind.SYSTEM]
CHANNELS = list(Channel)
BODIES = [
    "Hi, where is my parcel?",
    "I have been waiting for a week now and the tracking page has not changed since Monday. "
    "Could you please check with the carrier and tell me when it will arrive?",
    "Thanks!\nThat solved it.",
    "Dear support,\n\nI was charged twice for order 4411. Please refund the duplicate payment to my card "
    "as soon as possible.\n\nBest regards,\nAlice",
]


def make_items(count: int) -> list[TimelineItem]:
    items = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        channel = CHANNELS[(i // 7) % 5]
        items.append(TimelineItem(
            id=f"t{i}", customer_id="c1", interaction_id=f"int-{i // 12}", channel=channel, kind=kind,
            direction=Direction.INBOUND if i % 2 else Direction.OUTBOUND,
            author="Alice Moreau" if i % 2 else "Bob (agent)", body=BODIES[i % len(BODIES)],
            subject="Order 4411" if channel is Channel.EMAIL else None, at=T0 + i * 900,
            speaker="customer" if kind is TimelineKind.TRANSCRIPT else None,
        ))
    return items


class BenchApp(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **THEME}

    def compose(self) -> ComposeResult:
        yield Timeline(tz=UTC)


async def open_once(items: list[TimelineItem]) -> tuple[float, float, int]:
    """(first frame, idle, items rendered): the first frame is done when the
    compositor has asked the timeline for its last visible line; idle is when
    the app has nothing left to do (the id index is built after the first frame)."""
    app = BenchApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timeline = app.query_one(Timeline)
        last_row = timeline.scrollable_content_region.height - 1
        first_frame: list[float] = []
        render_line = timeline.render_line

        def timed_render_line(y: int):
            strip = render_line(y)
            if y == last_row and not first_frame:
                first_frame.append(time.perf_counter())
            return strip

        timeline.render_line = timed_render_line  # type: ignore[method-assign]
        start = time.perf_counter()
        timeline.set_items(items, has_more=False)
        await pilot.pause()
        idle = time.perf_counter() - start
        return first_frame[0] - start, idle, timeline.render_count


async def scroll(items: list[TimelineItem], pages: int) -> tuple[float, int]:
    """Per page: the scroll action plus rendering every visible line (a frame's
    worth of widget work; Pilot's own per-key waits are left out)."""
    app = BenchApp()
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = app.query_one(Timeline)
        timeline.set_items(items, has_more=False)
        await pilot.pause()
        height = timeline.scrollable_content_region.height
        start = time.perf_counter()
        for _ in range(pages):
            timeline.action_page_up()
            for y in range(height):
                timeline.render_line(y)
        timeline.action_home()
        for y in range(height):
            timeline.render_line(y)
        elapsed = time.perf_counter() - start
        return elapsed / (pages + 1), timeline.render_count


async def memory(items: list[TimelineItem]) -> tuple[int, int]:
    app = BenchApp()
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = app.query_one(Timeline)
        gc.collect()
        tracemalloc.start()
        before, _ = tracemalloc.get_traced_memory()
        timeline.set_items(items, has_more=False)
        await pilot.pause()
        after, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return after - before, 0


def items_size(count: int) -> int:
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    items = make_items(count)
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del items
    return after - before


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    items = make_items(args.items)
    small = items[-50:]
    big_frame, big_idle, small_frame, rendered = [], [], [], 0
    for _ in range(args.runs):
        frame, idle, rendered = await open_once(items)
        big_frame.append(frame)
        big_idle.append(idle)
        small_frame.append((await open_once(small))[0])
    per_key, scrolled = await scroll(items, args.pages)
    index_bytes, _ = await memory(items)
    model_bytes = items_size(args.items)
    print(f"items: {args.items:,}  runs: {args.runs}  terminal: 120x40  python {sys.version.split()[0]}")
    def ms(values: list[float]) -> str:
        low, mid, high = (v * 1000 for v in (min(values), statistics.median(values), max(values)))
        return f"median {mid:.0f} ms (min {low:.0f}, max {high:.0f})"
    print(f"open {args.items:,} items, set_items to first frame: {ms(big_frame)}")
    print(f"open {args.items:,} items, set_items to idle (index built too): {ms(big_idle)}")
    print(f"open 50 items, set_items to first frame (floor): {ms(small_frame)}")
    print(f"items rendered for the first paint: {rendered}")
    print(f"scroll: {args.pages} x pageup + home: {per_key * 1000:.2f} ms per page (action + visible lines), "
          f"{scrolled:,} items rendered in total")
    print(f"memory: set_items allocates {index_bytes / 1e6:.1f} MB (index + rendered cache); "
          f"the {args.items:,} TimelineItem models themselves take {model_bytes / 1e6:.1f} MB")


if __name__ == "__main__":
    asyncio.run(main())
