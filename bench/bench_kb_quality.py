"""KB ranking quality: agentdesk vs plain Okapi BM25 (kb/evaluation.py: rank_bm25's formula and
defaults), same articles.

    python bench/bench_kb_quality.py [--split dev|test|all] [--show-misses]

Corpora: the shipped Brightline demo KB with tests/data/kb_eval.jsonl, and
the Debian FAQ (package debian-faq, one article per question) with
tests/data/kb_eval_debian.jsonl; that part is skipped if the package is absent.
Reports MRR@5 and recall@3 per split (dev = the half used while tuning,
test = held out).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_kb_common import (
    EVAL_DEBIAN,
    EVAL_DEMO,
    TOPICS,
    debian_articles,
    debian_faq_dir,
    demo_articles,
    load_eval,
)

from agentdesk.kb import KnowledgeBase
from agentdesk.kb.evaluation import PlainBM25, case_text, evaluate


def agentdesk_ranking(kb: KnowledgeBase):
    def rank(case: dict) -> list[str]:
        if "turns" in case:
            return [s.article_id for s in kb.suggest(case["turns"], n=5)]
        return [s.article_id for s in kb.search(case["query"], n=5)]
    return rank


def bm25_ranking(bm25: PlainBM25):
    return lambda case: bm25.rank(case_text(case), n=5)


def report(name: str, articles, cases, show_misses: bool) -> list[str]:
    kb = KnowledgeBase.from_articles(articles)
    bm25 = PlainBM25(articles)
    ours, base = agentdesk_ranking(kb), bm25_ranking(bm25)
    lines = [f"### {name}: {len(articles)} articles, {len(cases)} queries", "",
             "| split | ranker | MRR@5 | recall@3 | n |", "|---|---|---|---|---|"]
    for split in ("dev", "test", "all"):
        subset = [c for c in cases if split == "all" or c.get("split") == split]
        for label, ranking in (("agentdesk", ours), ("plain BM25", base)):
            q = evaluate(subset, ranking)
            lines.append(f"| {split} | {label} | {q.mrr_at_5:.3f} | {q.recall_at_3:.3f} | {q.n} |")
    if show_misses:
        lines.append("")
        for case in cases:
            got = ours(case)[:3]
            if not set(case["relevant"]) & set(got):
                lines.append(f"MISS [{case.get('split')}] {case_text(case)[:70]!r} "
                             f"want {case['relevant']} got {got} (bm25 {base(case)[:3]})")
    return lines


def topics_report() -> list[str]:
    """The mock server's customer openers (topics.json) as queries for their
    own article: written before tuning and never looked at while tuning."""
    topics = json.loads(TOPICS.read_text())
    cases = [{"query": o, "relevant": [slug]} for slug, t in topics.items() for o in t["openers"]]
    articles = demo_articles()
    kb, bm25 = KnowledgeBase.from_articles(articles), PlainBM25(articles)
    lines = [f"### topics.json openers as queries: {len(cases)} queries, not used for tuning", "",
             "| ranker | MRR@5 | recall@3 | n |", "|---|---|---|---|"]
    for label, ranking in (("agentdesk", agentdesk_ranking(kb)), ("plain BM25", bm25_ranking(bm25))):
        q = evaluate(cases, ranking)
        lines.append(f"| {label} | {q.mrr_at_5:.3f} | {q.recall_at_3:.3f} | {q.n} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-misses", action="store_true", help="list queries with no hit in top 3")
    args = ap.parse_args(argv)
    out = report("Brightline demo KB", demo_articles(), load_eval(EVAL_DEMO), args.show_misses)
    out += [""] + topics_report()
    folder = debian_faq_dir()
    if folder is None:
        out += ["", "Debian FAQ: skipped (install the debian-faq package: "
                "apt-get install -y debian-faq)"]
    else:
        out += [""] + report("Debian FAQ", debian_articles(folder), load_eval(EVAL_DEBIAN),
                             args.show_misses)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
