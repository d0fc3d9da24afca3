"""Rendering what the controller reported: views opened, updated and closed,
new timeline items, pending messages, the header, tabs and banner; toasts and
bells for new work. A mixin of `DeskScreen`, called from its `_flush` at most
once per frame."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Static

from agentdesk.domain import session as S
from agentdesk.domain.enums import InteractionState, Presence, RoutingState
from agentdesk.ui.screens.desk_support import bound_key
from agentdesk.ui.widgets.header.desk_header import DeskHeader
from agentdesk.ui.widgets.repaint import show_block


class DeskRendering:
    """Change rendering of the desk screen (mixed into `DeskScreen`)."""

    tabs: Any
    loader: Any
    suggestions: Any
    banner: Any
    services: Any
    state: Any
    type_ahead: Any
    callbacks: Any
    dialogs: Any
    _bindings_shown: tuple[Any, ...] | None

    def _render_changes(self, changes: S.Changes) -> None:
        state, tabs = self.state, self.tabs
        for iid in changes.removed:
            tabs.close_view(iid, changes.removed_reasons.get(iid, ""))
        for iid in sorted(changes.added, key=lambda i: S.urgency_key(state.interactions[i])):
            if iid in state.interactions:
                tabs.open_view(iid)
        for iid in (changes.updated | changes.calls) - changes.added:
            tabs.update_view(iid)
        if changes.calls or changes.added:
            self.dialogs.name_consulted_agents()
        accepted = self.type_ahead.settle()
        if accepted is not None and accepted == tabs.active_id:
            tabs.focus_composer(accepted)
        for iid, items in changes.items.items():
            view = tabs.views.get(iid)
            if view is None:
                continue
            if iid in self.loader.loading:  # the first page is on its way: replay these after it
                self.loader.loading[iid].extend(items)
            if view.is_mounted:
                view.timeline.append_items(items)
            else:
                self.call_after_refresh(view.timeline.append_items, items)
            if iid == tabs.current_id and self.app.is_running:
                tabs.mark_read(iid)
        for iid in changes.outgoing:
            self.loader.sync_outgoing(iid)
        self.suggestions.apply_changes(changes)
        self.callbacks.changed(changes)
        self._notify(changes)
        header = self.query_one(DeskHeader)
        if changes.me:
            header.show_agent(state.agent, state.me.name if state.me else None)
            self.show_empty()
        if changes.stats:
            header.show_stats(state.stats)
        header.show_working(any(i.state in (InteractionState.ACTIVE, InteractionState.WRAPUP)
                                for i in state.interactions.values()))
        if tabs.active_id is None or tabs.active_id not in state.interactions:
            tabs.activate(S.most_urgent(state), quiet=True)
        current = tabs.current_id
        # The chat on screen read as its messages arrive: its label never showed
        # a count, so that read mark need not redraw the whole bar at once.
        unread_shown = bool(changes.unread - {current}) or (
            current in changes.unread and tabs.shows_unread(current))
        if (changes.added or changes.removed or changes.calls or unread_shown or changes.me
                or current in changes.typing or (changes.updated and tabs.labels_changed(changes.updated))):
            tabs.render()
        elif changes.items or changes.typing or changes.unread or changes.updated:
            # Messages only: the chat on screen is read at once (its label keeps no
            # count), so only counts and countdowns changed: they can wait a moment.
            tabs.render_soon()
        self.banner.render()
        if changes.added or changes.removed or changes.updated or changes.me:
            self.refresh_bindings_if_changed()
        if changes.items.get(tabs.current_id or "") or changes.added:
            self.suggestions.schedule()

    def refresh_bindings_if_changed(self) -> None:
        """The footer recomposes on every `refresh_bindings` (a few ms of mounting
        and CSS): only when the keys that apply have changed, not per message."""
        active = self.tabs.current()
        offer = self.tabs.offer_target()
        key = (offer.id if offer else None, self.tabs.current_id,
               active.state if active else None, active is not None and active.call is not None)
        if key != self._bindings_shown:
            self._bindings_shown = key
            self.refresh_bindings()

    def _notify(self, changes: S.Changes) -> None:
        notifier = self.services.notifier
        banner_shown = self.app.screen is self  # no dialog over the desk
        for iid in changes.offered:
            inter = self.state.interactions.get(iid)
            if inter is not None:
                notifier.offer(inter.customer_name, banner_shown=banner_shown)
        for iid, items in changes.items.items():
            if iid == self.tabs.current_id and self.app.focused is not None:
                continue
            inter = self.state.interactions.get(iid)
            if inter is None:
                continue
            new = sum(item.direction.value == "inbound" and item.kind.value == "message" for item in items)
            # One signal per unread stretch: once a tab shows an unread count, that
            # count is the signal until the agent reads it. A toast per second for a
            # busy chat was noise, and each toast mounted and expired is a layout
            # pass of the whole screen (docs/benchmarks.md, under load).
            if new and S.unread_count(self.state, iid) <= new:
                notifier.message(inter.customer_name, count=new)
        if changes.missed:
            notifier.missed()

    def show_empty(self) -> None:
        try:
            empty = self.query_one("#empty", Static)
        except NoMatches:
            return
        agent = self.state.agent
        if agent is None:
            text = Content("Signing in…")
        # The keys named are the ones bound now (the user's [keymap] may move them).
        elif agent.routing_state is RoutingState.NOT_RESPONDING:
            text = Content.from_markup(
                "[b]No open interactions.[/b]\n\nYou missed an offer and are out of routing.\n"
                "$presence to set Available again.", presence=bound_key("presence-menu"))
        elif agent.presence is Presence.AVAILABLE:
            text = Content.from_markup(
                "[b]No open interactions.[/b]\n\nYou are Available: offers appear here as tabs "
                "with a countdown.\n$accept accept · $reject reject · $presence presence · "
                "$help all keys", accept=bound_key("offer-accept"), reject=bound_key("offer-reject"),
                presence=bound_key("presence-menu"), help=bound_key("help"))
        else:
            text = Content.from_markup(
                "[b]No open interactions.[/b]\n\nYou are not taking work. $presence to set Available.",
                presence=bound_key("presence-menu"))
        show_block(empty, text)
        empty.display = not self.tabs.views
