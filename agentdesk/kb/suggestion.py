"""The value the knowledge base hands to the desk: one suggested article."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Suggestion:
    """One ranked article for a query or a conversation.

    score: 0-1. The share of the query's information (IDF-weighted terms, and
        for conversations recency-weighted) that the article covers, with
        saturation, plus small phrase and title bonuses; clamped to 1.0. It is
        comparable between results of the same query; as a rule of thumb
        >= 0.5 is a strong match and < 0.15 a weak one.
    snippet: <= ~200 characters of the article body around the matched words,
        plain text (Markdown marks removed), with "..." where cut.
    matched_terms: the article's own surface words (as written in its title or
        body) that matched the query, first occurrence order, so the UI can
        highlight them in the title and snippet.
    """

    article_id: str
    title: str
    score: float
    snippet: str
    matched_terms: list[str] = field(default_factory=list, hash=False)
