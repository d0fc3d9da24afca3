"""`ConfirmLink`: asks before opening a link from untrusted text.

`ConfirmLink(url, shown_text=None)` shows the site and the full URL
(literally, never shortened; long ones scroll) and dismisses with True (open)
or False. It warns, above the URL, when the address is built to mislead
(`link_warnings`): a site name in punycode or with non-ASCII characters
(lookalikes), text before an `@` that looks like a site but is not one, a bare
IP address, plain http, or link text (`shown_text`) naming another site than
the one the link goes to. Bindings (ids): link-open (y), link-cancel (n,
escape).

`confirm_and_open(app, url, shown_text=None)` pushes it and calls
`app.open_url(url)` only on an explicit "open" (tests replace `open_url` on
the app instance to see what would have been opened).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

# A site name written in link text: "example.com", "www.example.com/x", "https://a.b".
_SHOWN_HOST = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://)?(?:[^\s/@]*@)?([^\s/:?#]+\.[^\s/:?#]+)", re.I)


def link_site(url: str) -> str:
    """The host the link really goes to (lower case), or "" if it has none."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def link_warnings(url: str, shown_text: str | None = None) -> list[str]:
    """Why this link may not go where it seems to (empty: nothing suspicious)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return ["This is not a valid web address."]
    warnings = []
    if not host:
        return ["This address names no site."]
    if parts.username is not None or "@" in parts.netloc:
        warnings.append(f"Everything before \u201c@\u201d is not the site: this link goes to {host}.")
    if not host.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_host = ""
        if ascii_host:
            warnings.append(f"The site name has non-ASCII characters (it is really {ascii_host}): "
                            "it may imitate a familiar name.")
        else:
            warnings.append("The site name has characters no real site name can have.")
    elif any(label.startswith("xn--") for label in host.split(".")):
        try:
            unicode_host = host.encode("ascii").decode("idna")
        except UnicodeError:
            unicode_host = ""
        shown = f" and reads \u201c{unicode_host}\u201d" if unicode_host and unicode_host != host else ""
        warnings.append(f"The site name is encoded (punycode){shown}: it may imitate a familiar name.")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        warnings.append("The site is a bare IP address, not a name.")
    if parts.scheme.lower() == "http":
        warnings.append("The link is not encrypted (http, not https).")
    if shown_text is not None and shown_text.strip() != url:
        match = _SHOWN_HOST.match(shown_text)
        if match is not None:
            named = match.group(1).lower().rstrip(".")
            if _bare(named) != _bare(host):
                warnings.append(f"The link text names {named}, but the link goes to {host}.")
    return warnings


def _bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


class ConfirmLink(ModalScreen[bool]):
    """Open this link? Shows the site and the whole URL first."""

    DEFAULT_CSS = """
    ConfirmLink { align: center middle; }
    ConfirmLink > Vertical {
        width: 70%;
        min-width: 40;
        max-width: 110;
        height: auto;
        max-height: 90%;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmLink.-suspicious > Vertical { border: round $error; }
    ConfirmLink #link-question { text-style: bold; }
    ConfirmLink #link-site { margin-top: 1; }
    ConfirmLink #link-warnings {
        color: $text-error; background: $error 15%; margin-top: 1; padding: 0 1; height: auto;
    }
    ConfirmLink #link-url-box { height: auto; max-height: 10; margin: 1 0; background: $boost; }
    ConfirmLink #link-url { height: auto; }
    ConfirmLink Horizontal { height: auto; align-horizontal: right; }
    ConfirmLink Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Open", id="link-open"),
        Binding("n,escape", "answer(False)", "Cancel", id="link-cancel"),
    ]

    def __init__(self, url: str, shown_text: str | None = None) -> None:
        super().__init__()
        self.url = url
        self.shown_text = shown_text
        self.site = link_site(url)
        self.warnings = link_warnings(url, shown_text)

    def compose(self) -> ComposeResult:
        self.set_class(bool(self.warnings), "-suspicious")
        with Vertical():
            yield Static("Open this link in your browser?", id="link-question", markup=False)
            yield Static(
                Content.from_markup("Site: [b]$site[/b]", site=self.site or "(none)"), id="link-site"
            )
            if self.warnings:
                yield Static(Content("\n".join(f"\u26a0 {w}" for w in self.warnings)), id="link-warnings")
            with VerticalScroll(id="link-url-box", can_focus=False):
                yield Static(Content(self.url), id="link-url")
            with Horizontal():
                yield Button("Cancel (n)", id="link-no")
                yield Button("Open (y)", id="link-yes", variant="warning")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "link-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def confirm_and_open(app: Any, url: str, shown_text: str | None = None) -> None:
    """Ask first (`ConfirmLink`); open with `app.open_url` only on "open"."""

    def answered(open_it: bool | None) -> None:
        if open_it:
            app.open_url(url)

    app.push_screen(ConfirmLink(url, shown_text), answered)
