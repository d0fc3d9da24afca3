"""`CannedPicker`: a filterable list of canned responses (ModalScreen).

`CannedPicker(responses, channel=None)` dismisses with the chosen
`CannedResponse`, or None on Escape. Type to filter (shortcut, title and body,
case-insensitive); up/down move, Enter chooses. The composer pre-filters the
list by channel. Bindings (ids): canned-cancel (escape), canned-up (up),
canned-down (down).
"""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agentdesk.domain.models import CannedResponse, Channel
from agentdesk.ui.glyphs import CHANNEL_LABEL
from agentdesk.ui.modals.picker import PickerModal

PREVIEW_CHARS = 90


class CannedPicker(PickerModal[CannedResponse | None]):
    """Pick a canned response to insert."""

    DEFAULT_CSS = """
    CannedPicker #canned-filter { margin: 0 0 1 0; }
    CannedPicker #canned-empty { color: $muted-foreground; display: none; }
    CannedPicker.-empty #canned-empty { display: block; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="canned-cancel"),
        Binding("up", "move(-1)", "Up", show=False, id="canned-up"),
        Binding("down", "move(1)", "Down", show=False, id="canned-down"),
    ]

    def __init__(self, responses: list[CannedResponse], channel: Channel | None = None) -> None:
        super().__init__()
        self._responses = list(responses)
        self._channel = channel
        self._shown: list[CannedResponse] = []

    def compose(self) -> ComposeResult:
        title = "Canned responses"
        if self._channel is not None:
            title += f" for {CHANNEL_LABEL[self._channel]}"
        with Vertical():
            yield Static(title, id="canned-title", classes="picker-title", markup=False)
            yield Input(placeholder="Filter…", id="canned-filter", compact=True)
            yield OptionList(id="canned-list")
            yield Static("Nothing matches.", id="canned-empty", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    @property
    def shown(self) -> list[CannedResponse]:
        """The responses currently listed (after filtering)."""
        return self._shown

    @on(Input.Changed, "#canned-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#canned-filter")
    def _choose_highlighted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None and self._shown:
            self.dismiss(self._shown[options.highlighted])

    @on(OptionList.OptionSelected)
    def _choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._shown[event.option_index])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step < 0:
            options.action_cursor_up()
        else:
            options.action_cursor_down()

    def _fill(self, query: str) -> None:
        needle = query.strip().lstrip("/").casefold()
        self._shown = [
            response
            for response in self._responses
            if not needle
            or needle in response.shortcut.casefold()
            or needle in response.title.casefold()
            or needle in response.body.casefold()
        ]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(_prompt(response)) for response in self._shown])
        if self._shown:
            options.highlighted = 0
        self.set_class(not self._shown, "-empty")


def _prompt(response: CannedResponse) -> Content:
    """Shortcut, title and a one-line preview, all literal text."""
    preview = " ".join(response.body.split())
    if len(preview) > PREVIEW_CHARS:
        preview = preview[: PREVIEW_CHARS - 1] + "…"
    return Content.assemble(
        # The protocol's shortcuts start with "/" ("/hi"); older data may not.
        ("/" + response.shortcut.lstrip("/"), "bold $accent"),
        "  ",
        (response.title, "bold"),
        "\n",
        (preview, "$muted-foreground"),
    )


AGENT_PLACEHOLDER = "{agent}"
AGENT_FIRST_PLACEHOLDER = "{agent_first}"
CUSTOMER_PLACEHOLDER = "{customer}"
CUSTOMER_FIRST_PLACEHOLDER = "{customer_first}"
PLACEHOLDERS = (AGENT_PLACEHOLDER, AGENT_FIRST_PLACEHOLDER, CUSTOMER_PLACEHOLDER,
                CUSTOMER_FIRST_PLACEHOLDER)
# A backend's own variable the adapter could not map ("{{contact.phone_number}}").
_FOREIGN = re.compile(r"\{\{\s*[\w.]+\s*\}\}")


def fill_canned(body: str, *, agent: str | None, customer: str | None = None) -> str:
    """`body` with `{agent}` / `{agent_first}` replaced by the agent's name and
    `{customer}` / `{customer_first}` by the customer's.

    Only those exact placeholders are touched: any other braces ("{", "}",
    "{x}", "{{") stay as written ("{{agent}}" becomes "{Name}"), and nothing
    is formatted (no `str.format`), so odd braces can never raise. An unknown
    name fills in as "" (the composer then warns the agent) rather than
    leaving the raw placeholder for the customer.
    """
    names = {AGENT_PLACEHOLDER: agent, CUSTOMER_PLACEHOLDER: customer}
    for whole, first in ((AGENT_PLACEHOLDER, AGENT_FIRST_PLACEHOLDER),
                         (CUSTOMER_PLACEHOLDER, CUSTOMER_FIRST_PLACEHOLDER)):
        full = (names[whole] or "").strip()
        body = body.replace(whole, full).replace(first, full.split()[0] if full else "")
    return body


def unknown_variables(body: str) -> list[str]:
    """The backend variables left in a canned text (`{{contact.phone_number}}`):
    nothing fills them, so the agent is warned before the customer sees one."""
    return list(dict.fromkeys(m.group(0) for m in _FOREIGN.finditer(body)))
