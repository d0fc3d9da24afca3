"""Ablations and a small parameter sweep for the KB ranker, on the DEV half.

    python bench/bench_kb_tune.py [--sweep]

Every configuration is scored on the dev half of both eval sets (the only
numbers used to choose), and the held-out test half is printed next to it
for honesty. Ablations switch one idea off at a time to show what each buys.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_kb_common import (
    EVAL_DEBIAN,
    EVAL_DEMO,
    debian_articles,
    debian_faq_dir,
    demo_articles,
    load_eval,
)

from agentdesk.kb import KnowledgeBase, text
from agentdesk.kb.evaluation import evaluate
from agentdesk.kb.ranker import RankParams


@contextmanager
def patched(module, **attrs) -> Iterator[None]:
    old = {k: getattr(module, k) for k in attrs}
    for k, v in attrs.items():
        setattr(module, k, v)
    text.canonical_term.cache_clear()
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(module, k, v)
        text.canonical_term.cache_clear()


ABLATIONS: dict[str, Callable[[], object]] = {
    "full": lambda: patched(text),
    "no stemming": lambda: patched(text, porter_stem=lambda w: w),
    "no synonyms": lambda: patched(text, _SYNONYMS={}),
    "no joins": lambda: patched(text, _JOINS={}, _JOIN_RE=__import__("re").compile(r"(?!x)x")),
    "no stop words": lambda: patched(text, STOP_WORDS=frozenset()),
    "no chatter words": lambda: patched(text, STOP_WORDS=text.BASE_STOP_WORDS),
}
PARAM_ABLATIONS = {
    "no field weights": dict(title_weight=1.0, tags_weight=1.0),
    "no bigram bonus": dict(bigram_title_bonus=0.0, bigram_body_bonus=0.0),
    "no length norm": dict(title_b=0.0, tags_b=0.0, body_b=0.0),
    "no title coverage": dict(title_coverage_bonus=0.0),
}


def corpora() -> list[tuple[str, list, list[dict]]]:
    out = [("demo", demo_articles(), load_eval(EVAL_DEMO))]
    folder = debian_faq_dir()
    if folder:
        out.append(("debian", debian_articles(folder), load_eval(EVAL_DEBIAN)))
    return out


def score(params: RankParams, data) -> dict[str, tuple[float, float]]:
    out = {}
    for name, articles, cases in data:
        kb = KnowledgeBase.from_articles(articles, params)

        def rank(case: dict, kb=kb) -> list[str]:
            if "turns" in case:
                return [s.article_id for s in kb.suggest(case["turns"], n=5)]
            return [s.article_id for s in kb.search(case["query"], n=5)]

        for split in ("dev", "test"):
            q = evaluate([c for c in cases if c["split"] == split], rank)
            out[f"{name}/{split}"] = (q.mrr_at_5, q.recall_at_3)
    return out


def line(label: str, res: dict[str, tuple[float, float]]) -> str:
    cells = "  ".join(f"{k} {m:.3f}/{r:.3f}" for k, (m, r) in res.items())
    return f"{label:22s} {cells}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="grid over a few parameters (slow)")
    args = ap.parse_args(argv)
    data = corpora()
    print("MRR@5/recall@3 per corpus/split")
    for label, ctx in ABLATIONS.items():
        with ctx():
            print(line(label, score(RankParams(), data)))
    for label, changes in PARAM_ABLATIONS.items():
        print(line(label, score(dataclasses.replace(RankParams(), **changes), data)))
    if args.sweep:
        grid = itertools.product((1.2, 2.0), (2.0, 3.0, 5.0), (0.4, 0.75), (0.3, 0.6, 1.0))
        results = []
        for k1, tw, bb, bt in grid:
            p = dataclasses.replace(RankParams(), k1=k1, title_weight=tw, body_b=bb,
                                    bigram_title_bonus=bt)
            res = score(p, data)
            dev = sum(m for k, (m, _r) in res.items() if k.endswith("/dev"))
            results.append((dev, f"k1={k1} title={tw} body_b={bb} bigram={bt}", res))
        for _dev, label, res in sorted(results, reverse=True)[:8]:
            print(line(label, res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
