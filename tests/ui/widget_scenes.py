"""Deterministic scenes of the conversation widgets, for snapshots and screenshots.

Each scene is an App factory; `SCENES` maps a name to it. The snapshot tests
(tests/ui/test_widget_snapshots.py) render each at 120x40 and 80x24.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.containers import Horizontal, Vertical
from widget_data import (
    T0,
    article,
    call,
    canned,
    chat_scene,
    customer_detail,
    interaction,
    suggestions,
)
from widget_harness import UTC, WidgetApp

from agentdesk.domain.models import CallState, Channel, InteractionState
from agentdesk.ui.widgets.call import CallBar, DtmfPad
from agentdesk.ui.widgets.composer import CannedPicker, Composer
from agentdesk.ui.widgets.customer import CustomerPanel
from agentdesk.ui.widgets.interaction import InteractionView
from agentdesk.ui.widgets.suggestions import ArticlePreview, SuggestionPanel


def frozen() -> float:
    return T0 + 192  # 3 min 12 s after the call connected


class SceneApp(WidgetApp):
    """A WidgetApp with an optional setup run once everything is mounted."""

    def __init__(self, factory, setup: Callable[[App], None] | None = None) -> None:
        super().__init__(factory)
        self._setup = setup

    def on_mount(self) -> None:
        if self._setup is not None:
            self._setup(self)


def chat_view() -> App:
    def setup(app: App) -> None:
        view = app.query_one(InteractionView)
        view.timeline.set_items(chat_scene(), has_more=True)
        view.timeline.add_pending("cid-2", "int-9", "Which one do you prefer?", "reply", Channel.CHAT,
                                  "Bob (agent)", T0 + 120)
        view.timeline.set_delivery("cid-2", "failed", "network unreachable")
        view.composer.load_draft("I can also offer a voucher")

    return SceneApp(lambda: InteractionView(interaction(), frozen, tz=UTC), setup)


def email_composer() -> App:
    def setup(app: App) -> None:
        app.query_one(Composer).load_draft("Hi Alice,\n\nYour refund is on its way.\n\nBob", cc=["ops@example.com"])

    return SceneApp(lambda: [Vertical(), Composer("int-7", Channel.EMAIL, subject="Parcel 4411 still not delivered")],
                    setup)


def call_bar() -> App:
    def build():
        return [
            CallBar(call(CallState.CONNECTED, dtmf="1234#"), frozen),
            CallBar(call(CallState.HELD, held_since=T0 + 150, hold_total_s=20.0, muted=True), frozen),
            CallBar(call(CallState.RINGING, connected_at=None), frozen),
            CallBar(call(CallState.ENDED, ended_at=T0 + 100), frozen),
            InteractionView(interaction(Channel.VOICE, InteractionState.WRAPUP, acw_deadline=T0 + 235,
                                        call=call(CallState.ENDED, ended_at=T0 + 100)), frozen, tz=UTC),
        ]

    return SceneApp(build)


def customer_panel() -> App:
    return SceneApp(lambda: CustomerPanel(customer_detail(), tz=UTC))


def suggestion_panel() -> App:
    def setup(app: App) -> None:
        app.query_one(SuggestionPanel).show(suggestions(), "from the last customer message")

    return SceneApp(lambda: Horizontal(Vertical(), SuggestionPanel()), setup)


def canned_picker() -> App:
    def setup(app: App) -> None:
        app.push_screen(CannedPicker(canned(), Channel.EMAIL))

    return SceneApp(lambda: Vertical(), setup)


def dtmf_pad() -> App:
    def setup(app: App) -> None:
        pad = DtmfPad()
        app.push_screen(pad)
        for digit in "12#":
            app.call_after_refresh(pad.press, digit)

    return SceneApp(lambda: Vertical(), setup)


def article_preview() -> App:
    def setup(app: App) -> None:
        app.push_screen(ArticlePreview(article()))

    return SceneApp(lambda: Vertical(), setup)


def offered_email() -> App:
    return SceneApp(lambda: InteractionView(
        interaction(Channel.EMAIL, InteractionState.OFFERED, subject="Parcel", offer_expires_at=T0 + 209),
        frozen, tz=UTC))


SCENES: dict[str, Callable[[], App]] = {
    "chat_view": chat_view,
    "email_composer": email_composer,
    "call_bar": call_bar,
    "customer_panel": customer_panel,
    "suggestion_panel": suggestion_panel,
    "canned_picker": canned_picker,
    "dtmf_pad": dtmf_pad,
    "article_preview": article_preview,
    "offered_email": offered_email,
}
