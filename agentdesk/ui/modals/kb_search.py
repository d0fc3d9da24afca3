"""ctrl+k: search the knowledge base by hand and insert an article's answer.

The query box is a `ComposerInput`: keys with alt (alt+s, a terminal reports
it with the character "s") are desk keys, never typed into the query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.ui.modals.base import DeskModal
from agentdesk.ui.widgets.composer.composer_text_area import ComposerInput


@dataclass(frozen=True, slots=True)
class KbHit:
    article_id: str
    title: str
    snippet: str = ""


class KbSearchDialog(DeskModal[str | None]):
    """Returns the chosen article id. `search(query)` must be fast (local index)."""

    DEFAULT_CSS = """
    KbSearchDialog > .dialog { width: 90; }
    KbSearchDialog OptionList { height: 14; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, search: Callable[[str], list[KbHit]], query: str = "") -> None:
        super().__init__()
        self.search = search
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Search the knowledge base", classes="dialog-title")
            yield ComposerInput(self.query_text, placeholder="words to search for", id="kb-query")
            yield OptionList(id="kb-results")
            yield Static("enter: insert   down: results   escape: close", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.query_text:
            self._run(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._run(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.query_one(OptionList)
        if results.option_count:
            self.dismiss(results.get_option_at_index(results.highlighted or 0).id)

    def _run(self, query: str) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        if not query.strip():
            return
        try:
            hits = self.search(query)
        except Exception as exc:  # a broken index must not take the desk down
            self.notify(f"KB search failed: {exc}", severity="error", markup=False)
            return
        results.add_options(
            [
                Option(
                    Content.from_markup(
                        "[b]$t[/]\n[$muted-foreground]$s[/]", t=h.title, s=" ".join(h.snippet.split())[:160]
                    ),
                    id=h.article_id,
                )
                for h in hits
            ]
        )
        if hits:
            results.highlighted = 0
        results.scroll_home(animate=False)  # new results read from the top

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
