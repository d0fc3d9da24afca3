"""The agent desk: header, tab bar, the active interaction in the centre,
customer and KB suggestions on the right, footer with the main keys.

The screen composes widgets and routes: keys, dialogs and widget messages
become typed commands for the desk controller (`agentdesk.desk`), which owns
the stream, the state and the outbox; what the controller reports
(`DeskView`: Changes, link, notices) is rendered at most once per frame
(`_flush`). Its parts, one job each, live in `screens/desk/`: the banner,
the tabs and views, what a view loads, suggestions, wrap-up and the dialogs.
A render that a timer or an event schedules never assumes the widgets exist
(start-up, a sign-in prompt, shutdown): it waits, or does nothing.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static

from agentdesk.backends.base import AgentDeskError, BackendAuthError, LinkState, LinkStatus
from agentdesk.desk import commands as C
from agentdesk.desk.view import Notice
from agentdesk.domain import session as S
from agentdesk.domain.enums import Presence
from agentdesk.ui.keymap import DESK_BINDINGS
from agentdesk.ui.screens.desk.banner import DeskBanner
from agentdesk.ui.screens.desk.callbacks_flow import CallbacksFlow
from agentdesk.ui.screens.desk.dialog_flows import DialogFlows
from agentdesk.ui.screens.desk.gated_keys import GatedKeys
from agentdesk.ui.screens.desk.key_actions import DeskKeyActions
from agentdesk.ui.screens.desk.keys_now import key_applies
from agentdesk.ui.screens.desk.rendering import DeskRendering
from agentdesk.ui.screens.desk.suggestion_flow import SuggestionFlow
from agentdesk.ui.screens.desk.tab_control import TabControl
from agentdesk.ui.screens.desk.type_ahead import TypeAhead
from agentdesk.ui.screens.desk.view_loader import ViewLoader
from agentdesk.ui.screens.desk.wrapup_flow import WrapupFlow
from agentdesk.ui.textual_compat import FrameTimedScreen, crop_partial_frames
from agentdesk.ui.widgets.customer.customer_panel import CustomerPanel
from agentdesk.ui.widgets.footer.desk_footer import DeskFooter
from agentdesk.ui.widgets.header.desk_header import DeskHeader
from agentdesk.ui.widgets.suggestions.suggestion_panel import SuggestionPanel
from agentdesk.ui.widgets.tabs.interaction_tabs import InteractionTabs
from agentdesk.ui.widgets.timeline.timeline import Timeline

if TYPE_CHECKING:  # imported when the first interaction opens: not on the start-up path
    from agentdesk.desk.controller import DeskController
    from agentdesk.domain.models import Interaction
    from agentdesk.ui.screens.desk.services import DeskServices
    from agentdesk.ui.widgets.composer.composer import Composer

FLUSH_DELAY_S = 1 / 60  # coalesce bursts of events: at most one render per frame


class DeskScreen(DeskKeyActions, DeskRendering, FrameTimedScreen, Screen[None]):
    BINDINGS = DESK_BINDINGS

    def __init__(self, services: DeskServices) -> None:
        super().__init__()
        crop_partial_frames(self)  # a frame re-renders only the lines that changed
        self.services = services
        self.controller: DeskController = services.controller
        self.tabs = TabControl(self, sort_by_urgency=services.sort_by_urgency)
        self.loader = ViewLoader(self)
        self.banner = DeskBanner(self)
        self.suggestions = SuggestionFlow(self)
        self.wrapup = WrapupFlow(self)
        self.dialogs = DialogFlows(self)
        self.callbacks = CallbacksFlow(self)
        self.gated = GatedKeys(self)
        self._pending = S.Changes()
        self._flush_scheduled = False
        self._flush_due = 0.0  # monotonic time the scheduled render is due
        self._last_flush = 0.0
        self._ready = False  # composed and mounted: renders may touch widgets
        self._bindings_shown: tuple[Any, ...] | None = None
        self.side_forced: bool | None = None  # None: automatic by width
        self._follow_worker: Any = None
        self.type_ahead = TypeAhead(self)  # keys typed before the accepted composer opens

    # -- what tests, the palette and the app read -------------------------------------------

    @property
    def state(self) -> S.SessionState:
        return self.controller.state

    @property
    def link(self) -> LinkStatus:
        return self.controller.link

    views = property(lambda self: self.tabs.views)
    active_id = property(lambda self: self.tabs.active_id)
    split_id = property(lambda self: self.tabs.split_id)
    current_id = property(lambda self: self.tabs.current_id)
    _loading = property(lambda self: self.loader.loading)
    _wrapup_dialog = property(lambda self: self.wrapup.dialog)
    _suggest_timer = property(lambda self: self.suggestions.timer)

    @property
    def sort_by_urgency(self) -> bool:
        return self.tabs.sort_by_urgency

    def now(self) -> float:
        return self.controller.now()

    def tab_order(self) -> list[str]:
        return self.tabs.order()

    def active_interaction(self) -> Interaction | None:
        return self.tabs.current()

    # -- composition --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield DeskHeader(id="header")
        yield Static(id="banner", markup=False)
        yield InteractionTabs(id="tabs")
        with Horizontal(id="body"):
            with Container(id="centre"):
                yield Static(id="empty", markup=False)
            with Vertical(id="side"):
                yield CustomerPanel(id="customer", tz=self.services.tz, clock=self.now,
                                    on_dial=self.dial_customer)
                yield SuggestionPanel(id="suggestions")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#banner").display = False
        self.query_one(CustomerPanel).show_empty("No interaction selected")
        self._ready = True
        self.show_empty()
        self._apply_side_visibility()
        self.controller.attach(self)
        self.set_interval(1.0, self._tick)
        if self.services.sign_in is None:
            # Signed in already (a token): connect now, so the server answers the
            # subscription and the snapshot while the first frame is drawn.
            self.start_following()
        else:
            # The demo signs in once its server (still starting) answers: its
            # polling waits until the first frame is on screen.
            self.call_after_refresh(self.start_following)

    def on_unmount(self) -> None:
        self._ready = False

    def start_following(self) -> None:
        worker = self._follow_worker
        if worker is None or worker.is_finished:
            self._follow_worker = self._follow()

    @work(exclusive=True, group="session", exit_on_error=False)
    async def _follow(self) -> None:
        await self.controller.run(self.services.sign_in)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that apply now, on this backend, show in the footer (and fire)."""
        return key_applies(action, self.controller.capabilities, self.tabs.current(),
                           self.tabs.offer_target() is not None)

    def on_key(self, event: Any) -> None:
        """A key whose capability this backend lacks is hidden; pressed anyway, it says why.
        Text typed while an accept is on its way is kept for that composer."""
        if self.type_ahead.capture(event):
            event.stop()
            event.prevent_default()
            return
        self.gated.pressed(event)

    # -- what the controller reports (DeskView) ------------------------------------------

    def changed(self, changes: S.Changes) -> None:
        self._pending |= changes
        if changes.resync:
            self.suggestions.load_reference_data()
        self._schedule_flush()

    def _header(self) -> DeskHeader | None:
        """The header, if it is there (not before compose, nor during shutdown)."""
        if not self._ready:
            return None
        try:
            return self.query_one(DeskHeader)
        except NoMatches:
            return None

    def link_changed(self, link: LinkStatus) -> None:
        header = self._header()
        if header is not None:
            header.show_link(link.state, link.attempt)
            self.refresh_bindings()  # the backend's capabilities are known once it is built
            header.presence_names = self.controller.capabilities.presence_names
        if not self._flush_scheduled:
            self.banner.render()

    def notice(self, notice: Notice | None) -> None:
        header = self._header()
        if notice is not None and notice.level == "error" and header is not None:
            header.show_link(LinkState.RECONNECTING, 0)
        self.banner.show_notice(notice)

    def sign_in_needed(self, message: str) -> None:
        self.dialogs.ask_relogin(message)

    def command_failed(self, what: str, message: str) -> None:
        self.notify(message, title=f"{what} failed", severity="error", markup=False, timeout=6)

    # -- rendering what changed ---------------------------------------------------------

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

    def render_pending(self) -> None:
        """Render what was folded but not drawn yet, now: work that reads the state
        outside a render (a view's first page) must see the widgets in step with it."""
        self._flush()

    def _flush(self) -> None:
        self._flush_scheduled = False
        if not self._ready or not self.is_attached:
            return  # not composed yet (changes wait for on_mount's render) or shutting down
        changes, self._pending = self._pending, S.Changes()
        if not changes:
            return
        self._last_flush = time.monotonic()
        try:
            with self.app.batch_update():
                self._render_changes(changes)
        except NoMatches:  # widgets went away under us (shutdown): nothing left to show
            self._ready = False

    def _tick(self) -> None:
        header = self._header()
        if header is None:
            return
        header.tick(self.now())
        self.wrapup.tick()
        if self.is_current:
            self.repair_focus()  # the safety net: never a second without working keys
        if self.state.interactions:
            self.tabs.tick()
            self.banner.render()

    # -- commands ---------------------------------------------------------------------------

    def run_command(self, command: C.DeskCommand) -> C.Outcome:
        """Hand a command to the controller; a refusal is one line for the agent."""
        outcome = self.controller.execute(command)
        if isinstance(outcome, C.Refused):
            self.notify(outcome.reason, title=outcome.title, markup=False)
        return outcome

    def show_error(self, exc: AgentDeskError, what: str = "") -> None:
        if isinstance(exc, BackendAuthError):
            self.dialogs.ask_relogin(exc.message)
            return
        title = f"{what}: {exc.title}" if what else exc.title
        self.notify(exc.message, title=title, severity="error", markup=False, timeout=6)

    @work(group="stats", exclusive=True, exit_on_error=False)
    async def refresh_stats(self) -> None:
        await self.controller.refresh_stats()

    # -- focus ------------------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """Back from a dialog: a focus on a widget that went away meanwhile (its
        interaction closed) would swallow every key. Checked now and once the
        pruning of a closed view is done (auto-focus can pick one of its widgets)."""
        self.repair_focus()
        self.call_after_refresh(self.repair_focus)

    def repair_focus(self) -> None:
        """Move a focus that sits on a detached (or detaching) widget somewhere live."""
        focused = self.focused
        if focused is None:
            return
        if focused.is_attached and not focused._pruning and focused.screen is self:
            return
        self.set_focus(None)
        self.focus_fallback()

    def focus_fallback(self) -> None:
        """Focus the current interaction's composer, else the first focusable widget
        outside the customer/KB column (typing there by surprise is worse than no
        focus), or nothing: the screen's own bindings still work."""
        current = self.tabs.current_id
        if current is not None and current in self.tabs.views:
            self.tabs.focus_composer(current)
            return
        side = self.query_one("#side")
        chain = [w for w in self.focus_chain if w.is_attached and not w._pruning
                 and not any(a._pruning for a in w.ancestors) and side not in w.ancestors_with_self]
        self.set_focus(chain[0] if chain else None)

    # -- widget messages ----------------------------------------------------------------------

    def on_descendant_focus(self, event: Any) -> None:
        """Focus moving into a pane of the split view makes it the current one
        (focus elsewhere, e.g. the side column, keeps the current pane)."""
        tabs = self.tabs
        if tabs.split_id is None:
            return
        for iid in (tabs.split_id, tabs.active_id):
            view = tabs.views.get(iid or "")
            if view is not None and view in event.widget.ancestors_with_self:
                tabs.set_current(iid)
                return

    @on(InteractionTabs.Selected)
    def _tab_clicked(self, event: InteractionTabs.Selected) -> None:
        self.tabs.activate(event.interaction_id)

    def on_composer_submitted(self, event: Composer.Submitted) -> None:
        event.stop()
        self.run_command(C.SendMessage(event.interaction_id, event.body, event.kind,
                                       event.subject, tuple(event.cc)))

    def on_composer_draft_changed(self, event: Composer.DraftChanged) -> None:
        event.stop()
        self.services.drafts.save(event.interaction_id, event.text, event.subject or "",
                                  ", ".join(event.cc))
        self.controller.execute(C.SetTyping(event.interaction_id, bool(event.text.strip())))

    @on(Timeline.RetryRequested)
    def _retry(self, event: Timeline.RetryRequested) -> None:
        event.stop()
        self.run_command(C.RetrySend(event.client_id))

    @on(Timeline.LoadOlder)
    def _load_older(self, event: Timeline.LoadOlder) -> None:
        event.stop()
        for iid, view in self.tabs.views.items():
            if view.timeline is event.timeline:
                self.loader.page_older(iid, event.before_id)

    @on(SuggestionPanel.InsertRequested)
    def _insert_requested(self, event: SuggestionPanel.InsertRequested) -> None:
        event.stop()
        self.suggestions.insert(event.article_id)

    @on(SuggestionPanel.PreviewRequested)
    def _preview_requested(self, event: SuggestionPanel.PreviewRequested) -> None:
        event.stop()
        from agentdesk.ui.widgets.suggestions.article_preview import ArticlePreview

        article = self.suggestions.source.get(event.article_id)
        if article is not None:
            self.app.push_screen(ArticlePreview(article),
                                 lambda aid: self.suggestions.insert(aid) if aid else None)

    # -- quitting, diagnostics ----------------------------------------------------------------

    def open_work_lines(self) -> list[str]:
        return [f"{i.channel.value} · {i.customer_name} · {i.state.value}"
                for i in (self.state.interactions[iid] for iid in self.tabs.order())]

    def unsent_draft_lines(self) -> list[str]:
        """The open interactions with a draft typed but not sent (kept locally)."""
        interactions = self.state.interactions
        return [f"{interactions[d.interaction_id].customer_name} · {d.text.splitlines()[0][:40]}"
                if d.text else interactions[d.interaction_id].customer_name
                for d in self.services.drafts.all()
                if not d.empty and d.interaction_id in interactions]

    def agent_available(self) -> bool:
        agent = self.state.agent
        return agent is not None and agent.presence is Presence.AVAILABLE

    def diagnostics_extra(self) -> dict[str, str]:
        return {
            "link": f"{self.link.state.value} {self.link.detail}".strip(),
            "dropped events": str(self.controller.dropped),
            "problems shown": str(self.controller.problems),
            "outbox pending": str(len(self.controller.sender.pending())),
        }
