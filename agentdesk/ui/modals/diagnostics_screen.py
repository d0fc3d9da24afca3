"""alt+d: what the connection has seen (frames, malformed, reconnects, last
problem) so an agent can tell support something useful."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agentdesk.backends.base import Diagnostics
from agentdesk.ui.modals.base import DeskModal


def diagnostics_content(d: Diagnostics, extra: dict[str, str]) -> Content:
    rows = [
        ("frames", str(d.frames)), ("malformed", str(d.malformed)),
        ("unknown type", str(d.unknown_type)), ("duplicates", str(d.duplicates)),
        ("out of order", str(d.out_of_order)), ("reconnects", str(d.reconnects)),
        ("resyncs", str(d.resyncs)), ("last seq", str(d.last_seq)),
        *extra.items(),
        ("last problem", d.last_problem or "none"),
    ]
    return Content("\n").join(
        Content.from_markup("[$muted-foreground]$k[/] $v", k=k.ljust(16), v=v) for k, v in rows
    )


class DiagnosticsScreen(DeskModal[None]):
    def __init__(self, diagnostics: Callable[[], Diagnostics], extra: Callable[[], dict[str, str]]) -> None:
        super().__init__()
        self.diagnostics = diagnostics
        self.extra = extra

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Diagnostics", classes="dialog-title")
            yield Static(id="diag-body")
            yield Static("escape: close", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._refresh()
        self.set_interval(1.0, self._refresh)

    def _refresh(self) -> None:
        self.query_one("#diag-body", Static).update(diagnostics_content(self.diagnostics(), self.extra()))
