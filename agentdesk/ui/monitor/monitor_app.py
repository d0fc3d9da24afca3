"""The supervisor monitor: its own Textual app, read-only by construction.

One worker loads the snapshots and follows the event stream into the pure
`Floor` model; nothing is drawn per event. A timer flushes what changed
every `FLUSH_S` (inside `batch_update()`), updating only the changed cells.
The app never calls a backend command: its only backend calls are
`list_queues`, `list_agents`, `get_stats`, `get_stats_history`,
`list_interactions`, `get_timeline` and `events()`.

A refused token (a 401 on a snapshot, or the stream refused with
`link_auth_failed`, e.g. after a server restart without `--db`) first makes
the monitor sign in again by itself when it may (`sign_in_again`: the stored
token read again, else the password typed at start, with a backoff while the
server does not answer); the header says "signing in again" meanwhile.
Only when those credentials are refused (or there are none) does the
following end: the header says "signed out", a banner and a toast say how to
sign in again, and the server is not asked again. The app keeps running until
the supervisor quits.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches

from agentdesk.backends.base import (
    AgentDeskError,
    Backend,
    BackendAuthError,
    BackendCommandError,
    LinkState,
    LinkStatus,
    ProtocolProblem,
)
from agentdesk.domain.alerts import AlertBook, AlertChange, AlertRules
from agentdesk.domain.capabilities import Capabilities
from agentdesk.domain.events import ServerTime, SnapshotNeeded
from agentdesk.domain.floor import TREND_WINDOW_S, Dirty, Floor
from agentdesk.domain.monitor_figures import unavailable_figures
from agentdesk.domain.staffing import FigureHistory, QueueStaffing, floor_staffing
from agentdesk.domain.teams import BoardView
from agentdesk.ui.collector import CollectorPacing, PacedCollectionApp
from agentdesk.ui.key_label import key_label
from agentdesk.ui.monitor.alert_signals import AlertSignals
from agentdesk.ui.monitor.commands import MonitorCommands
from agentdesk.ui.monitor.monitor_link import SIGNED_OUT, SIGNING_IN, LinkMixin

__all__ = ["SIGNED_OUT", "SIGNING_IN", "MonitorApp"]  # the link states, re-exported
from agentdesk.ui.monitor.sign_in_again import SignInAgain
from agentdesk.ui.textual_compat import swap_in
from agentdesk.ui.themes import APP_VARIABLE_DEFAULTS, register_themes

log = logging.getLogger("agentdesk.monitor")

FLUSH_S = 0.25
TICK_S = 1.0  # live durations (time in state, longest wait) move once a second
FEED_ALERTS = 300  # alert lines kept for the feed (replayed on a theme change)
MAX_PROBLEM_LINES = 6  # of the configuration toast


class MonitorApp(LinkMixin, PacedCollectionApp, App[int]):
    """Wallboard + drill-down for supervisors."""

    TITLE = "agentdesk monitor"
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", show=False, id="monitor-quit-ctrl-c"),
    ]
    COMMANDS = App.COMMANDS | {MonitorCommands}

    def __init__(
        self,
        backend: Backend,
        *,
        clock: Callable[[], float] = time.time,
        tz: tzinfo | None = None,
        theme: str | None = None,
        flush_s: float = FLUSH_S,
        user_name: str | None = None,
        startup_problems: Sequence[str] = (),
        on_theme_change: Callable[[str], None] | None = None,
        login_command: str | None = None,
        sign_in_again: SignInAgain | None = None,
        alert_rules: AlertRules | None = None,
        alert_bell: bool = True,
        alert_desktop: bool = True,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.clock = clock
        self.tz = tz
        self.flush_s = flush_s
        self.floor = Floor()
        # Figures this backend cannot give: left out of the boards and the header.
        # (A test double that is not a Backend is taken as one with every figure.)
        caps = backend.capabilities if isinstance(backend, Backend) else Capabilities()
        self.hidden = unavailable_figures(caps)
        # Thresholds watched on every flush (domain/alerts.py); raised ones ring
        # once and notify, both raised and cleared go to the live feed.
        self.alerts = AlertBook(alert_rules)
        self.alert_signals = AlertSignals(self, bell=alert_bell, desktop=alert_desktop)
        self.alert_feed: deque[AlertChange] = deque(maxlen=FEED_ALERTS)
        # The queues' cumulative figures over the last 30 minutes: staffing now.
        self.figures = FigureHistory()
        self._staffing_cache: tuple[Any, dict[str, QueueStaffing | None]] = (None, {})
        self._named = bool(user_name) or backend.user is not None
        self.user_name = user_name or (backend.user.name if backend.user else "supervisor")
        self.link_state = "connecting"
        self.link_detail = ""
        self.auth_message = ""  # set once the token was refused: shown in a banner
        self.loaded = False
        self.flushes = 0
        self.problems = 0
        self._last_tick = 0.0
        self._theme_problems: list[str] = []
        self.theme = register_themes(self, theme, self._theme_problems.append)
        # Set by the launcher (`agentdesk monitor`, `demo --supervisor`), here or
        # as attributes before run(): configuration problems shown once as
        # toasts, where a theme picked in the palette is saved, and the command
        # that signs in again (named when the token is refused).
        self.startup_problems: list[str] = list(startup_problems)
        self.keymap_problems: list[str] = []  # bad [keymap] entries (launch_monitor)
        self.on_theme_change = on_theme_change
        self.login_command = login_command
        self.start_wall = False  # `agentdesk monitor --wall`: open on the wall layout
        # The supervisor's saved agents view ([monitor.views.NAME], [monitor.teams]).
        self.board_view = BoardView()
        # How to sign in again unattended (None: a refused token signs out at once).
        self.sign_in_again = sign_in_again
        self.signed_in_again = 0  # how many times it did
        self.signed_in_again_at: float | None = None
        self.refusal = ""  # why signing in again failed, for the banner
        self.collector = CollectorPacing()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(APP_VARIABLE_DEFAULTS)

    def get_key_display(self, binding: Binding) -> str:
        """Function keys in capitals, as the desk shows them ('f10' -> 'F10'),
        remapped ones included."""
        return key_label(super().get_key_display(binding))

    # -- life cycle --------------------------------------------------------------------

    def on_mount(self) -> None:
        from agentdesk.ui.monitor.monitor_screen import MonitorScreen

        self.push_screen(MonitorScreen())
        if self.start_wall:
            self.toggle_wall()
        # The config file, the keymap and user themes: reported once, in one toast
        # (seven toasts would cover half the wallboard).
        self.report_problems([*self.startup_problems, *self.keymap_problems,
                              *self._theme_problems])
        self.follow()
        # (a FrameTimer: after a late flush the next one is the next tick, not one more)
        swap_in(self.set_interval(self.flush_s, self.flush))
        self.pace_collections()  # full GC passes when nobody is typing (ui/collector.py)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def on_unmount(self) -> None:
        self.collector.stop()

    def report_problems(self, problems: Sequence[str]) -> None:
        """Configuration problems as one warning toast (the first few lines, then
        how many more); every one is also logged."""
        if not problems:
            return
        for problem in problems:
            log.warning("configuration: %s", problem)
        shown = list(problems[:MAX_PROBLEM_LINES])
        if len(problems) > MAX_PROBLEM_LINES:
            shown.append(f"… and {len(problems) - MAX_PROBLEM_LINES} more (in the log)")
        title = "Configuration" if len(problems) == 1 else \
            f"Configuration: {len(problems)} problems"
        self.notify("\n".join(shown), title=title, severity="warning", timeout=15,
                    markup=False)

    def _theme_changed(self, theme: Any) -> None:
        self.floor.mark_all_dirty()
        wallboard = self.wallboard
        if wallboard is not None:
            wallboard.rebuild()
        if self.on_theme_change is not None:
            self.on_theme_change(theme.name)

    async def load_snapshots(self) -> None:
        backend = self.backend
        if not self._named:  # signed in with a token only: ask who we are (GET /v1/me)
            user, _agent = await backend.me()
            self.user_name, self._named = user.name, True
        queues = await backend.list_queues()
        agents = await backend.list_agents()
        stats = await backend.get_stats()
        interactions = await backend.list_interactions()
        self.floor.load(queues, agents, stats, interactions, max(self.clock(), stats.at))
        self.loaded = True
        await self.backfill_trends()

    async def backfill_trends(self) -> None:
        """Fill the trends with the server's history, so they do not start empty. A
        server without history (404) or a bad answer leaves them as they are: logged,
        never shown as an error (the wallboard works without)."""
        try:
            history = await self.backend.get_stats_history(minutes=int(TREND_WINDOW_S // 60))
        except BackendCommandError as exc:
            log.info("no stats history from the server (%s %s): trends start empty",
                     exc.status, exc.code)
            return
        except AgentDeskError as exc:
            log.warning("stats history unusable: %s", exc.message)
            return
        except Exception:
            log.exception("stats history failed")
            return
        taken = self.floor.backfill(history)
        log.info("trends backfilled with %d points", taken)

    @work(exclusive=True, group="monitor-events", exit_on_error=False)
    async def follow(self) -> None:
        """Load the snapshots, then apply the event stream to the floor until
        the token is refused (or for ever)."""
        if not await self._load_or_report():
            return
        floor = self.floor
        stream = self.backend.events()
        async for item in stream:
            if isinstance(item, ServerTime):
                continue  # a heartbeat: the floor keeps its own clock
            if isinstance(item, LinkStatus):
                if (item.state is LinkState.RECONNECTING
                        and getattr(self.backend, "link_auth_failed", False) is True):
                    # Retrying with this token cannot help: sign in again (the
                    # stream retries at once with the new token), else stop asking.
                    if await self.sign_in_by_itself():
                        continue
                    self.signed_out()
                    await _stop(stream)
                    return
                was = self.link_state
                self.link_state = item.state.value
                self.link_detail = item.detail
                if item.state is LinkState.CONNECTED and was == LinkState.RECONNECTING.value:
                    await self.backfill_trends()  # the gap while away, if not replayed
                self._show_link()
            elif isinstance(item, SnapshotNeeded):
                if not await self._load_or_report():
                    await _stop(stream)
                    return
            elif isinstance(item, ProtocolProblem):
                self.problems += 1
            else:  # a domain event
                floor.apply(item)

    async def _load_or_report(self) -> bool:
        """Load the snapshots; False when the token was refused (signed out)."""
        while True:
            try:
                await self.load_snapshots()
            except BackendAuthError:
                if await self.sign_in_by_itself():
                    continue
                self.signed_out()
                return False
            except AgentDeskError as exc:
                self.notify(exc.message, title=exc.title, severity="error", markup=False)
            return True

    # -- the flush ----------------------------------------------------------------------

    def flush(self) -> None:
        """Apply what changed since the last flush to the screens on the stack."""
        if not self.is_running:
            return
        now = self.clock()
        tick = now - self._last_tick >= TICK_S
        if tick:
            self._last_tick = now
            self.floor.tick(now)
        dirty: Dirty = self.floor.take_dirty()
        if (dirty.queues or dirty.reloaded) and self.floor.stats_at is not None:
            self.figures.observe(self.floor.stats_at, self.floor.queue_stats.values())
        # Alerts follow the clock (once a second, after the floor's own tick), so
        # what is raised, and in which order with the floor's feed, depends on the
        # clock and the events, not on how events fell into flushes.
        changes = self.check_alerts(dirty) if tick and self.loaded else []
        if not dirty and not tick and not changes:
            return
        with self.batch_update():
            from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen
            from agentdesk.ui.monitor.monitor_screen import MonitorScreen
            from agentdesk.ui.monitor.wall_screen import WallScreen

            for screen in self.screen_stack:
                if not getattr(screen, "ready", False):
                    continue
                try:
                    if isinstance(screen, (MonitorScreen, WallScreen)):
                        screen.apply_dirty(dirty, tick=tick, alerts=changes)
                    elif isinstance(screen, DrilldownScreen):
                        screen.apply_dirty(dirty, tick=tick)
                except NoMatches:  # the app is shutting down: its widgets are gone
                    return
        self.flushes += 1

    def staffing(self, queue_id: str) -> QueueStaffing | None:
        """Agents a queue needs now (Erlang C over the last 15 minutes); computed
        once per floor instant (a queue row and its channel rows share it)."""
        at, cache = self._staffing_cache
        if at != (self.floor.now, self.floor.stats_at):
            cache = {}
            self._staffing_cache = ((self.floor.now, self.floor.stats_at), cache)
        if "need" in self.hidden:  # no service-level goal: nothing to staff against
            return None
        if queue_id not in cache:
            cache[queue_id] = floor_staffing(self.floor, self.figures, queue_id, self.floor.now)
        return cache[queue_id]

    def check_alerts(self, dirty: Dirty) -> list[AlertChange]:
        """Raise and clear alerts on the floor clock; the rows they concern are
        marked for repaint, raised ones ring and notify."""
        changes = self.alerts.evaluate(self.floor, self.floor.now)
        for change in changes:
            alert = change.alert
            (dirty.queues if alert.is_queue else dirty.agents).add(alert.subject_id)
            self.alert_feed.append(change)
            log.info("alert %s: %s", "raised" if change.raised else "cleared", alert.key)
        self.alert_signals.signal(changes)
        return changes

    @property
    def wallboard(self) -> Any:
        from agentdesk.ui.monitor.monitor_screen import MonitorScreen

        for screen in self.screen_stack:
            if isinstance(screen, MonitorScreen):
                return screen
        return None

    # -- navigation -----------------------------------------------------------------------

    def action_open_history(self) -> None:
        """Today's interval report (history_screen.py)."""
        from agentdesk.ui.monitor.history_screen import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_toggle_wall(self) -> None:
        self.toggle_wall()

    def toggle_wall(self) -> None:
        """The wall layout over the wallboard, or back to the wallboard."""
        from agentdesk.ui.monitor.wall_screen import WallScreen

        if isinstance(self.screen, WallScreen):
            self.pop_screen()
        else:
            self.push_screen(WallScreen())

    def open_agent(self, agent_id: str) -> None:
        from agentdesk.ui.monitor.drilldown_screen import DrilldownScreen

        if agent_id not in self.floor.agents:
            return
        if isinstance(self.screen, DrilldownScreen):
            self.pop_screen()
        self.push_screen(DrilldownScreen(agent_id))

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


async def _stop(stream: Any) -> None:
    """End an event stream we no longer read (its reconnect attempts stop now)."""
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        try:
            await aclose()
        except Exception:
            log.debug("closing the event stream failed", exc_info=True)
