"""`ArticlePreview`: a whole knowledge-base article in a modal.

`ArticlePreview(article)` takes any object with `id`, `title` and `body`
(Markdown), e.g. `KbArticle`. The body is a `Markdown` widget with
`open_links=False`: a clicked link opens `ConfirmLink` showing the full URL and
only an explicit "open" calls `App.open_url`. Dismisses with the article id
when the agent chooses Insert, or None on close.
Bindings (ids): article-insert (i), article-close (escape, q).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from agentdesk.ui.widgets.suggestions.confirm_link import ConfirmLink

MAX_ARTICLE_CHARS = 100_000


class ArticlePreview(ModalScreen[str | None]):
    """Read an article before inserting it."""

    DEFAULT_CSS = """
    ArticlePreview { align: center middle; }
    ArticlePreview > Vertical {
        width: 90%;
        max-width: 110;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    ArticlePreview #article-title { text-style: bold; height: auto; max-height: 3; }
    ArticlePreview VerticalScroll { height: 1fr; }
    ArticlePreview Markdown { margin: 0; padding: 0; }
    ArticlePreview #article-buttons { height: auto; align-horizontal: right; }
    ArticlePreview Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("i", "insert", "Insert", id="article-insert"),
        Binding("escape,q", "close", "Close", id="article-close"),
    ]

    def __init__(self, article: Any) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(str(self.article.title)), id="article-title")
            with VerticalScroll():
                yield Markdown(str(self.article.body)[:MAX_ARTICLE_CHARS], open_links=False, id="article-body")
            with Horizontal(id="article-buttons"):
                yield Button("Close (Esc)", id="article-close-button")
                yield Button("Insert (i)", id="article-insert-button", variant="primary")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        event.prevent_default()
        href = event.href

        def answered(open_it: bool | None) -> None:
            if open_it:
                self.app.open_url(href)

        self.app.push_screen(ConfirmLink(href), answered)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "article-insert-button":
            self.action_insert()
        else:
            self.action_close()

    def action_insert(self) -> None:
        self.dismiss(str(self.article.id))

    def action_close(self) -> None:
        self.dismiss(None)
