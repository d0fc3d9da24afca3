"""F1: every key of the desk, grouped, generated from the bindings (with the
user's remapping applied)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agentdesk.ui.keymap import GROUPS, OTHER_KEYS, display_keys
from agentdesk.ui.modals.base import DeskModal


def help_rows(keymap: Mapping[str, str],
              hidden: Collection[str] = ()) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group, [(keys, description)])], remapped keys applied; `hidden` binding ids
    (what this backend cannot do) left out."""
    out = []
    for title, bindings in GROUPS:
        rows = [(display_keys(keymap.get(b.id or "", b.key)), b.description) for b in bindings
                if b.id not in hidden]
        rows += [(k, d) for g, k, d in OTHER_KEYS if g == title]
        out.append((title, rows))
    return out


class HelpScreen(DeskModal[None]):
    DEFAULT_CSS = """
    HelpScreen > .dialog { width: 80; height: 90%; }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen .help-group { color: $accent; text-style: bold; margin-top: 1; }
    """

    def __init__(self, keymap: Mapping[str, str] | None = None,
                 hidden: Collection[str] = ()) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})
        self.hidden = frozenset(hidden)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll():
                for title, rows in help_rows(self.keymap, self.hidden):
                    yield Static(title, classes="help-group", markup=False)
                    for keys, what in rows:
                        yield Static(Content.from_markup("[b]$k[/]  $w", k=keys.ljust(22), w=what))
            yield Static("escape: close", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
