"""Notifications: aggregated toasts, bell/OSC only to a real terminal, and
OSC text that cannot break out of its sequence."""

from __future__ import annotations

from agentdesk.ui.notify import Notifier, osc9, osc777, osc_safe, summarize


class FakeApp:
    is_headless = False

    def __init__(self) -> None:
        self.toasts: list[tuple[str, bool]] = []
        self._driver = self
        self.out: list[str] = []

    def notify(self, message: str, *, markup: bool = True, timeout: float = 0) -> None:
        self.toasts.append((message, markup))

    def write(self, data: str) -> None:
        self.out.append(data)


def test_summaries():
    assert summarize(["Ann"], {}) == ["New offer: Ann"]
    assert summarize(["A", "B"], {"A": 2, "B": 1}) == ["2 new offers", "3 new messages in 2 tabs"]
    assert summarize([], {"Ann": 1}) == ["1 new message from Ann"]


def test_osc_text_cannot_escape():
    hostile = "x\x1b]0;PWNED\x07;y\x9c\u202e"
    assert "\x1b" not in osc_safe(hostile) and "\x07" not in osc_safe(hostile)
    assert ";" not in osc_safe(hostile)
    assert osc9(hostile).count("\x1b") == 1 and osc9(hostile).endswith("\x07")
    assert osc777("t;t", hostile).startswith("\x1b]777;notify;tt;")


def test_one_toast_per_flush_with_markup_off_and_bell():
    app = FakeApp()
    notifier = Notifier.with_options(app, {"message": {"bell": True}})  # type: ignore[arg-type]
    for _ in range(3):
        notifier.message("[@click=app.quit]x[/]")
    notifier.offer("Bob")
    notifier.flush()
    assert len(app.toasts) == 1
    message, markup = app.toasts[0]
    assert markup is False and "New offer: Bob" in message and "3 new messages" in message
    assert "\x07" in app.out and any(o.startswith("\x1b]9;") for o in app.out)
    notifier.flush()
    assert len(app.toasts) == 1  # nothing new, nothing shown


def test_an_offer_under_its_banner_rings_without_a_toast():
    app = FakeApp()
    notifier = Notifier(app)  # type: ignore[arg-type]
    notifier.offer("Bob", banner_shown=True)
    notifier.flush()
    assert app.toasts == []  # the banner says it already
    assert "\x07" in app.out and any(o.startswith("\x1b]9;New offer: Bob") for o in app.out)


def test_headless_writes_nothing_to_the_terminal():
    app = FakeApp()
    app.is_headless = True
    notifier = Notifier(app)  # type: ignore[arg-type]
    notifier.offer("Ann")
    notifier.flush()
    assert app.out == [] and notifier.written  # decided, but not written
