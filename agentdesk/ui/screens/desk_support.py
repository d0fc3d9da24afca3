"""Plain helpers of the desk screen, kept out of it so they are easy to test:
tab labels from the session state, the offer info line (with the keys the
user's keymap binds) and the source of KB suggestions."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.content import Content

from agentdesk.domain import session as S
from agentdesk.domain.enums import CallState, Channel
from agentdesk.ui.glyphs import CHANNEL_LABEL
from agentdesk.ui.key_label import key_label
from agentdesk.ui.keymap import GROUPS
from agentdesk.ui.textual_compat import active_app, app_keymap
from agentdesk.ui.timefmt import countdown_level, duration
from agentdesk.ui.widgets.tabs.interaction_tab import TabInfo

if TYPE_CHECKING:  # agentdesk.kb is imported once the KB loads, after the first frame
    from textual.app import App

    from agentdesk.domain.models import Interaction, KbArticle
    from agentdesk.kb import KnowledgeBase, Suggestion
    from agentdesk.ui.modals.kb_search import KbHit

_BINDINGS_BY_ID = {b.id: b for _, group in GROUPS for b in group if b.id}


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


def bound_key(binding_id: str, app: App[object] | None = None) -> str:
    """The first key now bound to one of the desk's bindings (agentdesk.ui.keymap),
    shown as the footer shows it: 'F2' by default, 'f12' or '^a' once the
    user's keymap moved it there. `app` defaults to the running app; without
    one (or if the id is not remapped) it is the default key."""
    binding = _BINDINGS_BY_ID[binding_id]
    if app is None:
        app = active_app()
    keymap = app_keymap(app)  # what App.set_keymap stored (normalised)
    first = (keymap.get(binding_id) or "").split(",")[0].strip()
    if first:  # Textual drops key_display of a remapped binding; so does the footer
        binding = binding.with_key(first, None)
    elif binding.key_display:
        return binding.key_display
    else:
        binding = binding.with_key(binding.key.split(",")[0], None)
    # Function keys in capitals as the footer and call bar show them ('f2' -> 'F2').
    return key_label(app.get_key_display(binding) if app is not None else binding.key)


VIEW_KEY_IDS = ("offer-accept", "offer-reject", "wrapup", "call-hold", "call-mute", "transfer",
                "call-hangup", "call-dtmf", "call-disclosure")


def view_keys(app: App[object] | None = None) -> dict[str, str]:
    """The keys bound now for what an interaction view names (state line, call bar)."""
    return {binding_id: bound_key(binding_id, app) for binding_id in VIEW_KEY_IDS}


def offer_line(inter: Interaction, now: float, app: App[object] | None = None) -> Content:
    """'◔ Chat offer from NAME · topic · 0:12 left · F2 accept · F3 reject', with the
    keys bound to offer-accept/offer-reject now (see `bound_key`). An offer without
    an expiry (Chatwoot's: unassigned conversations wait) has no countdown at all."""
    expires = inter.offer_expires_at
    left = expires - now if expires is not None else 0.0
    countdown = f"[b ${countdown_level('offer', left)}]$left left[/]   " \
        if expires is not None else " "
    # What the customer told the IVR or bot says more than a topic id.
    service = inter.self_service.summary() if inter.self_service is not None else ""
    about = service or inter.subject or inter.topic or ""
    return Content.from_markup(
        f"[b]$ch offer[/b] from [b]$name[/b] [$muted-foreground]$about[/]  {countdown}"
        "[$accent]$accept_key[/] accept  [$accent]$reject_key[/] reject",
        ch=CHANNEL_LABEL[inter.channel], name=inter.customer_name,
        about=f"· {about}" if about else "", left=duration(max(0.0, left)),
        accept_key=bound_key("offer-accept", app), reject_key=bound_key("offer-reject", app),
    )


BUILD_BATCH = 4  # articles indexed between two pauses (a few ms of work)
BUILD_PAUSE_S = 0.004


class SuggestionSource:
    """KB suggestions for the active interaction, from `agentdesk.kb.KnowledgeBase`:
    the app's own (a local index) when it has one, else an in-memory one built
    from the server's articles and kept current by `kb.updated` events."""

    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None

    def use_knowledge_base(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    @staticmethod
    def build(articles: list[KbArticle], batch: int = BUILD_BATCH) -> KnowledgeBase:
        """The index, built in a worker thread a few articles at a time with a
        pause between: the thread holds the GIL while it tokenises, and in one
        go it kept the UI loop waiting through start-up (docs/benchmarks.md)."""
        from agentdesk.kb import KnowledgeBase

        kb = KnowledgeBase.from_articles(articles[:batch])
        for start in range(batch, len(articles), batch):
            time.sleep(BUILD_PAUSE_S)  # the GIL to the UI loop
            if start + batch >= len(articles):
                kb.upsert(articles[start:])  # the last batch also loads the statistics
            else:
                kb.index.upsert(articles[start:start + batch])
        return kb

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
