"""The agent desk: header, tab bar, the active interaction in the centre,
customer and KB suggestions on the right, footer with the main keys.

Data flow: one long-lived worker (`_follow`) subscribes to `backend.events()`
first and loads the snapshots on the first CONNECTED (and on resync), folds
every event into the pure `SessionState` with `session.apply`, and merges the
`Changes`; what changed is rendered at most once per frame (`_flush`, see
`_schedule_flush`), so a burst of events costs one repaint. Commands (accept, send, call actions, transfer,
wrap-up, presence) run in short workers; widgets only post intent messages.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from agentdesk.backends.base import (
    AgentDeskError,
    BackendAuthError,
    LinkState,
    LinkStatus,
    ProtocolProblem,
    Resync,
    new_client_id,
)
from agentdesk.domain import session as S
from agentdesk.domain.enums import CallAction, CallState, Channel, InteractionState, Presence, RoutingState
from agentdesk.ui.keymap import DESK_BINDINGS
from agentdesk.store.outbox import OutboxKind, OutboxState
from agentdesk.ui.messages import OutboxChanged
from agentdesk.ui.screens.desk_support import SuggestionSource, bound_key, offer_line, tab_infos
from agentdesk.ui.widgets.customer.customer_panel import CustomerPanel
from agentdesk.ui.widgets.header.desk_header import DeskHeader, capacity_reasons
from agentdesk.ui.widgets.suggestions.suggestion_panel import SuggestionPanel
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs
from agentdesk.ui.widgets.timeline.timeline import Timeline

if TYPE_CHECKING:  # imported when the first interaction opens: not on the start-up path
    from agentdesk.domain.models import CustomerDetail, Interaction
    from agentdesk.ui.widgets.composer.composer import Composer
    from agentdesk.ui.widgets.interaction.interaction_view import InteractionView

DELIVERY = {OutboxState.QUEUED: "queued", OutboxState.SENDING: "queued",
            OutboxState.SENT: "sent", OutboxState.FAILED: "failed"}
OUTBOX_WHAT = {OutboxKind.ACCEPT: "Accept", OutboxKind.REJECT: "Reject", OutboxKind.CALL: "Call action",
               OutboxKind.TRANSFER: "Transfer", OutboxKind.WRAPUP: "Wrap-up",
               OutboxKind.PRESENCE: "Presence"}
FLUSH_DELAY_S = 1 / 60  # coalesce bursts of events: at most one render per frame
MOUNT_RETRY_S = 0.02  # poll period while waiting for a new view to mount
WORKER_SLICE_S = 0.008  # the event worker lets keys and paints in at least this often
SUGGEST_DELAY_S = 0.3  # debounce suggestion refreshes
NARROW_WIDTH = 100  # below this the right column is hidden unless toggled on
TIMELINE_PAGE = 100


class DeskScreen(Screen[None]):
    BINDINGS = DESK_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.state = S.SessionState()
        self._pending = S.Changes()
        self._flush_scheduled = False
        self._flush_due = 0.0  # monotonic time the scheduled render is due
        self._last_flush = 0.0
        self._bindings_shown: tuple[Any, ...] | None = None
        self.views: dict[str, InteractionView] = {}
        self.customers: dict[str, CustomerDetail] = {}
        self.active_id: str | None = None
        self.split_id: str | None = None
        # The interaction the agent works in: the active tab, or the split pane once
        # focus moves into it. Actions, the side column and read-marking follow it.
        self.current_id: str | None = None
        self.sort_by_urgency = bool(getattr(self.app, "sort_by_urgency_default", False))
        self.side_forced: bool | None = None  # None: automatic by width
        self.link = LinkStatus(LinkState.CONNECTING)
        self.problems = 0
        self.suggestions = SuggestionSource()
        self._suggest_timer: Any = None
        self._canned: list[Any] = []
        self._relogin_open = False
        self._snapshot_due = True  # load snapshots on the next CONNECTED
        self._awaiting_reconnect = False  # signed in again: ignore stale auth failures
        self._follow_worker: Any = None
        self._focus_on_accept: str | None = None  # focus its composer once it is active
        self._loading: dict[str, list[Any]] = {}  # items that arrived while the first page loads
        self._wrapup_dialog: tuple[str, Any] | None = None  # (interaction id, open WrapupDialog)

    # -- composition --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DeskHeader(id="header")
        yield Static(id="banner", markup=False)
        yield InteractionTabs(id="tabs")
        with Horizontal(id="body"):
            with Container(id="centre"):
                yield Static(id="empty", markup=False)
            with Vertical(id="side"):
                yield CustomerPanel(id="customer", tz=self.app.tz)  # type: ignore[attr-defined]
                yield SuggestionPanel(id="suggestions")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#banner").display = False
        self.query_one(CustomerPanel).show_empty("No interaction selected")
        self._show_empty()
        self._apply_side_visibility()
        self.set_interval(1.0, self._tick)
        # Connect once the first frame is on screen: the backend (and its
        # imports) is built on first use, so the desk paints before that.
        self.call_after_refresh(self._start_following)

    def _start_following(self) -> None:
        if self._follow_worker is None:
            self._follow_worker = self._follow()

    @property
    def _update_timer(self) -> Any:
        """Textual's frame timer for this screen, with its catch-up overshoot fixed
        (see `frame_timer.py`: without it a key can wait 17-33 ms for a frame)."""
        timer = getattr(self, "_frame_timer", None)
        if timer is None:
            from textual.screen import UPDATE_PERIOD

            from agentdesk.ui.screens.frame_timer import frame_timer_for

            timer = self._frame_timer = frame_timer_for(self, UPDATE_PERIOD, self._on_timer_update)
        return timer

    _CALL_ACTIONS = frozenset({"hold", "mute", "hangup", "dtmf"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that apply now show in the footer (and fire)."""
        if action in ("accept", "reject"):
            return self._offer_target() is not None
        active = self.active_interaction()
        if action in self._CALL_ACTIONS:
            return active is not None and active.call is not None and active.state is InteractionState.ACTIVE
        if action == "transfer":
            return active is not None and active.state is InteractionState.ACTIVE
        if action == "wrapup":
            return active is not None and active.state is not InteractionState.OFFERED
        return True

    @property
    def backend(self) -> Any:
        return self.app.backend  # type: ignore[attr-defined]

    def now(self) -> float:
        """Server time as best known: the given server clock (tests), else the
        backend's estimate from the stream, else local time plus the offset
        learnt from event times."""
        clock = self.app.server_clock  # type: ignore[attr-defined]
        if clock is not None:
            return clock()
        estimate = getattr(self.backend, "server_now", None)
        if callable(estimate) and getattr(self.backend, "server_time_offset", None):
            return float(estimate())
        return self.state.server_now(time.time())

    @work(group="stats", exclusive=True, exit_on_error=False)
    async def refresh_stats(self) -> None:
        """Reload the queue stats over HTTP (the stream sends them at most once a second)."""
        try:
            stats = await self.backend.get_stats()
        except AgentDeskError:
            return
        self.state = replace(self.state, stats=stats)
        self.query_one(DeskHeader).show_stats(stats)

    # -- the event stream ---------------------------------------------------------------

    @work(exclusive=True, group="session", exit_on_error=False)
    async def _follow(self) -> None:
        """Subscribe first, then load the snapshots on the first CONNECTED (and on
        every resync): whatever happens in between is in the stream, so nothing is
        missed; events the snapshot already holds are absorbed by the reducer.

        A backlog (a replay after a reconnect, a burst) is read without the loop
        ever waiting, so the worker yields every `WORKER_SLICE_S`: keystrokes and
        screen updates are never starved behind the stream."""
        loop = asyncio.get_running_loop()
        prepare = getattr(self.app, "prepare_backend", None)
        if prepare is not None:
            await prepare()  # the client stack is imported off the loop (issue 13, PERF)
        sign_in = getattr(self.app, "sign_in", None)
        if sign_in is not None and not self.backend.token:  # type: ignore[attr-defined]
            if not await self._first_sign_in(*sign_in):
                return
        from agentdesk.protocol.events import Event  # pydantic: after the first frame

        slice_start = loop.time()
        async for item in self.backend.events():
            now = loop.time()
            if now - slice_start >= WORKER_SLICE_S:
                await asyncio.sleep(0)
                slice_start = loop.time()
            if isinstance(item, Event):
                self.state, changes = S.apply(self.state, item, local_now=time.time())
                self._pending |= changes
                if changes.resync:
                    await self._load_snapshot()
                self._schedule_flush()
            elif isinstance(item, LinkStatus):
                await self._link_changed(item)
            elif isinstance(item, Resync):
                await self._load_snapshot()
            elif isinstance(item, ProtocolProblem):
                self.problems += 1

    async def _first_sign_in(self, username: str, password: str) -> bool:
        """The demo paints the desk before its server is up: sign in as soon as the
        server answers (connection errors mean "not up yet"); a refusal asks the agent."""
        self.query_one(DeskHeader).show_link(LinkState.CONNECTING, 0)
        self._set_banner("Starting the simulated contact center…", "info")
        loop = asyncio.get_running_loop()
        slow_after = loop.time() + 20.0
        while True:
            try:
                await self.backend.login(username, password)
                return True
            except BackendAuthError as exc:
                self._ask_relogin(exc.message)
                return False
            except AgentDeskError as exc:
                if loop.time() > slow_after:  # say so rather than look frozen
                    self._set_banner(f"The server is not answering yet ({exc.message}); "
                                     "still trying. F10 quits.", "error")
                await asyncio.sleep(0.05)

    async def _link_changed(self, item: LinkStatus) -> None:
        self.link = item
        self.query_one(DeskHeader).show_link(item.state, item.attempt)
        if item.state is LinkState.CONNECTED:
            self._awaiting_reconnect = False
            self.app.sender.resume()  # type: ignore[attr-defined]  # queued commands go out now
            if self._snapshot_due or self.state.last_seq == 0:
                await self._load_snapshot()
        elif getattr(self.backend, "link_auth_failed", False) and not self._awaiting_reconnect:
            # The stream keeps retrying with a refused token: ask once (the dialog
            # stays open across retries; after a sign-in this iterator reconnects).
            self._ask_relogin("The server no longer accepts this session. Sign in again; "
                              "your drafts and queued messages are kept.")
        if not self._flush_scheduled:
            self._render_banner()

    async def _load_snapshot(self) -> None:
        backend = self.backend
        while True:
            try:
                (user, agent), interactions, queues, stats = await asyncio.gather(
                    backend.me(), backend.list_interactions(), backend.list_queues(),
                    backend.get_stats())
                break
            except BackendAuthError as exc:
                self._snapshot_due = True  # load it once signed in again
                self._ask_relogin(exc.message)
                return
            except AgentDeskError as exc:
                self.query_one(DeskHeader).show_link(LinkState.RECONNECTING, 0)
                self._set_banner(f"Cannot load the desk: {exc.message}. Retrying…", "error")
                await asyncio.sleep(2.0)
        self._snapshot_due = False
        if self.query_one("#banner", Static).has_class("-error"):
            self.query_one("#banner").display = False  # the "cannot load" banner is stale
        self.state, changes = S.load_snapshot(
            self.state, me=user, agent=agent, interactions=interactions, queues=queues, stats=stats,
        )
        self.query_one(DeskHeader).show_agent(agent, user.name)
        self._pending |= changes
        self._schedule_flush()
        # After the snapshot's frame (issue 13, PERF): the KB index build (a worker
        # thread) and the canned list would otherwise compete with that frame
        # for the GIL and the loop.
        self.call_after_refresh(self._load_reference_data)

    @work(group="reference", exit_on_error=False)
    async def _load_reference_data(self) -> None:
        try:
            self._canned = await self.backend.list_canned_responses()
        except AgentDeskError:
            self._canned = []
        for view in self.views.values():
            view.composer.set_canned(self._canned)
        kb = getattr(self.app, "knowledge_base", None)
        if kb is None and self.suggestions.kb is None:
            try:
                articles = await self.backend.list_kb_articles()
            except AgentDeskError as exc:
                self.query_one(SuggestionPanel).show_empty(f"Knowledge base unavailable: {exc.message}")
                return
            kb = await asyncio.to_thread(self.suggestions.build, articles)
        if kb is not None:
            self.suggestions.use_knowledge_base(kb)
        self._refresh_suggestions()

    def _schedule_flush(self) -> None:
        """Render what changed: at once if the last render is a frame old, else when
        the frame is due. A Textual timer fires late on a busy loop (tens of ms), so
        the next event past the due time renders directly too; the timer only
        covers the tail of a burst."""
        now = time.monotonic()
        if self._flush_scheduled:
            if now >= self._flush_due:
                self._flush()
            return
        wait = self._last_flush + FLUSH_DELAY_S - now
        if wait <= 0:
            self._flush()
            return
        self._flush_scheduled = True
        self._flush_due = now + wait
        self.set_timer(wait, self._flush)

    # -- rendering what changed ---------------------------------------------------------------

    def _flush(self) -> None:
        self._flush_scheduled = False
        if not self.is_attached:
            return
        changes, self._pending = self._pending, S.Changes()
        if not changes:
            return
        self._last_flush = time.monotonic()
        with self.app.batch_update():
            self._render_changes(changes)

    def _render_changes(self, changes: S.Changes) -> None:
        state = self.state
        for iid in changes.removed:
            self._close_view(iid, changes.removed_reasons.get(iid, ""))
        for iid in sorted(changes.added, key=lambda i: S.urgency_key(state.interactions[i])):
            if iid in state.interactions:
                self._open_view(iid)
        for iid in (changes.updated | changes.calls) - changes.added:
            self._update_view(iid)
        accepted = state.interactions.get(self._focus_on_accept or "")
        if accepted is not None and accepted.state is InteractionState.ACTIVE:
            self._focus_on_accept = None
            if accepted.id == self.active_id:
                self._focus_composer(accepted.id)
        for iid, items in changes.items.items():
            view = self.views.get(iid)
            if view is None:
                continue
            if iid in self._loading:  # the first page is on its way: replay these after it
                self._loading[iid].extend(items)
            if view.is_mounted:
                view.timeline.append_items(items)
            else:
                self.call_after_refresh(view.timeline.append_items, items)
            if iid == self.current_id and self.app.is_running:
                self._mark_read(iid)
        if changes.kb_articles or changes.kb_removed:
            self.suggestions.apply_changes(changes.kb_articles, changes.kb_removed)
        self._notify(changes)
        if changes.me:
            self.query_one(DeskHeader).show_agent(state.agent)
            self._render_banner()
            self._show_empty()
        if changes.stats:
            self.query_one(DeskHeader).show_stats(state.stats)
        if self.active_id is None or self.active_id not in state.interactions:
            self.activate(self._first_tab(), quiet=True)
        self._render_tabs()
        if changes.added or changes.removed or changes.updated or changes.me:
            self._refresh_bindings_if_changed()
        if changes.items.get(self.current_id or "") or changes.added:
            self._schedule_suggestions()

    def _bindings_key(self) -> tuple[Any, ...]:
        """What `check_action` depends on."""
        active = self.active_interaction()
        offer = self._offer_target()
        return (offer.id if offer else None, self.current_id,
                active.state if active else None, active is not None and active.call is not None)

    def _refresh_bindings_if_changed(self) -> None:
        """The footer recomposes on every `refresh_bindings` (a few ms of mounting
        and CSS): only when the keys that apply have changed, not per message."""
        key = self._bindings_key()
        if key != self._bindings_shown:
            self._bindings_shown = key
            self.refresh_bindings()

    def _notify(self, changes: S.Changes) -> None:
        notifier = self.app.notifier  # type: ignore[attr-defined]
        for iid in changes.offered:
            inter = self.state.interactions.get(iid)
            if inter is not None:
                notifier.offer(inter.customer_name)
        for iid, items in changes.items.items():
            if iid == self.current_id and self.app.focused is not None:
                continue
            inter = self.state.interactions.get(iid)
            if inter is None:
                continue
            for item in items:
                if item.direction.value == "inbound" and item.kind.value == "message":
                    notifier.message(inter.customer_name)
        if changes.missed:
            notifier.missed()

    def _render_tabs(self) -> None:
        tabs = self.query_one(InteractionTabs)
        tabs.set_tabs(self.tab_order(), tab_infos(self.state, self.now()), self.now())
        tabs.set_active(self.active_id, self.split_id)
        self._render_banner()

    def _render_banner(self) -> None:
        banner = self.query_one("#banner", Static)
        state = self.state
        agent = state.agent
        if state.missed or (agent is not None and agent.routing_state is RoutingState.NOT_RESPONDING):
            self._set_banner(
                f"Missed offer - you are Not Responding. {bound_key('presence-menu')} to set Available",
                "error")
            return
        # An offer rings whatever tab is active (agents typing elsewhere missed it):
        # the banner names the one F2/F3 act on (`_offer_target`).
        offer = self._offer_target()
        if offer is not None:
            banner.update(offer_line(offer, self.now()))
            banner.set_classes("-offer")
            banner.display = True
            return
        if self.link.state is LinkState.CONNECTED or self.link.state is LinkState.CONNECTING:
            banner.display = False
        else:
            self._set_banner(f"Connection lost ({self.link.detail or 'reconnecting'}). "
                             "Messages you send are queued.", "warning")

    def _set_banner(self, text: str, level: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(Content(text))
        banner.set_classes(f"-{level}")
        banner.display = True

    def _tick(self) -> None:
        now = self.now()
        self.query_one(DeskHeader).tick(now)
        if self.state.interactions:
            self.query_one(InteractionTabs).set_tabs(self.tab_order(), tab_infos(self.state, now), now)
            for iid in (self.active_id, self.split_id):
                view = self.views.get(iid or "")
                if view is not None:
                    view.tick()
            self._render_banner()

    def _show_empty(self) -> None:
        empty = self.query_one("#empty", Static)
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
        empty.update(text)
        empty.display = not self.views

    # -- views ----------------------------------------------------------------------------

    def _open_view(self, iid: str) -> None:
        if iid in self.views:
            return
        from agentdesk.ui.widgets.interaction.interaction_view import InteractionView

        inter = self.state.interactions[iid]
        view = InteractionView(inter, now=self.now, tz=self.app.tz, id=f"view-{iid}")  # type: ignore[attr-defined]
        view.display = False
        self.views[iid] = view
        self.query_one("#centre").mount(view)
        view.composer.set_canned(self._canned)
        self._show_empty()
        self._load_interaction(iid)

    def _update_view(self, iid: str) -> None:
        view = self.views.get(iid)
        if view is None or iid not in self.state.interactions:
            return
        if not view.is_mounted:  # created in this batch: update once it is mounted
            self._retry_soon(self._update_view, iid)
            return
        inter = self.state.interactions[iid]
        if view.interaction.state is not inter.state:
            # the profile lists this contact with its state: keep it current
            self._load_customer(inter.customer_id, iid)
        view.update_interaction(inter)

    @work(group="customer", exit_on_error=False)
    async def _load_customer(self, customer_id: str, iid: str) -> None:
        try:
            detail = await self.backend.get_customer(customer_id)
        except AgentDeskError as exc:
            self._error(exc)
            return
        self.customers[customer_id] = detail
        active = self.active_interaction()
        if active is not None and active.customer_id == customer_id:
            self.query_one(CustomerPanel).show(detail)

    def _close_view(self, iid: str, reason: str) -> None:
        self._close_wrapup_dialog(iid, reason)
        view = self.views.pop(iid, None)
        if view is not None:
            view.remove()
        if self.split_id == iid:
            self.split_id = None
        if self.active_id == iid:
            self.active_id = None
        if self.current_id == iid:
            self.current_id = self.active_id
            self._show_customer()
        self._show_empty()

    @work(group="open", exit_on_error=False)
    async def _load_interaction(self, iid: str) -> None:
        inter = self.state.interactions.get(iid)
        if inter is None:
            return
        backend = self.backend
        self._loading[iid] = []
        try:
            page = await backend.get_timeline(inter.customer_id, limit=TIMELINE_PAGE)
        except AgentDeskError as exc:
            self._loading.pop(iid, None)
            self._error(exc)
        else:
            arrived = self._loading.pop(iid, [])
            view = self.views.get(iid)
            if view is not None:
                view.timeline.set_items(page.items, page.has_more)
                view.timeline.append_items(arrived)
                self.state = S.note_items(self.state, iid, page.items)
                if iid == self.current_id:
                    self._schedule_suggestions()
        await self._load_customer(inter.customer_id, iid).wait()
        draft = self.app.drafts.load(iid)  # type: ignore[attr-defined]
        view = self.views.get(iid)
        if draft and view is not None:
            view.composer.load_draft(draft.text, draft.subject or None, draft.cc or None)

    def reload_timeline(self, iid: str) -> None:
        self._load_interaction(iid)

    # -- tabs and activation -------------------------------------------------------------------

    def tab_order(self) -> list[str]:
        return S.urgency_order(self.state) if self.sort_by_urgency else S.arrival_order(self.state)

    def _first_tab(self) -> str | None:
        return S.most_urgent(self.state)

    def activate(self, iid: str | None, *, quiet: bool = False) -> None:
        if iid is not None and iid not in self.views:
            return
        self.active_id = iid
        if self.split_id == iid:
            self.split_id = None
        for vid, view in self.views.items():
            view.display = vid in (iid, self.split_id)
            view.set_class(vid == self.split_id, "-split-right")
        self.query_one("#centre").set_class(self.split_id is not None, "-split")
        self.query_one(InteractionTabs).set_active(iid, self.split_id)
        self.current_id = iid
        self._show_customer()
        if iid is not None:
            self._mark_read(iid)
            if not quiet:
                self._focus_composer(iid)
        self._show_empty()
        self._render_banner()
        self._refresh_bindings_if_changed()
        self._schedule_suggestions()

    def _focus_composer(self, iid: str) -> None:
        view = self.views.get(iid)
        if view is None:
            return
        if view.is_mounted and view.composer.is_mounted:
            view.composer.focus_body()
        else:
            self._retry_soon(self._focus_composer, iid)

    def _retry_soon(self, method: Callable[[str], None], iid: str) -> None:
        """Try again once the view has mounted. A timer, not `call_after_refresh`: a
        callback that re-queues itself after every refresh keeps the screen's message
        queue from ever emptying, which starves the very mount it waits for."""
        self.set_timer(MOUNT_RETRY_S, lambda: method(iid))

    def _mark_read(self, iid: str) -> None:
        if S.unread_count(self.state, iid):
            self.state = S.mark_read(self.state, iid)
            if not self._flush_scheduled:
                self._render_tabs()
            self._call_quietly(self.backend.mark_read(iid))

    @work(group="read", exit_on_error=False)
    async def _call_quietly(self, call: Awaitable[Any]) -> None:
        try:
            await call
        except BackendAuthError as exc:
            self._ask_relogin(exc.message)
        except AgentDeskError:
            pass  # marking read is best effort

    def active_interaction(self) -> Interaction | None:
        """The interaction the agent works in (`current_id`): the pane with the
        keyboard in a split view, else the active tab."""
        return self.state.interactions.get(self.current_id or "")

    def _set_current(self, iid: str | None) -> None:
        """Make `iid` (the active tab or the split pane) the one actions, the side
        column and read-marking follow."""
        if iid not in (self.active_id, self.split_id) or iid not in self.views:
            iid = self.active_id
        changed = iid != self.current_id
        self.current_id = iid
        if not changed:
            return
        self._show_customer()
        if iid is not None:
            self._mark_read(iid)
        self._refresh_bindings_if_changed()
        self._schedule_suggestions()

    def _show_customer(self) -> None:
        inter = self.active_interaction()
        panel = self.query_one(CustomerPanel)
        if inter is None:
            panel.show_empty("No interaction selected")
        elif inter.customer_id in self.customers:
            panel.show(self.customers[inter.customer_id])
        else:
            panel.show_empty("Loading customer…")

    def on_descendant_focus(self, event: Any) -> None:
        """Focus moving into a pane of the split view makes it the current one
        (focus elsewhere, e.g. the side column, keeps the current pane)."""
        if self.split_id is None:
            return
        node = event.widget
        for iid in (self.split_id, self.active_id):
            view = self.views.get(iid or "")
            if view is not None and view in node.ancestors_with_self:
                self._set_current(iid)
                return

    @on(InteractionTabs.Selected)
    def _tab_clicked(self, event: InteractionTabs.Selected) -> None:
        self.activate(event.interaction_id)

    def action_goto_tab(self, number: int) -> None:
        order = self.tab_order()
        if 1 <= number <= len(order):
            self.activate(order[number - 1])

    def action_most_urgent(self) -> None:
        self.activate(S.most_urgent(self.state))

    def _step_tab(self, step: int) -> None:
        order = self.tab_order()
        if not order:
            return
        index = order.index(self.active_id) if self.active_id in order else -1
        self.activate(order[(index + step) % len(order)])

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def action_toggle_sort(self) -> None:
        self.sort_by_urgency = not self.sort_by_urgency
        self.query_one(InteractionTabs).set_sort_label(self.sort_by_urgency)
        self._render_tabs()

    # -- layout ------------------------------------------------------------------------------

    def action_toggle_split(self) -> None:
        if self.split_id is not None:
            self.split_id = None
        else:
            others = [i for i in self.tab_order() if i != self.active_id]
            if not others or self.active_id is None:
                self.notify("Split view needs two open interactions", markup=False)
                return
            self.split_id = others[0]
        self.activate(self.active_id, quiet=True)

    def action_swap_split_focus(self) -> None:
        if self.split_id is None or self.active_id is None:
            return
        self.active_id, self.split_id = self.split_id, self.active_id
        self.activate(self.active_id)

    def action_toggle_side(self) -> None:
        side = self.query_one("#side")
        self.side_forced = not side.display
        self._apply_side_visibility()

    def on_resize(self) -> None:
        self._apply_side_visibility()

    def _apply_side_visibility(self) -> None:
        wide = self.size.width >= NARROW_WIDTH if self.size.width else True
        show = self.side_forced if self.side_forced is not None else wide
        side = self.query_one("#side")
        side.display = show
        side.set_class(not wide, "-overlay")

    def action_capacity_info(self) -> None:
        lines = capacity_reasons(self.state.agent)
        self.notify("\n".join(lines) or "Every channel is accepting work.",
                    title="Capacity", markup=False, timeout=6)

    # -- offers -----------------------------------------------------------------------------

    def _offer_target(self) -> Interaction | None:
        active = self.active_interaction()
        if active is not None and active.state is InteractionState.OFFERED:
            return active
        offers = [self.state.interactions[i] for i in S.urgency_order(self.state)
                  if self.state.interactions[i].state is InteractionState.OFFERED]
        return offers[0] if offers else None

    def action_accept(self) -> None:
        target = self._offer_target()
        if target is None:
            self.notify("No offer to accept", markup=False)
            return
        self.accept(target.id)

    def action_reject(self) -> None:
        target = self._offer_target()
        if target is None:
            self.notify("No offer to reject", markup=False)
            return
        self.reject(target.id)

    def accept(self, iid: str) -> None:
        self.activate(iid, quiet=True)
        self._focus_on_accept = iid
        self._submit("accept", iid, {})

    def reject(self, iid: str) -> None:
        self._submit("reject", iid, {})

    # -- commands ------------------------------------------------------------------------------

    def _submit(self, kind: str, iid: str | None, payload: dict[str, Any]) -> None:
        """Every command goes through the durable outbox; the sender delivers it
        with its client_id and reports back through `OutboxChanged`."""
        self.app.sender.submit(kind, iid, payload)  # type: ignore[attr-defined]

    @work(group="commands", exit_on_error=False)
    async def _command(self, call: Callable[[], Awaitable[Any]], what: str) -> Any:
        """Read-only calls that feed a dialog (lists of queues, dispositions)."""
        try:
            return await call()
        except AgentDeskError as exc:
            self._error(exc, what)
            return None

    @on(OutboxChanged)
    def _outbox_changed(self, event: OutboxChanged) -> None:
        item = event.item
        if (item.state is OutboxState.QUEUED and item.error.startswith("signed out")
                and self.app.sender.paused_reason):  # type: ignore[attr-defined]
            self._ask_relogin("The server refused this session (401). Sign in again; "
                              "your drafts and queued messages are kept.")
        if item.kind is OutboxKind.MESSAGE:
            view = self.views.get(item.interaction_id or "")
            if view is not None:
                view.timeline.set_delivery(item.client_id, DELIVERY[item.state], item.error or None)
            return
        if item.state is OutboxState.FAILED:
            what = OUTBOX_WHAT.get(item.kind, item.kind.value)
            self.notify(item.error or "refused", title=f"{what} failed", severity="error",
                        markup=False, timeout=6)
            self.app.sender.discard(item.client_id)  # type: ignore[attr-defined]

    def _error(self, exc: AgentDeskError, what: str = "") -> None:
        if isinstance(exc, BackendAuthError):
            self._ask_relogin(exc.message)
            return
        title = f"{what}: {exc.title}" if what else exc.title
        self.notify(exc.message, title=title, severity="error", markup=False, timeout=6)

    def _active_call(self) -> Interaction | None:
        inter = self.active_interaction()
        if inter is None or inter.channel is not Channel.VOICE or inter.call is None:
            self.notify("No call in this tab", markup=False)
            return None
        return inter

    def _call(self, action: CallAction, digits: str | None = None) -> None:
        inter = self._active_call()
        if inter is None:
            return
        payload: dict[str, Any] = {"action": action.value}
        if digits:
            payload["digits"] = digits
        self._submit("call", inter.id, payload)

    def action_hold(self) -> None:
        inter = self._active_call()
        if inter is not None:
            held = inter.call is not None and inter.call.state is CallState.HELD
            self._call(CallAction.RESUME if held else CallAction.HOLD)

    def action_mute(self) -> None:
        inter = self._active_call()
        if inter is not None:
            self._call(CallAction.UNMUTE if inter.call and inter.call.muted else CallAction.MUTE)

    def action_hangup(self) -> None:
        self._call(CallAction.HANGUP)

    def action_dtmf(self) -> None:
        from agentdesk.ui.widgets.call.dtmf_pad import DtmfPad

        if self._active_call() is None:
            return

        def send(digits: str | None) -> None:
            if digits:
                self._call(CallAction.DTMF, digits)

        self.app.push_screen(DtmfPad(), send)

    def action_transfer(self) -> None:
        inter = self.active_interaction()
        if inter is None or inter.state is not InteractionState.ACTIVE:
            self.notify("Transfer needs an active interaction", markup=False)
            return
        self._open_transfer(inter.id)

    @work(group="dialogs", exclusive=True, exit_on_error=False)
    async def _open_transfer(self, iid: str) -> None:
        from agentdesk.ui.modals.transfer_dialog import TransferDialog

        inter = self.state.interactions[iid]
        try:
            queues = await self.backend.list_queues()
        except AgentDeskError as exc:
            self._error(exc, "Transfer")
            return
        try:
            agents = [a for a in await self.backend.list_agents()
                      if self.state.me is None or a.id != self.state.me.id]
        except AgentDeskError:
            agents = []  # agents list may be supervisor-only on some backends
        choice = await self.app.push_screen_wait(TransferDialog(inter.customer_name, queues, agents))
        if choice is None:
            return
        self._submit("transfer", iid, {"queue_id": choice.queue_id, "agent_id": choice.agent_id,
                                       "mode": choice.mode.value})

    def action_wrapup(self) -> None:
        inter = self.active_interaction()
        if inter is None or inter.state is InteractionState.OFFERED:
            self.notify("Nothing to wrap up here", markup=False)
            return
        self.open_wrapup(inter.id)

    def open_wrapup(self, iid: str) -> None:
        self._open_wrapup(iid)

    @work(group="dialogs", exclusive=True, exit_on_error=False)
    async def _open_wrapup(self, iid: str) -> None:
        from agentdesk.ui.modals.wrapup_dialog import WrapupDialog

        inter = self.state.interactions.get(iid)
        if inter is None:
            return
        try:
            dispositions = await self.backend.list_dispositions()
        except AgentDeskError as exc:
            self._error(exc, "Wrap-up")
            return
        if iid not in self.state.interactions:  # closed (ACW ran out) while loading
            return
        dialog = WrapupDialog(inter.customer_name, dispositions, acw_deadline=inter.acw_deadline,
                              clock=self.now)
        dialog.interaction_id = iid
        self._wrapup_dialog = (iid, dialog)
        try:
            choice = await self.app.push_screen_wait(dialog)
        finally:
            if self._wrapup_dialog is not None and self._wrapup_dialog[1] is dialog:
                self._wrapup_dialog = None
        if choice is None:
            return
        self._submit("wrapup", iid, {"disposition": choice.disposition, "notes": choice.notes})

    def _close_wrapup_dialog(self, iid: str, reason: str) -> None:
        """The contact closed while its wrap-up dialog is open: the server closed it
        by itself when the ACW time ran out (disposition "timeout", no notes), or it
        was wrapped up elsewhere. Close the dialog (a submit could only fail now) and
        say what became of the notes."""
        if self._wrapup_dialog is not None and self._wrapup_dialog[0] == iid:
            dialog = self._wrapup_dialog[1]
        else:  # the bookkeeping lost it (its worker ended early): look on the screen stack
            dialog = next((screen for screen in self.app.screen_stack
                           if getattr(screen, "interaction_id", None) == iid), None)
        if dialog is None:
            return
        self._wrapup_dialog = None
        notes = dialog.notes
        dialog.close_unsaved()
        disposition = reason or "timeout"
        deadline = dialog.acw_deadline
        if reason == "timeout" or (deadline is not None and self.now() >= deadline):
            text = ("After-contact work time ran out: the server closed the contact with "
                    f"disposition \"{disposition}\"")
        else:
            text = f"The contact was closed elsewhere with disposition \"{disposition}\""
        if notes:
            first = notes.splitlines()[0]
            text += f"; your notes were not saved: {first}"
        # Once the dialog is gone: a toast raised while it is still the active
        # screen lands in its toast rack and can vanish with it.
        self.call_after_refresh(self.notify, text, title=f"Wrap-up closed: {dialog.customer}",
                                severity="warning", markup=False, timeout=12)

    # -- presence ------------------------------------------------------------------------------

    def action_presence_menu(self) -> None:
        from agentdesk.ui.modals.presence_menu import PresenceMenu

        agent = self.state.agent

        def chosen(choice: Any) -> None:
            if choice is not None:
                self.set_presence(choice.presence, choice.next)

        rearm = bool(self.state.missed) or (
            agent is not None and agent.routing_state is RoutingState.NOT_RESPONDING)
        self.app.push_screen(PresenceMenu(
            agent.presence if agent else None, agent.next_presence if agent else None,
            work_open=bool(self.state.interactions), rearm=rearm), chosen)

    def set_presence(self, presence: Presence | None, next_presence: Presence | None) -> None:
        current = self.state.agent.presence if self.state.agent else Presence.OFFLINE
        target = presence or current
        if presence is Presence.AVAILABLE:
            self.state = S.clear_missed(self.state)
            self._render_banner()
        self._submit("presence", None, {"presence": target.value,
                                        "next": next_presence.value if next_presence else None})

    # -- composer, timeline and suggestions ----------------------------------------------------

    def on_composer_submitted(self, event: Composer.Submitted) -> None:
        event.stop()
        inter = self.state.interactions.get(event.interaction_id)
        view = self.views.get(event.interaction_id)
        if inter is None or view is None:
            return
        payload = {"body": event.body, "kind": event.kind, "subject": event.subject,
                   "cc": list(event.cc) or None}
        client_id = new_client_id()
        author = self.state.me.name if self.state.me else "me"
        view.timeline.add_pending(client_id, inter.id, event.body, event.kind, inter.channel, author, self.now())
        self.app.sender.submit("message", inter.id, payload, client_id=client_id)  # type: ignore[attr-defined]
        self.app.drafts.delete(inter.id)  # type: ignore[attr-defined]

    @on(Timeline.RetryRequested)
    def _retry(self, event: Timeline.RetryRequested) -> None:
        """Send a refused message again. The server replays its stored answer for a
        client_id (refusals included), so it goes out under a new key; the timeline's
        placeholder takes the new key so the echo replaces it (nothing shows twice)."""
        event.stop()
        try:
            item = self.app.sender.retry(event.client_id, reissue=True)  # type: ignore[attr-defined]
        except LookupError as exc:  # gone from the outbox, or not failed (any more)
            self.notify(str(exc), title="Cannot retry", markup=False)
            return
        event.timeline.rekey_pending(event.client_id, item.client_id)

    @on(Timeline.LoadOlder)
    def _load_older(self, event: Timeline.LoadOlder) -> None:
        event.stop()
        for iid, view in self.views.items():
            if view.timeline is event.timeline:
                self._page_older(iid, event.before_id)

    @work(group="older", exit_on_error=False)
    async def _page_older(self, iid: str, before_id: str) -> None:
        inter = self.state.interactions.get(iid)
        view = self.views.get(iid)
        if inter is None or view is None:
            return
        try:
            page = await self.backend.get_timeline(inter.customer_id, before=before_id, limit=TIMELINE_PAGE)
        except AgentDeskError as exc:
            self._error(exc, "Older messages")
            return
        view.timeline.prepend_items(page.items, page.has_more)

    def on_composer_draft_changed(self, event: Composer.DraftChanged) -> None:
        event.stop()
        self.app.drafts.save(  # type: ignore[attr-defined]
            event.interaction_id, event.text, event.subject or "", ", ".join(event.cc))

    def action_open_link(self) -> None:
        """ctrl+o: the links of the conversation with the keyboard (the split pane
        holding focus, else the active tab), newest first; opening asks first."""
        focused = self.focused
        views = list(self.views.values())
        view = next((node for node in (focused.ancestors_with_self if focused else ())
                     if node in views), None) or self.views.get(self.current_id or "")
        if view is None:
            self.notify("No conversation open", markup=False)
            return
        view.open_link_picker()

    def action_send(self) -> None:
        view = self.views.get(self.current_id or "")
        if view is not None:
            view.composer.action_send()

    def _schedule_suggestions(self) -> None:
        if self._suggest_timer is not None:
            self._suggest_timer.stop()
        self._suggest_timer = self.set_timer(SUGGEST_DELAY_S, self._refresh_suggestions)

    def _refresh_suggestions(self) -> None:
        self._suggest_timer = None
        inter = self.active_interaction()
        turns = S.customer_turns(self.state, inter.id) if inter else []
        if inter is not None and inter.subject:
            turns = [inter.subject, *turns]
        if inter is not None and inter.topic and not turns:
            turns = [inter.topic]
        self._rank(tuple(turns))

    @work(group="suggest", exclusive=True, exit_on_error=False, thread=True)
    def _rank(self, turns: tuple[str, ...]) -> None:
        results = self.suggestions.suggest(list(turns))
        self.app.call_from_thread(self._show_suggestions, results)

    def _show_suggestions(self, results: Any) -> None:
        panel = self.query_one(SuggestionPanel)
        if not results:
            panel.show_empty("No suggestions yet: they follow what the customer writes.")
            return
        panel.show(results, "from the latest customer turns")

    @on(SuggestionPanel.InsertRequested)
    def _insert_requested(self, event: SuggestionPanel.InsertRequested) -> None:
        event.stop()
        self.insert_article(event.article_id)

    @on(SuggestionPanel.PreviewRequested)
    def _preview_requested(self, event: SuggestionPanel.PreviewRequested) -> None:
        event.stop()
        from agentdesk.ui.widgets.suggestions.article_preview import ArticlePreview

        article = self.suggestions.get(event.article_id)
        if article is not None:
            self.app.push_screen(ArticlePreview(article), self._inserted_from_preview)

    def _inserted_from_preview(self, article_id: str | None) -> None:
        if article_id:
            self.insert_article(article_id)

    def insert_article(self, article_id: str) -> None:
        inter = self.active_interaction()
        view = self.views.get(self.current_id or "")
        if inter is None or view is None:
            return
        text = self.suggestions.answer(article_id, inter)
        if text:
            view.composer.insert_text(text)
            self._focus_composer(view.interaction.id)

    def action_insert_suggestion(self) -> None:
        shown = self.query_one(SuggestionPanel).suggestions
        top = shown[0].article_id if shown else None
        if top is None:
            self.notify("No suggestion to insert", markup=False)
            return
        self.insert_article(top)

    def action_kb_search(self) -> None:
        from agentdesk.ui.modals.kb_search import KbSearchDialog

        def chosen(article_id: str | None) -> None:
            if article_id:
                self.insert_article(article_id)

        self.app.push_screen(KbSearchDialog(self.suggestions.search), chosen)

    def kb_titles(self, query: str) -> list[tuple[str, str]]:
        return [(h.article_id, h.title) for h in self.suggestions.search(query)]

    # -- session end, diagnostics ------------------------------------------------------------

    def _ask_relogin(self, message: str) -> None:
        from agentdesk.ui.modals.relogin_dialog import ReloginDialog

        if self._relogin_open:
            return
        self._relogin_open = True

        def done(creds: Any) -> None:
            self._relogin_open = False
            if creds is None:
                self.app.exit(1)
            else:
                self._relogin(creds.username, creds.password)

        self.app.push_screen(ReloginDialog(message, self.app.username or ""), done)  # type: ignore[attr-defined]

    @work(group="login", exclusive=True, exit_on_error=False)
    async def _relogin(self, username: str, password: str) -> None:
        try:
            await self.backend.login(username, password)
        except AgentDeskError as exc:
            self._ask_relogin(f"Sign-in failed: {exc.message}")
            return
        # The running stream iterator reconnects with the new token by itself (login
        # kicks it); reload the snapshots once it is back, and send what was queued.
        self._awaiting_reconnect = self.link.state is not LinkState.CONNECTED
        self._snapshot_due = True
        self.app.sender.resume()  # type: ignore[attr-defined]
        worker = self._follow_worker
        if worker is None or worker.is_finished:
            self._follow_worker = self._follow()
        elif self.link.state is LinkState.CONNECTED:
            await self._load_snapshot()  # e.g. only a command was refused

    def open_work_lines(self) -> list[str]:
        lines = []
        for iid in self.tab_order():
            inter = self.state.interactions[iid]
            lines.append(f"{inter.channel.value} · {inter.customer_name} · {inter.state.value}")
        return lines

    def diagnostics_extra(self) -> dict[str, str]:
        return {
            "link": f"{self.link.state.value} {self.link.detail}".strip(),
            "dropped events": str(self._pending.dropped),
            "problems shown": str(self.problems),
            "outbox pending": str(len(self.app.sender.pending())),  # type: ignore[attr-defined]
        }
