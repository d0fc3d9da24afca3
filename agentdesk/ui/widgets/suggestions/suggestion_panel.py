"""`SuggestionPanel`: the knowledge-base slot beside the conversation.

Shows the top 3 suggestions, numbered 1-3, each with its title, relevance (a
small bar and %), and a 1-2 line snippet with the matched words highlighted,
under a source line such as "from the last customer message".

A suggestion is any object with `article_id`, `title`, `score` (0..1, larger
is better; values above 1 are clamped for the bar), `snippet` and
`matched_terms` attributes (`agentdesk.kb`'s `Suggestion` has that shape).

Public API: `SuggestionPanel(*, name=None, id=None, classes=None)`,
`show(suggestions, source_label)`, `show_empty(reason)`, `insert(n)` /
`preview(n)` (1-based; post the messages below for the n-th suggestion),
property `suggestions`.
Messages: `SuggestionPanel.InsertRequested(sender, article_id)`,
`SuggestionPanel.PreviewRequested(sender, article_id)` (read `.article_id`).
`show` / `show_empty` may be called before the panel is mounted.
Bindings (ids, active while the panel or a card has focus): suggestion-insert-1
/ -2 / -3 (1, 2, 3), suggestion-insert (enter, the focused card),
suggestion-preview (p or space, the focused card). A click on a card previews.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from agentdesk.ui.widgets.suggestions.suggestion_card import (
    SuggestionCard,
    highlight,
    relevance_bar,
)

SHOWN = 3
__all__ = ["SuggestionPanel", "highlight", "relevance_bar"]


class SuggestionLike(Protocol):
    article_id: str
    title: str
    score: float
    snippet: str
    matched_terms: Sequence[str]


class SuggestionPanel(Vertical):
    """Top knowledge-base suggestions for the conversation in view."""

    DEFAULT_CSS = """
    SuggestionPanel { height: auto; padding: 0 1; background: $surface; }
    SuggestionPanel #suggestion-title { text-style: bold; }
    SuggestionPanel #suggestion-source { color: $muted-foreground; text-style: italic; margin-bottom: 1; }
    SuggestionPanel #suggestion-empty { color: $muted-foreground; }
    """

    BINDINGS = [
        Binding("1", "insert(1)", "Insert 1", show=False, id="suggestion-insert-1"),
        Binding("2", "insert(2)", "Insert 2", show=False, id="suggestion-insert-2"),
        Binding("3", "insert(3)", "Insert 3", show=False, id="suggestion-insert-3"),
        Binding("enter", "insert_focused", "Insert", id="suggestion-insert"),
        Binding("p,space", "preview_focused", "Preview", id="suggestion-preview"),
    ]

    class InsertRequested(Message):
        def __init__(self, sender: Any, article_id: str) -> None:
            super().__init__()
            self.sender_widget = sender
            self.article_id = article_id

    class PreviewRequested(Message):
        def __init__(self, sender: Any, article_id: str) -> None:
            super().__init__()
            self.sender_widget = sender
            self.article_id = article_id

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._suggestions: list[Any] = []
        self._source = Static(id="suggestion-source")
        self._empty = Static("No suggestions yet.", id="suggestion-empty", markup=False)
        self._cards = Vertical(id="suggestion-cards")
        self._unmounted_cards: list[SuggestionCard] = []
        self._shown: tuple[Any, ...] | None = None  # what is on screen (skip showing it again)

    @property
    def suggestions(self) -> list[Any]:
        return self._suggestions

    def compose(self) -> ComposeResult:
        yield Static("Knowledge base", id="suggestion-title", markup=False)
        yield self._source
        yield self._empty
        yield self._cards

    def on_mount(self) -> None:
        if self._unmounted_cards:
            cards, self._unmounted_cards = self._unmounted_cards, []
            self.call_after_refresh(self._replace_cards, cards)

    def show(self, suggestions: Sequence[Any], source_label: str) -> None:
        shown = list(suggestions)[:SHOWN]
        key = ("cards", source_label, tuple(
            (s.article_id, s.title, s.score, s.snippet, tuple(s.matched_terms)) for s in shown))
        if key == self._shown:
            # Ranked again after each customer message, mostly to the same answer:
            # remounting the cards would cost a layout of the screen for nothing.
            return
        self._shown = key
        self._suggestions = shown
        if not self._suggestions:
            self.show_empty("No matching articles.")
            return
        self._source.update(Content(source_label))
        self._empty.display = False
        self._replace_cards([SuggestionCard(n, s) for n, s in enumerate(self._suggestions, start=1)])

    def show_empty(self, reason: str) -> None:
        if self._shown == ("empty", reason):
            return
        self._shown = ("empty", reason)
        self._suggestions = []
        self._source.update("")
        self._empty.update(Content(reason))
        self._empty.display = True
        self._replace_cards([])

    def _replace_cards(self, cards: list[SuggestionCard]) -> None:
        if not self._cards.is_mounted:
            self._unmounted_cards = cards  # shown once mounted
            return
        with self.app.batch_update():
            self._cards.remove_children()
            if cards:
                self._cards.mount_all(cards)

    @on(SuggestionCard.Clicked)
    def _card_clicked(self, event: SuggestionCard.Clicked) -> None:
        event.stop()
        event.card.focus()
        self.preview(event.card.number)

    def insert(self, number: int) -> None:
        if 1 <= number <= len(self._suggestions):
            self.post_message(self.InsertRequested(self, self._suggestions[number - 1].article_id))

    def preview(self, number: int) -> None:
        if 1 <= number <= len(self._suggestions):
            self.post_message(self.PreviewRequested(self, self._suggestions[number - 1].article_id))

    def action_insert(self, number: int) -> None:
        self.insert(number)

    def action_insert_focused(self) -> None:
        focused = self.app.focused
        if isinstance(focused, SuggestionCard):
            self.insert(focused.number)

    def action_preview_focused(self) -> None:
        focused = self.app.focused
        if isinstance(focused, SuggestionCard):
            self.preview(focused.number)
