"""KB latency and size over a synthetic 10,000-article corpus.

    python bench/bench_kb_latency.py [--articles 10000] [--queries 400]

Articles are synthesised by recombining paragraphs of the real demo articles
(random title + 3-6 paragraphs drawn from the whole KB, seeded), so the
vocabulary and term statistics are realistic and every query term has many
postings (the hard case for ranking speed). Queries: the eval-set queries and
conversation turn lists, cycled. Reports index build time, index size on
disk, process memory growth, and p50/p95/p99 of search() and suggest().
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_kb_common import EVAL_DEMO, demo_articles, load_eval

from agentdesk.domain.models import KbArticle
from agentdesk.kb import KnowledgeBase
from agentdesk.kb.index import KbIndex


def synthesise(n: int, seed: int = 7) -> list[KbArticle]:
    rng = random.Random(seed)
    base = demo_articles()
    paragraphs = [p for a in base for p in a.body.split("\n\n") if len(p.split()) >= 8]
    out = []
    for i in range(n):
        src = rng.choice(base)
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(3, 6)))
        out.append(KbArticle(id=f"syn-{i:05d}", title=f"{src.title} ({i})", body=body,
                             tags=src.tags, updated_at=float(i)))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=400)
    args = ap.parse_args(argv)

    articles = synthesise(args.articles)
    cases = load_eval(EVAL_DEMO)
    rss0 = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.sqlite3"
        t0 = time.perf_counter()
        index = KbIndex(path)
        index.upsert(articles)
        build_s = time.perf_counter() - t0
        size_mb = index.size_bytes() / 1e6
        index.close()
        t0 = time.perf_counter()
        index = KbIndex(path)  # includes PRAGMA quick_check of the whole file
        open_ms = (time.perf_counter() - t0) * 1000
        kb = KnowledgeBase.from_index(index)
        t0 = time.perf_counter()
        kb.warm_up()
        warm_ms = (time.perf_counter() - t0) * 1000
        search_ms, suggest_ms, search_cpu, suggest_cpu = [], [], [], []
        for i in range(args.queries):
            case = cases[i % len(cases)]
            text = case.get("query") or case["turns"][-1]
            t, c = time.perf_counter(), time.thread_time()
            kb.search(text, n=5)
            search_ms.append((time.perf_counter() - t) * 1000)
            search_cpu.append((time.thread_time() - c) * 1000)
            turns = case.get("turns") or [cases[(i + 7) % len(cases)].get("query", "hello"), text]
            t, c = time.perf_counter(), time.thread_time()
            kb.suggest(turns, n=3)
            suggest_ms.append((time.perf_counter() - t) * 1000)
            suggest_cpu.append((time.thread_time() - c) * 1000)
        t0 = time.perf_counter()
        index.upsert([articles[0].model_copy(update={"body": "changed", "updated_at": -1.0})])
        update_ms = (time.perf_counter() - t0) * 1000
        rss1 = rss_mb()
    print(f"articles: {args.articles}   queries: {args.queries} search + {args.queries} suggest")
    print(f"index build: {build_s:.2f} s   index on disk: {size_mb:.1f} MB   "
          f"peak RSS growth: {rss1 - rss0:.0f} MB (peak RSS {rss1:.0f} MB)")
    print(f"open existing index: {open_ms:.0f} ms   warm_up(): {warm_ms:.0f} ms   "
          f"single-article update: {update_ms:.1f} ms")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
          "(wall-clock figures include waiting for a CPU; CPU time does not)")
    for name, ms in (("search(n=5)", search_ms), ("suggest(n=3)", suggest_ms),
                     ("search CPU", search_cpu), ("suggest CPU", suggest_cpu)):
        print(f"{name:13s} p50 {statistics.median(ms):5.2f} ms   p95 {percentile(ms, 95):5.2f} ms"
              f"   p99 {percentile(ms, 99):5.2f} ms   max {max(ms):5.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
