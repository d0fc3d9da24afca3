"""Plain helpers of the desk screen, kept out of it so they are easy to test:
tab labels from the session state, the offer info line and the source of KB
suggestions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from agentdesk.domain import session as S
from agentdesk.domain.enums import CallState, Channel
from agentdesk.ui.glyphs import CHANNEL_LABEL
from agentdesk.ui.timefmt import countdown_level, duration
from agentdesk.ui.widgets.tabs.interaction_tab import TabInfo

if TYPE_CHECKING:  # agentdesk.kb is imported once the KB loads, after the first frame
    from agentdesk.domain.models import Interaction, KbArticle
    from agentdesk.ui.modals.kb_search import KbHit
    from agentdesk.kb import KnowledgeBase, Suggestion


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


class SuggestionSource:
    """KB suggestions for the active interaction, from `agentdesk.kb.KnowledgeBase`:
    the app's own (a local index) when it has one, else an in-memory one built
    from the server's articles and kept current by `kb.updated` events."""

    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None

    def use_knowledge_base(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    @staticmethod
    def build(articles: list[KbArticle]) -> KnowledgeBase:
        from agentdesk.kb import KnowledgeBase

        return KnowledgeBase.from_articles(articles)

    def apply_changes(self, articles: list[KbArticle], removed: list[str]) -> None:
        if self.kb is None:
            return
        if articles:
            self.kb.upsert(articles)
        if removed:
            self.kb.remove(removed)

    def get(self, article_id: str) -> KbArticle | None:
        return self.kb.get(article_id) if self.kb is not None else None

    def suggest(self, turns: list[str], n: int = 3) -> list[Suggestion]:
        if self.kb is None or not turns:
            return []
        return self.kb.suggest(turns, n=n)

    def search(self, query: str, n: int = 10) -> list[KbHit]:
        from agentdesk.ui.modals.kb_search import KbHit  # with the dialog, not at start-up

        if self.kb is None:
            return []
        return [KbHit(h.article_id, h.title, h.snippet) for h in self.kb.search(query, n=n)]

    def answer(self, article_id: str, inter: Interaction) -> str:
        from agentdesk.kb import email_answer, short_answer

        article = self.get(article_id)
        if article is None:
            return ""
        if inter.channel is Channel.EMAIL:
            return email_answer(article, inter.customer_name)
        return short_answer(article)
