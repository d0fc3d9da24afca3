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

import re
from typing import Any, Protocol, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

SHOWN = 3
BAR_CELLS = 5
SNIPPET_CHARS = 240


class SuggestionLike(Protocol):
    article_id: str
    title: str
    score: float
    snippet: str
    matched_terms: Sequence[str]


def relevance_bar(score: float) -> str:
    """A 5-cell bar and a percentage, e.g. "███▍░ 68%"."""
    score = max(0.0, min(1.0, float(score)))
    filled = round(score * BAR_CELLS)
    return "█" * filled + "░" * (BAR_CELLS - filled) + f" {round(score * 100)}%"


def highlight(snippet: str, terms: Sequence[str], style: Style | str) -> Text:
    """The snippet as literal text with every matched term highlighted (case-insensitive)."""
    text = Text(" ".join(snippet.split())[:SNIPPET_CHARS])
    words = [term for term in terms if term and term.strip()]
    if words:
        pattern = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
        text.highlight_regex(re.compile(pattern, re.IGNORECASE), style)
    return text


class SuggestionCard(Static, can_focus=True):
    """One suggestion: number, title, relevance, highlighted snippet."""

    DEFAULT_CSS = """
    SuggestionCard { height: auto; max-height: 4; padding: 0 1; margin-bottom: 1; background: $boost; }
    SuggestionCard:focus { background: $accent 25%; }
    SuggestionCard > .suggestion--match { background: $accent 40%; text-style: bold; }
    """

    COMPONENT_CLASSES = {"suggestion--match"}

    def __init__(self, number: int, suggestion: Any) -> None:
        super().__init__(classes="suggestion-card")
        self.number = number
        self.suggestion = suggestion

    def on_mount(self) -> None:
        header = Content.assemble(
            (f"{self.number} ", "bold $accent"),
            (str(self.suggestion.title)[:200], "bold"),
            "  ",
            (relevance_bar(self.suggestion.score), "$muted-foreground"),
        )
        match_style = self.get_component_rich_style("suggestion--match", partial=True)
        snippet = highlight(str(self.suggestion.snippet), list(self.suggestion.matched_terms), match_style)
        self.update(header + Content("\n") + Content.from_rich_text(snippet))

    def on_click(self, event: events.Click) -> None:
        self.post_message(SuggestionPanel.PreviewRequested(self, self.suggestion.article_id))


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
