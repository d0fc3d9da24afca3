"""Retrieval-quality measures for the KB, and the plain-BM25 baseline.

Used by bench/bench_kb_quality.py and the quality regression test. An eval
case is {"query": str} or {"turns": [str, ...]}, plus {"relevant": [ids]}.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from agentdesk.domain.models import KbArticle

Ranking = Callable[[dict[str, Any]], list[str]]  # eval case -> ranked article ids

_PLAIN_TOKEN = re.compile(r"\w+")


def plain_tokens(text: str) -> list[str]:
    """The baseline's tokeniser: lower-case word characters, nothing else."""
    return _PLAIN_TOKEN.findall(text.lower())


def case_text(case: dict[str, Any]) -> str:
    """The whole query text of a case (conversation turns joined)."""
    if "turns" in case:
        return "\n".join(case["turns"])
    return str(case["query"])


class PlainBM25:
    """Okapi BM25 over title + body tokens: the reference to beat.

    The textbook formula with rank_bm25's BM25Okapi defaults (k1 1.5, b 0.75,
    negative idf floored at 0.25 x the mean idf), in plain Python so the test
    extra does not pull numpy in for one test. It gave the same scores as
    rank_bm25 0.2.2 on the demo eval set when it replaced it."""

    K1, B, EPSILON = 1.5, 0.75, 0.25

    def __init__(self, articles: Sequence[KbArticle]) -> None:
        self.ids = [a.id for a in articles]
        docs = [plain_tokens(f"{a.title}\n{a.body}") for a in articles]
        self.lengths = [len(d) for d in docs]
        self.avgdl = sum(self.lengths) / len(docs) if docs else 0.0
        self.freqs: list[Counter[str]] = [Counter(d) for d in docs]
        df: Counter[str] = Counter()
        for f in self.freqs:
            df.update(f.keys())
        n = len(docs)
        self.idf = {w: math.log(n - c + 0.5) - math.log(c + 0.5) for w, c in df.items()}
        floor = self.EPSILON * (sum(self.idf.values()) / len(self.idf)) if self.idf else 0.0
        for w, value in self.idf.items():
            if value < 0:
                self.idf[w] = floor

    def scores(self, tokens: Sequence[str]) -> list[float]:
        out = [0.0] * len(self.ids)
        for q in tokens:
            idf = self.idf.get(q)
            if not idf:
                continue
            for i, f in enumerate(self.freqs):
                tf = f.get(q, 0)
                if tf:
                    norm = self.K1 * (1 - self.B + self.B * self.lengths[i] / self.avgdl)
                    out[i] += idf * tf * (self.K1 + 1) / (tf + norm)
        return out

    def rank(self, text: str, n: int = 10) -> list[str]:
        scores = self.scores(plain_tokens(text))
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], self.ids[i]))
        return [self.ids[i] for i in order[:n] if scores[i] > 0]


@dataclass(frozen=True)
class Quality:
    mrr_at_5: float
    recall_at_3: float
    n: int

    def __str__(self) -> str:
        return f"MRR@5 {self.mrr_at_5:.3f}  recall@3 {self.recall_at_3:.3f}  (n={self.n})"


def evaluate(cases: Sequence[dict[str, Any]], ranking: Ranking) -> Quality:
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
