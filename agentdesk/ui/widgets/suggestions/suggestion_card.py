"""`SuggestionCard`: one knowledge-base suggestion in the `SuggestionPanel`.

Number, title, relevance bar and a 1-2 line snippet with the matched terms
highlighted; all literal text. A click posts `SuggestionCard.Clicked`, which
the panel turns into `SuggestionPanel.PreviewRequested`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

BAR_CELLS = 5
SNIPPET_CHARS = 240


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


class SuggestionCard(Vertical, can_focus=True):
    """One suggestion: number, relevance and title on one line, then the snippet."""

    DEFAULT_CSS = """
    SuggestionCard { height: auto; padding: 0 1; margin-bottom: 1; background: $boost; }
    SuggestionCard:focus { background: $accent 25%; }
    SuggestionCard > .suggestion-header { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    SuggestionCard > .suggestion-snippet { height: auto; max-height: 2; }
    SuggestionCard > .suggestion--match { background: $accent 40%; text-style: bold; }
    """

    COMPONENT_CLASSES = {"suggestion--match"}

    class Clicked(Message):
        def __init__(self, card: SuggestionCard) -> None:
            super().__init__()
            self.card = card

    def __init__(self, number: int, suggestion: Any) -> None:
        super().__init__(classes="suggestion-card")
        self.number = number
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        header = Content.assemble(
            (f"{self.number} ", "bold $accent"),
            (relevance_bar(self.suggestion.score), "$muted-foreground"),
            "  ",
            (" ".join(str(self.suggestion.title).split())[:200], "bold"),
        )
        yield Static(header, classes="suggestion-header")
        match_style = self.get_component_rich_style("suggestion--match", partial=True)
        snippet = highlight(str(self.suggestion.snippet), list(self.suggestion.matched_terms), match_style)
        yield Static(Content.from_rich_text(snippet), classes="suggestion-snippet")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))
