"""KB suggestions for the interaction the agent works in: the knowledge base
(the app's local index, else one built from the server's articles), ranking
off the UI thread after a short debounce, and inserting an answer."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual.css.query import NoMatches

from agentdesk.backends.base import AgentDeskError
from agentdesk.domain import session as S
from agentdesk.ui.screens.desk_support import SuggestionSource
from agentdesk.ui.widgets.suggestions.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:
    from agentdesk.ui.screens.desk_screen import DeskScreen

SUGGEST_DELAY_S = 0.3  # debounce suggestion refreshes


class SuggestionFlow:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.source = SuggestionSource()
        self.canned: list[Any] = []
        self.timer: Any = None  # the pending debounce timer

    def load_reference_data(self) -> None:
        """Canned responses and the KB, after each snapshot load."""
        self.screen.run_worker(self._load_reference_data(), group="reference", exit_on_error=False)

    async def _load_reference_data(self) -> None:
        screen = self.screen
        controller = screen.controller
        try:
            self.canned = await controller.canned_responses()
        except AgentDeskError:
            self.canned = []
        for view in screen.tabs.views.values():
            view.composer.set_canned(self.canned)
        kb = screen.services.knowledge_base
        if kb is None and self.source.kb is None:
            try:
                articles = await controller.kb_articles()
            except AgentDeskError as exc:
                self._panel_empty(f"Knowledge base unavailable: {exc.message}")
                return
            kb = await asyncio.to_thread(self.source.build, articles)
        if kb is not None:
            self.source.use_knowledge_base(kb)
        self.refresh()

    def apply_changes(self, changes: S.Changes) -> None:
        if changes.kb_articles or changes.kb_removed:
            self.source.apply_changes(changes.kb_articles, changes.kb_removed)

    def schedule(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.screen.set_timer(SUGGEST_DELAY_S, self.refresh)

    def refresh(self) -> None:
        self.timer = None
        inter = self.screen.tabs.current()
        turns = S.customer_turns(self.screen.state, inter.id) if inter else []
        if inter is not None and inter.subject:
            turns = [inter.subject, *turns]
        if inter is not None and inter.topic and not turns:
            turns = [inter.topic]
        self.screen.run_worker(lambda: self._rank(tuple(turns)), group="suggest", exclusive=True,
                               exit_on_error=False, thread=True)

    def _rank(self, turns: tuple[str, ...]) -> None:
        results = self.source.suggest(list(turns))
        self.screen.app.call_from_thread(self._show, results)

    def _show(self, results: Any) -> None:
        try:
            panel = self.screen.query_one(SuggestionPanel)
        except NoMatches:
            return
        if not results:
            panel.show_empty("No suggestions yet: they follow what the customer writes.")
            return
        panel.show(results, "from the latest customer turns")

    def _panel_empty(self, text: str) -> None:
        try:
            self.screen.query_one(SuggestionPanel).show_empty(text)
        except NoMatches:
            pass

    def top(self) -> str | None:
        shown = self.screen.query_one(SuggestionPanel).suggestions
        return shown[0].article_id if shown else None

    def insert(self, article_id: str) -> None:
        tabs = self.screen.tabs
        inter = tabs.current()
        view = tabs.views.get(tabs.current_id or "")
        if inter is None or view is None:
            return
        text = self.source.answer(article_id, inter)
        if text:
            view.composer.insert_text(text)
            tabs.focus_composer(view.interaction.id)

    def titles(self, query: str) -> list[tuple[str, str]]:
        return [(h.article_id, h.title) for h in self.source.search(query)]
