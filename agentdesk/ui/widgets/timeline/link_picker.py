"""`LinkPicker`: choose a link of the conversation to open (ModalScreen).

`LinkPicker(choices, tz=None)` takes `(item, Link)` pairs, newest first (as
`Timeline.recent_links` returns them) and dismisses with the chosen URL, or
None on Escape. Each entry shows the URL (literally; very long ones are cut
here, the confirmation that follows shows all of it) and, below, when and by
whom it was written. Up/down move, Enter chooses. Opening always goes through
`ConfirmLink` afterwards (the caller's job). Bindings (ids): link-picker-cancel
(escape).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.models import Direction, TimelineItem, TimelineKind
from agentdesk.ui.glyphs import CHANNEL_GLYPH
from agentdesk.ui.modals.picker import PickerModal
from agentdesk.ui.widgets.timeline.links import Link

SHOWN_URL_CHARS = 300  # the picker only identifies the link; ConfirmLink shows it whole
ARROW = {Direction.INBOUND: "←", Direction.OUTBOUND: "→", Direction.INTERNAL: "·"}


def choice_content(item: TimelineItem, link: Link, tz: tzinfo | None = None) -> Content:
    """The URL, then "14:02 ◆ ← Name" (a note says so). All of it literal text."""
    url = link.url if len(link.url) <= SHOWN_URL_CHARS else link.url[: SHOWN_URL_CHARS - 1] + "…"
    when = datetime.fromtimestamp(item.at, tz)
    author = (item.author or "").replace("\n", " ")[:80]
    note = "  (private note)" if item.kind is TimelineKind.NOTE else ""
    return Content.from_markup(
        "[b]$url[/b]\n[dim]$when $glyph $arrow $author$note[/]",
        url=url, when=f"{when:%a %H:%M}", glyph=CHANNEL_GLYPH[item.channel],
        arrow=ARROW[item.direction], author=author, note=note,
    )


class LinkPicker(PickerModal[str | None]):
    """Pick one of the links written in this conversation."""

    DEFAULT_CSS = """
    LinkPicker #link-picker-title { margin-bottom: 1; }
    LinkPicker #link-picker-hint { color: $text-muted; height: auto; margin-top: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="link-picker-cancel")]

    def __init__(self, choices: Sequence[tuple[TimelineItem, Link]], tz: tzinfo | None = None) -> None:
        super().__init__()
        self.choices = list(choices)
        self.tz = tz

    def compose(self) -> ComposeResult:
        count = len(self.choices)
        with Vertical():
            yield Static(f"Open a link ({count} in this conversation, newest first)",
                         id="link-picker-title", classes="picker-title", markup=False)
            yield OptionList(
                *(Option(choice_content(item, link, self.tz), id=str(n))
                  for n, (item, link) in enumerate(self.choices)),
                id="link-picker-list",
            )
            yield Static("Enter: open (the full address is shown first) · Esc: cancel",
                         id="link-picker-hint", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.choices:
            options.highlighted = 0

    @property
    def urls(self) -> list[str]:
        """The URLs listed, in order."""
        return [link.url for _, link in self.choices]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)][1].url)
