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
Messages: `SuggestionPanel.InsertRequested(article_id)`,
`SuggestionPanel.PreviewRequested(article_id)`.
Bindings (ids, active while the panel or a card has focus): suggestion-insert-1
/ -2 / -3 (1, 2, 3), suggestion-insert (enter, the focused card),
suggestion-preview (p or space, the focused card). A click on a card previews.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

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

    @property
    def suggestions(self) -> list[Any]:
        return self._suggestions

    def compose(self) -> ComposeResult:
        yield Static("Knowledge base", id="suggestion-title", markup=False)
        yield Static(id="suggestion-source")
        yield Static("No suggestions yet.", id="suggestion-empty", markup=False)
        yield Vertical(id="suggestion-cards")

    def show(self, suggestions: Sequence[Any], source_label: str) -> None:
        self._suggestions = list(suggestions)[:SHOWN]
        if not self._suggestions:
            self.show_empty("No matching articles.")
            return
        self.query_one("#suggestion-source", Static).update(Content(source_label))
        self.query_one("#suggestion-empty").display = False
        cards = self.query_one("#suggestion-cards", Vertical)
        with self.app.batch_update():
            cards.remove_children()
            cards.mount_all(SuggestionCard(n, s) for n, s in enumerate(self._suggestions, start=1))

    def show_empty(self, reason: str) -> None:
        self._suggestions = []
        self.query_one("#suggestion-source", Static).update("")
        empty = self.query_one("#suggestion-empty", Static)
        empty.update(Content(reason))
        empty.display = True
        self.query_one("#suggestion-cards", Vertical).remove_children()

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
