"""The banner line under the header: what the agent must know now, in order of
importance: a missed offer (out of routing), a start-up or loading problem,
the offer that F2/F3 act on (with its countdown), a lost connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Static

from agentdesk.backends.base import LinkState
from agentdesk.desk.view import Notice
from agentdesk.domain.enums import RoutingState
from agentdesk.ui.screens.desk_support import bound_key, offer_line
from agentdesk.ui.widgets.repaint import show, show_block

if TYPE_CHECKING:  # the models need pydantic: kept off the first frame's path
    from agentdesk.domain.models import Interaction
    from agentdesk.ui.screens.desk_screen import DeskScreen


class DeskBanner:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.notice: Notice | None = None

    def _static(self) -> Static | None:
        try:
            return self.screen.query_one("#banner", Static)
        except NoMatches:  # not composed yet, or shutting down
            return None

    def show_notice(self, notice: Notice | None) -> None:
        self.notice = notice
        self.render()

    def render(self) -> None:
        banner = self._static()
        if banner is None:
            return
        screen = self.screen
        state = screen.state
        agent = state.agent
        if state.missed or (agent is not None and agent.routing_state is RoutingState.NOT_RESPONDING):
            self._set(banner, Content(
                f"Missed offer - you are Not Responding. {bound_key('presence-menu')} to set Available"),
                "error")
            return
        if self.notice is not None:
            text = self.notice.text
            if self.notice.level == "error" and not state.loaded:
                text += f" {bound_key('quit')} quits."
            self._set(banner, Content(text), self.notice.level)
            return
        # An offer rings whatever tab is active (agents typing elsewhere missed it):
        # the banner names the one F2/F3 act on.
        offer = screen.tabs.offer_target()
        if offer is not None:
            self._set(banner, self._fitted_offer(offer, screen.size.width - 2), "offer")
            return
        link = screen.link
        if link.state in (LinkState.CONNECTED, LinkState.CONNECTING):
            banner.display = False
        else:
            self._set(banner, Content(f"Connection lost ({link.detail or 'reconnecting'}). "
                                      "Messages you send are queued."), "warning")

    def _fitted_offer(self, offer: Interaction, width: int) -> Content:
        """The offer line on one line (at 80 columns a topic pushed "reject" onto
        the tab row): what it is about (the self-service path, subject or topic)
        is shortened first, then the name; the countdown and the keys always stay."""
        now = self.screen.now()
        line = offer_line(offer, now)
        if width <= 0 or line.cell_length <= width:
            return line
        bare = offer.model_copy(update={"subject": None, "topic": None, "self_service": None})
        line = offer_line(bare, now)
        over = line.cell_length - width
        if over > 0:
            name = offer.customer_name
            short = name[: max(1, len(name) - over - 1)] + "…"
            return offer_line(bare.model_copy(update={"customer_name": short}), now)
        about = _about(offer)
        room = -over - 3  # "· " before it and a space after
        if about and room >= 8:  # a shorter stub says nothing
            cut = about if len(about) <= room else about[: room - 1] + "…"
            line = offer_line(bare.model_copy(update={"subject": cut}), now)
        return line

    @staticmethod
    def _set(banner: Static, content: Content, level: str) -> None:
        # Redrawn on every change of the desk and every second of an offer: a
        # banner that says the same is not updated, and an offer's line (one
        # row, CSS) is a repaint; other banners may change height (a layout).
        if level == "offer" and banner.display and banner.has_class("-offer"):
            show(banner, content)
        else:
            show_block(banner, content)
        banner.set_classes(f"-{level}")
        banner.display = True


def _about(offer: Interaction) -> str:
    """What offer_line shows after the name: the self-service path first."""
    service = offer.self_service.summary() if offer.self_service is not None else ""
    return service or offer.subject or offer.topic or ""
