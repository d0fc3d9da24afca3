"""What an interaction's view loads when it opens: the first page of the
customer's unified timeline (items arriving meanwhile are replayed after it),
the customer's profile, the saved draft, and the agent's messages still
waiting in the outbox (from the session state, so they show after a restart)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.css.query import NoMatches

from agentdesk.backends.base import AgentDeskError
from agentdesk.ui.widgets.customer.customer_panel import CustomerPanel

if TYPE_CHECKING:
    from agentdesk.domain.models import CustomerDetail
    from agentdesk.ui.screens.desk_screen import DeskScreen

TIMELINE_PAGE = 100


class ViewLoader:
    def __init__(self, screen: DeskScreen) -> None:
        self.screen = screen
        self.customers: dict[str, CustomerDetail] = {}
        self.loading: dict[str, list[Any]] = {}  # items that arrived while the first page loads

    def load_interaction(self, iid: str) -> None:
        self.screen.run_worker(self._load_interaction(iid), group="open", exit_on_error=False)

    async def _load_interaction(self, iid: str) -> None:
        screen = self.screen
        controller = screen.controller
        inter = screen.state.interactions.get(iid)
        if inter is None:
            return
        self.loading[iid] = []
        controller.rebuild_outgoing(iid)  # shown with the first page (`sync_outgoing`)
        try:
            page = await controller.timeline_page(inter.customer_id, limit=TIMELINE_PAGE)
        except AgentDeskError as exc:
            self.loading.pop(iid, None)
            screen.show_error(exc)
        else:
            # Changes folded but not drawn yet (renders wait for the frame) would be
            # drawn after this page, against a pending list that already counts
            # them: an echo the reducer took off that list would show below the
            # later replies still pending. Drawn now, they land in `arrived`.
            screen.render_pending()
            arrived = self.loading.pop(iid, [])
            view = screen.tabs.views.get(iid)
            if view is not None:
                view.timeline.set_items(page.items, page.has_more)
                view.timeline.append_items(arrived)
                controller.note_items(iid, page.items)
                self.sync_outgoing(iid)
                if iid == screen.tabs.current_id:
                    screen.suggestions.schedule()
        await self._load_customer(inter.customer_id)
        draft = screen.services.drafts.load(iid)
        view = screen.tabs.views.get(iid)
        if draft and view is not None:
            view.composer.load_draft(draft.text, draft.subject or None, draft.cc or None)

    def sync_outgoing(self, iid: str) -> None:
        """Show the agent's pending and refused messages as the state has them."""
        view = self.screen.tabs.views.get(iid)
        if view is None or iid in self.loading or not view.is_mounted:
            return  # shown once the first page is in
        inter = self.screen.state.interactions.get(iid)
        timeline = view.timeline
        for row in self.screen.state.outgoing.get(iid, ()):
            if row.replaces:
                timeline.rekey_pending(row.replaces, row.client_id)
            if inter is not None:
                timeline.add_pending(row.client_id, iid, row.body, row.kind, inter.channel,
                                     row.author, row.at)
            timeline.set_delivery(row.client_id, row.delivery.value, row.error)

    def load_customer(self, customer_id: str) -> None:
        self.screen.run_worker(self._load_customer(customer_id), group="customer",
                               exit_on_error=False)

    async def _load_customer(self, customer_id: str) -> None:
        try:
            detail = await self.screen.controller.customer(customer_id)
        except AgentDeskError as exc:
            self.screen.show_error(exc)
            return
        self.customers[customer_id] = detail
        active = self.screen.tabs.current()
        if active is not None and active.customer_id == customer_id:
            self.show_customer()

    def show_profile_of(self, customer_id: str) -> None:
        """Any customer's profile in the panel (a palette search), until the tab changes."""
        self.screen.run_worker(self._show_profile_of(customer_id), group="customer",
                               exit_on_error=False)

    async def _show_profile_of(self, customer_id: str) -> None:
        try:
            detail = await self.screen.controller.customer(customer_id)
        except AgentDeskError as exc:
            self.screen.show_error(exc)
            return
        self.customers[customer_id] = detail
        try:
            self.screen.query_one(CustomerPanel).show(detail)
        except NoMatches:
            return

    def show_customer(self) -> None:
        try:
            panel = self.screen.query_one(CustomerPanel)
        except NoMatches:
            return
        inter = self.screen.tabs.current()
        if inter is None:
            panel.show_empty("No interaction selected")
        elif inter.customer_id in self.customers:
            panel.show(self.customers[inter.customer_id])
        else:
            panel.show_empty("Loading customer…")

    def page_older(self, iid: str, before_id: str) -> None:
        self.screen.run_worker(self._page_older(iid, before_id), group="older", exit_on_error=False)

    async def _page_older(self, iid: str, before_id: str) -> None:
        inter = self.screen.state.interactions.get(iid)
        view = self.screen.tabs.views.get(iid)
        if inter is None or view is None:
            return
        try:
            page = await self.screen.controller.timeline_page(
                inter.customer_id, before=before_id, limit=TIMELINE_PAGE)
        except AgentDeskError as exc:
            self.screen.show_error(exc, "Older messages")
            return
        view.timeline.prepend_items(page.items, page.has_more)
