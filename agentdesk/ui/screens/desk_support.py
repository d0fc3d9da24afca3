"""Plain helpers of the desk screen, kept out of it so they are easy to test:
tab labels from the session state, the offer info line and the source of KB
suggestions."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from textual.content import Content

from agentdesk.domain import session as S
from agentdesk.domain.models import CallState, Interaction, KbArticle
from agentdesk.ui.glyphs import CHANNEL_LABEL
from agentdesk.ui.modals.kb_search import KbHit
from agentdesk.ui.timefmt import countdown_level, duration
from agentdesk.ui.widgets.tabs.interaction_tab import TabInfo


def tab_infos(state: S.SessionState, now: float) -> dict[str, TabInfo]:
    infos = {}
    for iid, inter in state.interactions.items():
        due = S.deadline(inter)
        infos[iid] = TabInfo(
            interaction_id=iid,
            channel=inter.channel,
            name=inter.customer_name,
            state=inter.state,
            unread=S.unread_count(state, iid),
            typing=S.is_typing(state, iid, now),
            deadline_kind=due[0] if due else None,
            deadline=due[1] if due else None,
            held=inter.call is not None and inter.call.state is CallState.HELD,
        )
    return infos


def offer_line(inter: Interaction, now: float) -> Content:
    """'◔ Chat offer from NAME · topic · 0:12 left · F2 accept · F3 reject'."""
    left = (inter.offer_expires_at or now) - now
    about = inter.subject or inter.topic or ""
    return Content.from_markup(
        f"[b]$ch offer[/b] from [b]$name[/b] [$muted-foreground]$about[/]  "
        f"[b ${countdown_level('offer', left)}]$left left[/]   "
        "[$accent]F2[/] accept  [$accent]F3[/] reject",
        ch=CHANNEL_LABEL[inter.channel], name=inter.customer_name,
        about=f"· {about}" if about else "", left=duration(max(0.0, left)),
    )


@dataclass(frozen=True, slots=True)
class Suggestion:
    article_id: str
    title: str
    score: float
    snippet: str
    matched_terms: tuple[str, ...] = ()


_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = frozenset("the and for you your with that this have are was not but can from our".split())


def _terms(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


class SuggestionSource:
    """KB suggestions for the active interaction. Uses `agentdesk.kb.KnowledgeBase`
    when the app has one; until then a simple term-overlap ranking over the
    server's articles, labelled as a placeholder in the panel."""

    def __init__(self) -> None:
        self.kb: Any = None
        self.articles: dict[str, KbArticle] = {}
        self._index: dict[str, Counter[str]] = {}

    @property
    def label(self) -> str:
        return "" if self.kb is not None else "placeholder ranking (term overlap)"

    def use_knowledge_base(self, kb: Any) -> None:
        self.kb = kb

    def use_articles(self, articles: list[KbArticle]) -> None:
        self.articles = {a.id: a for a in articles}
        self._index = {a.id: Counter(_terms(f"{a.title} {a.title} {' '.join(a.tags)} {a.body}"))
                       for a in articles}

    def get(self, article_id: str) -> KbArticle | None:
        if self.kb is not None:
            return self.kb.get(article_id)
        return self.articles.get(article_id)

    def suggest(self, turns: list[str], n: int = 3) -> list[Any]:
        if not turns:
            return []
        if self.kb is not None:
            return list(self.kb.suggest(turns, n=n))
        query = Counter(_terms(" ".join(turns[-3:])))
        scored = []
        for aid, counts in self._index.items():
            matched = tuple(sorted(t for t in query if t in counts))
            if not matched:
                continue
            score = sum(min(counts[t], 3) for t in matched) / (1 + len(query))
            scored.append((score, aid, matched))
        scored.sort(key=lambda s: (-s[0], s[1]))
        out = []
        for score, aid, matched in scored[:n]:
            a = self.articles[aid]
            out.append(Suggestion(aid, a.title, round(score, 3), a.body[:160], matched))
        return out

    def search(self, query: str, n: int = 10) -> list[KbHit]:
        if self.kb is not None and hasattr(self.kb, "search"):
            return [KbHit(h.article_id, h.title, getattr(h, "snippet", "")) for h in self.kb.search(query, n=n)]
        return [KbHit(s.article_id, s.title, s.snippet) for s in self.suggest([query], n=n)]

    def answer(self, article_id: str, inter: Interaction) -> str:
        article = self.get(article_id)
        if article is None:
            return ""
        if self.kb is not None:
            if inter.channel.value == "email" and hasattr(self.kb, "email_answer"):
                return self.kb.email_answer(article, inter.customer_name)
            if hasattr(self.kb, "short_answer"):
                return self.kb.short_answer(article)
        first = article.body.strip().split("\n\n")[0]
        return first[:600]
