"""Benchmark (headless diagnostic): paging back through a long customer history.

A headless Textual app at 120x40 holds one `Timeline`. It opens on the newest
page (`set_items`, 200 items, `has_more`), then pages back the way the desk
does: the agent is at the top, `prepend_items(older page of 200)`, the
timeline keeps the viewport on what it showed, the next frame is drawn
(`pilot.pause()`), and the agent goes to the top again (Home). Pages are made
as `TimelineItem` models when they are "fetched" and dropped after the
prepend, as the desk does with a `TimelinePage`.

Reported at 1k, 10k, 50k and 200k items loaded: the median cost of the 20
pages before that point (prepend + Home + one frame, and the `prepend_items`
call alone), the median cost of appending one live item there (`append_items`
with one item while scrolled up, so only the widget's bookkeeping is timed),
and the process's RSS after a `gc.collect()`.

Run: .venv/bin/python bench/bench_timeline_paging.py [--items 200000] [--page 200]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agentdesk.domain.models import TimelineItem
from agentdesk.ui.widgets.timeline import Timeline
from bench.bench_timeline import BenchApp, make_items

CHECKPOINTS = (1_000, 10_000, 50_000, 200_000)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def page(total: int, start: int, count: int) -> list[TimelineItem]:
    """Items start..start+count of a `total`-item history (ids and times as
    bench_timeline makes them), built now, as a fetched page would be."""
    items = make_items(start + count)[start:] if start < 2_000 else _shifted(start, count)
    return items


def _shifted(start: int, count: int) -> list[TimelineItem]:
    items = make_items(count)
    return [item.model_copy(update={"id": f"t{start + n}", "at": item.at + start * 900,
                                    "interaction_id": f"int-{(start + n) // 12}"})
            for n, item in enumerate(items)]


async def run(total: int, size: int) -> list[dict[str, float]]:
    app = BenchApp()
    rows: list[dict[str, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = app.query_one(Timeline)
        start = total - size
        timeline.set_items(page(total, start, size), has_more=True)
        await pilot.pause()
        costs: list[tuple[float, float]] = []
        checkpoints = [c for c in CHECKPOINTS if c <= total]
        live = total
        while start > 0:
            count = min(size, start)
            start -= count
            older = page(total, start, count)
            t0 = time.perf_counter()
            timeline.prepend_items(older, has_more=start > 0)
            t1 = time.perf_counter()
            timeline.action_home()
            await pilot.pause()
            t2 = time.perf_counter()
            del older
            costs.append((t2 - t0, t1 - t0))
            loaded = total - start
            if checkpoints and loaded >= checkpoints[0]:
                mark = checkpoints.pop(0)
                recent = costs[-20:]
                appends = []
                for _ in range(50):
                    item = _shifted(live, 1)[0]
                    live += 1
                    a0 = time.perf_counter()
                    timeline.append_items([item])
                    appends.append(time.perf_counter() - a0)
                await pilot.pause()
                gc.collect()
                rows.append({
                    "items": mark,
                    "page_ms": statistics.median(c[0] for c in recent) * 1000,
                    "prepend_ms": statistics.median(c[1] for c in recent) * 1000,
                    "append_us": statistics.median(appends) * 1e6,
                    "rss_mb": rss_mb(),
                })
                print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--page", type=int, default=200)
    args = parser.parse_args()
    base = rss_mb()
    rows = asyncio.run(run(args.items, args.page))
    print(f"\nRSS before the app: {base:.0f} MB; page = {args.page} items")
    print("| items loaded | page back (prepend + Home + frame), median ms | prepend_items ms "
          "| append one live item, median µs | RSS MB |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['items']:,} | {r['page_ms']:.1f} | {r['prepend_ms']:.2f} | {r['append_us']:.0f} "
              f"| {r['rss_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
