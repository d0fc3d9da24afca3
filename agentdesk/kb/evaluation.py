"""Retrieval-quality measures for the KB, and the plain-BM25 baseline.

Used by bench/bench_kb_quality.py and the quality regression test. An eval
case is {"query": str} or {"turns": [str, ...]}, plus {"relevant": [ids]}.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agentdesk.domain.models import KbArticle

Ranking = Callable[[dict], list[str]]  # eval case -> ranked article ids

_PLAIN_TOKEN = re.compile(r"\w+")


def plain_tokens(text: str) -> list[str]:
    """The baseline's tokeniser: lower-case word characters, nothing else."""
    return _PLAIN_TOKEN.findall(text.lower())


def case_text(case: dict) -> str:
    """The whole query text of a case (conversation turns joined)."""
    if "turns" in case:
        return "\n".join(case["turns"])
    return case["query"]


class PlainBM25:
    """rank_bm25's BM25Okapi over title + body tokens: the reference to beat."""

    def __init__(self, articles: Sequence[KbArticle]) -> None:
        from rank_bm25 import BM25Okapi  # test/bench dependency only

        self.ids = [a.id for a in articles]
        self.bm25 = BM25Okapi([plain_tokens(f"{a.title}\n{a.body}") for a in articles])

    def rank(self, text: str, n: int = 10) -> list[str]:
        scores = self.bm25.get_scores(plain_tokens(text))
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], self.ids[i]))
        return [self.ids[i] for i in order[:n] if scores[i] > 0]


@dataclass(frozen=True)
class Quality:
    mrr_at_5: float
    recall_at_3: float
    n: int

    def __str__(self) -> str:
        return f"MRR@5 {self.mrr_at_5:.3f}  recall@3 {self.recall_at_3:.3f}  (n={self.n})"


def evaluate(cases: Sequence[dict], ranking: Ranking) -> Quality:
    """MRR@5 (first relevant hit) and recall@3 (share of relevant ids in the
    top 3, capped by min(3, |relevant|) so a case can always reach 1.0)."""
    if not cases:
        return Quality(0.0, 0.0, 0)
    rr_total = recall_total = 0.0
    for case in cases:
        relevant = set(case["relevant"])
        ranked = ranking(case)
        rr = 0.0
        for pos, article_id in enumerate(ranked[:5], start=1):
            if article_id in relevant:
                rr = 1.0 / pos
                break
        rr_total += rr
        hits = len(relevant & set(ranked[:3]))
        recall_total += hits / min(3, len(relevant))
    return Quality(rr_total / len(cases), recall_total / len(cases), len(cases))
