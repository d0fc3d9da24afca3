"""Desk notifications: terminal bell, OSC 9 / OSC 777 desktop notifications
and aggregated toasts.

Toasts are collected and shown at most once a second as one summary ("3 new
messages in 2 tabs"), never one per event; the desk signals a tab's messages
only when the tab had none unread (its unread count says the rest). Bell and
desktop notifications are written through the app's driver, and only when a
real terminal is attached (never in headless tests). Every text goes out with
`markup=False`, and the text of an OSC sequence is reduced to printable
characters so a customer name cannot end the sequence early.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

EVENT_TYPES = ("offer", "message", "missed", "error")

DEFAULT_OPTIONS: dict[str, dict[str, bool]] = {
    "offer": {"bell": True, "desktop": True, "toast": True},
    "message": {"bell": False, "desktop": False, "toast": True},
    "missed": {"bell": True, "desktop": True, "toast": True},
    "error": {"bell": False, "desktop": False, "toast": True},
}


def osc_safe(text: str, limit: int = 120) -> str:
    """Printable characters only: no ESC, BEL, ST or ';' that could break out."""
    cleaned = "".join(ch for ch in text if ch.isprintable() and ch not in "\x1b\x07\x9c;")
    return cleaned[:limit]


def osc9(text: str) -> str:
    return f"\x1b]9;{osc_safe(text)}\x07"


def osc777(title: str, body: str) -> str:
    return f"\x1b]777;notify;{osc_safe(title)};{osc_safe(body)}\x07"


def summarize(offers: list[str], messages: dict[str, int]) -> list[str]:
    """Lines of the aggregated toast for one flush."""
    lines = []
    if len(offers) == 1:
        lines.append(f"New offer: {offers[0]}")
    elif offers:
        lines.append(f"{len(offers)} new offers")
    total = sum(messages.values())
    if total:
        tabs = len(messages)
        noun = "message" if total == 1 else "messages"
        where = f"in {tabs} tab" + ("s" if tabs > 1 else "") if tabs > 1 else f"from {next(iter(messages))}"
        lines.append(f"{total} new {noun} {where}")
    return lines


@dataclass
class Notifier:
    app: App
    options: dict[str, dict[str, bool]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_OPTIONS.items()}
    )
    _offers: list[str] = field(default_factory=list)
    _messages: dict[str, int] = field(default_factory=dict)
    _rang: bool = False
    _desktop: list[tuple[str, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # terminal output, kept for tests

    @classmethod
    def with_options(cls, app: App, overrides: Mapping[str, Mapping[str, bool]] | None) -> Notifier:
        notifier = cls(app)
        for kind, flags in (overrides or {}).items():
            notifier.options.setdefault(kind, {}).update(flags)
        return notifier

    def start(self) -> None:
        self.app.set_interval(1.0, self.flush)

    def _want(self, kind: str, what: str) -> bool:
        return self.options.get(kind, {}).get(what, False)

    def offer(self, customer: str, *, banner_shown: bool = False) -> None:
        """A new offer. While the desk's offer banner is on screen it is the offer's
        signal: a toast would only repeat it, and at 80x24 it would still cover
        the call bar when the agent has accepted. Under a dialog it toasts."""
        if self._want("offer", "toast") and not banner_shown:
            self._offers.append(customer)
        self._signal("offer", "New offer", customer)

    def message(self, customer: str, count: int = 1) -> None:
        """`count` new messages from `customer`. The desk calls this once per unread
        stretch of a tab (its first unread messages), not for every message."""
        if self._want("message", "toast"):
            self._messages[customer] = self._messages.get(customer, 0) + count
        self._signal("message", "New message", customer)

    def missed(self) -> None:
        self._signal("missed", "Missed offer", "You are Not Responding")

    def _signal(self, kind: str, title: str, body: str) -> None:
        self._rang |= self._want(kind, "bell")
        if self._want(kind, "desktop"):
            self._desktop.append((title, body))

    def flush(self) -> None:
        lines = summarize(self._offers, self._messages)
        if lines:
            self.app.notify("\n".join(lines), markup=False, timeout=4)
        if self._rang:
            self._write("\x07")
        if self._desktop:
            title, body = self._desktop[-1]
            if len(self._desktop) > 1:
                body = f"{len(self._desktop)} new events"
            self._write(osc9(f"{title}: {body}") + osc777(title, body))
        self._offers.clear()
        self._messages.clear()
        self._desktop.clear()
        self._rang = False

    def _write(self, data: str) -> None:
        self.written.append(data)
        driver = getattr(self.app, "_driver", None)
        if driver is not None and not self.app.is_headless:
            driver.write(data)
