"""Suggestion ranking: a weighted query model and a two-stage scorer.

Stage 1 (SQLite b-tree range scans): for each query term, the `per_term`
documents where the term has the highest stored BM25F impact ("champion
lists"); a document's approximate score is the sum of query weight x idf x
impact over the lists it appears in, and the best `candidates` go on.
Stage 2 (Python, only on those few dozen candidates): exact BM25F with
per-field length normalisation (title > tags > body), per-term query weights
(recency of conversation turns), and a bonus for query bigrams found as
adjacent terms in the title or body.

The score is normalised by the query's ideal score (every term matched,
saturated), so 0-1 means "how much of what the customer said this article
covers". See docs/kb.md for the parameters and what was tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agentdesk.kb.index import DocTerms, IndexStats, KbIndex
from agentdesk.kb.spelling import Speller
from agentdesk.kb.text import analyze


@dataclass(frozen=True)
class RankParams:
    k1: float = 2.0
    title_weight: float = 5.0
    tags_weight: float = 2.0
    body_weight: float = 1.0
    title_b: float = 0.4
    tags_b: float = 0.3
    body_b: float = 0.75
    bigram_title_bonus: float = 0.6
    bigram_body_bonus: float = 0.25
    title_coverage_bonus: float = 0.35  # x share of the title's idf mass the query matched
    candidates: int = 20
    per_term: int = 100
    turn_decay: float = 0.5      # weight of a turn = decay ** (turns after it)
    repeat_share: float = 0.25   # extra weight for a term repeated in older turns
    max_query_terms: int = 32


@dataclass
class Query:
    """Canonical terms with weights, plus weighted adjacent-term bigrams."""

    weights: dict[str, float] = field(default_factory=dict)
    bigrams: dict[tuple[str, str], float] = field(default_factory=dict)
    latest: list[str] = field(default_factory=list)  # terms of the newest turn

    def __bool__(self) -> bool:
        return bool(self.weights)


def build_query(turns: list[str], params: RankParams = RankParams()) -> Query:
    """Weighted query from conversation turns, oldest first.

    The newest turn weighs 1.0 and each older one `turn_decay` times the next;
    a term's weight is its highest turn weight plus a share of the rest, so a
    topic the customer keeps mentioning gains a little, but old chatter never
    outweighs what they just said.
    """
    per_term: dict[str, list[float]] = {}
    bigrams: dict[tuple[str, str], float] = {}
    latest: list[str] = []
    n = len(turns)
    for i, turn in enumerate(turns):
        w = params.turn_decay ** (n - 1 - i)
        terms = analyze(turn)
        if i == n - 1:
            latest = terms
        for t in set(terms):
            per_term.setdefault(t, []).append(w)
        for pair in zip(terms, terms[1:], strict=False):  # neighbours: one pair fewer
            if pair[0] != pair[1]:
                bigrams[pair] = max(bigrams.get(pair, 0.0), w)
    weights = {t: max(ws) + params.repeat_share * (sum(ws) - max(ws))
               for t, ws in per_term.items()}
    return Query(weights, bigrams, latest)


@dataclass(frozen=True)
class Ranked:
    doc: int
    article_id: str
    score: float              # 0-1
    matched: frozenset[str]   # canonical terms


def _adjacent(terms: list[str], a: str, b: str) -> bool:
    """Whether term `a` is directly followed by `b` somewhere in `terms`."""
    i = -1
    last = len(terms) - 1
    try:
        while True:
            i = terms.index(a, i + 1)
            if i < last and terms[i + 1] == b:
                return True
    except ValueError:
        return False


class Ranker:
    """Scores a Query against a KbIndex. Stateless apart from the speller cache."""

    def __init__(self, params: RankParams = RankParams()) -> None:
        self.params = params
        self._speller: Speller | None = None
        self._speller_gen = -1

    def _spell(self, index: KbIndex, stats: IndexStats) -> Speller:
        if self._speller is None or self._speller_gen != index.generation:
            self._speller = Speller(stats.df)
            self._speller_gen = index.generation
        return self._speller

    def warm_up(self, index: KbIndex) -> None:
        self._spell(index, index.stats())

    def correct(self, query: Query, index: KbIndex, stats: IndexStats) -> Query:
        """Replace terms unknown to the index by a close known term (typos)."""
        unknown = [t for t in query.weights if t not in stats.df]
        if not unknown:
            return query
        speller = self._spell(index, stats)
        fixes: dict[str, str] = {}
        for t in unknown:
            fix = speller.correct(t)
            if fix:
                fixes[t] = fix
        if not fixes:
            return query
        weights: dict[str, float] = {}
        for t, w in query.weights.items():
            key = fixes.get(t, t)
            weights[key] = max(weights.get(key, 0.0), w * (0.8 if t in fixes else 1.0))
        bigrams = {(fixes.get(a, a), fixes.get(b, b)): w for (a, b), w in query.bigrams.items()}
        latest = [fixes.get(t, t) for t in query.latest]
        return Query(weights, bigrams, latest)

    def rank(self, index: KbIndex, query: Query, n: int) -> list[Ranked]:
        if not query or n <= 0:
            return []
        stats = index.stats()
        if stats.n_docs == 0:
            return []
        query = self.correct(query, index, stats)
        p = self.params
        # Keep the most informative terms: long pasted e-mails stay fast.
        known = sorted((t for t in query.weights if t in stats.df),
                       key=lambda t: query.weights[t] * stats.idf(t), reverse=True)
        known = known[: p.max_query_terms]
        if not known:
            return []
        weights = {t: query.weights[t] for t in known}
        docs = self._candidates(index, weights, stats)
        scored = [self._score(d, weights, query.bigrams, stats) for d in index.doc_terms(docs)]
        scored.sort(key=lambda r: (-r.score, r.article_id))
        return [r for r in scored if r.score > 0][:n]

    def _candidates(self, index: KbIndex, weights: dict[str, float],
                    stats: IndexStats) -> list[int]:
        p = self.params
        approx: dict[int, float] = {}
        factors = {t: wq * stats.idf(t) for t, wq in weights.items()}
        for term, doc, impact in index.top_postings(list(factors), p.per_term):
            approx[doc] = approx.get(doc, 0.0) + factors[term] * impact
        best = sorted(approx.items(), key=lambda kv: -kv[1])[: p.candidates]
        return [doc for doc, _s in best]

    def _score(self, doc: DocTerms, weights: dict[str, float],
               bigrams: dict[tuple[str, str], float], stats: IndexStats) -> Ranked:
        p = self.params
        fields = (
            (doc.title, stats.avg_title, p.title_weight, p.title_b),
            (doc.tags, stats.avg_tags, p.tags_weight, p.tags_b),
            (doc.body, stats.avg_body, p.body_weight, p.body_b),
        )
        norms = [w / (1.0 - b + b * (len(terms) / avg if avg else 1.0))
                 for terms, avg, w, b in fields]
        raw = ideal = 0.0
        matched: set[str] = set()
        idf_cache = stats.idf_cache
        for term, wq in weights.items():
            idf = idf_cache.get(term)
            if idf is None:
                idf = idf_cache[term] = stats.idf(term)
            ideal += wq * idf
            tfn = sum(f[0].count(term) * nrm for f, nrm in zip(fields, norms, strict=True))
            if tfn > 0:
                matched.add(term)
                raw += wq * idf * tfn / (p.k1 + tfn)
        for (a, b), wq in bigrams.items():
            if a not in weights or b not in weights:
                continue
            pair_idf = (idf_cache.get(a, 0.0) + idf_cache.get(b, 0.0)) / 2
            ideal += wq * p.bigram_title_bonus * pair_idf
            if a not in matched or b not in matched:
                continue
            if _adjacent(doc.title, a, b):
                raw += wq * p.bigram_title_bonus * pair_idf
            elif _adjacent(doc.body, a, b):
                raw += wq * p.bigram_body_bonus * pair_idf
        if p.title_coverage_bonus and doc.title:
            title_terms = set(doc.title)
            total = sum(idf_cache.get(t) or stats.idf(t) for t in title_terms)
            hit = sum(idf_cache.get(t) or stats.idf(t) for t in title_terms if t in matched)
            if total > 0:
                raw += p.title_coverage_bonus * ideal * hit / total
                ideal += p.title_coverage_bonus * ideal
        score = min(1.0, raw / ideal) if ideal > 0 else 0.0
        return Ranked(doc.doc, doc.article_id, score, frozenset(matched))
