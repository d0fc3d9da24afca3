"""Typo tolerance: map a query term the index does not know to a known one.

Customers type "pasword", "routr", "recieve". The corrector works on the
analysed (stemmed, canonical) terms with a deletion neighbourhood (the
SymSpell idea, edit distance 1): every vocabulary term is filed under itself
and each string obtained by deleting one character; a query term looks up
itself and its own one-character deletions, and candidates are verified with
the optimal-string-alignment distance. Built once per index generation:
O(vocabulary x term length) dictionary inserts, a few milliseconds.
"""

from __future__ import annotations

from agentdesk.kb.text import synonym_members

MIN_LEN = 5  # shorter words are too easy to "correct" into a different word


def _deletes(term: str) -> set[str]:
    return {term[:i] + term[i + 1:] for i in range(len(term))}


def osa_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (Levenshtein + adjacent swaps), capped."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[-1], limit)


class Speller:
    """Corrects unknown terms against a vocabulary {term: document frequency}."""

    def __init__(self, df: dict[str, int]) -> None:
        self._df = df
        # surface-ish stem -> canonical term it stands for (synonym members
        # like "router" are not in the index, which only holds "hub").
        self._target: dict[str, str] = {t: t for t in df}
        for member, head in synonym_members().items():
            if head in df:
                self._target.setdefault(member, head)
        self._by_delete: dict[str, list[str]] = {}
        for term in self._target:
            if len(term) < MIN_LEN - 1 or not term.isalpha():
                continue
            for key in _deletes(term) | {term}:
                self._by_delete.setdefault(key, []).append(term)

    def correct(self, term: str) -> str | None:
        """The best known term within distance 1 of `term`, or None."""
        if term in self._target:
            return self._target[term]
        if len(term) < MIN_LEN or not term.isalpha():
            return None
        found: set[str] = set()
        for key in _deletes(term) | {term}:
            found.update(self._by_delete.get(key, ()))
        best: tuple[int, str] | None = None
        for cand in found:
            if osa_distance(term, cand) <= 1:
                target = self._target[cand]
                rank = (-self._df.get(target, 0), target)
                if best is None or rank < (best[0], best[1]):
                    best = (rank[0], target)
        return best[1] if best else None
