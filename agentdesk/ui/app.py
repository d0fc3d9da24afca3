"""The Textual app of the agent desk: themes, global keys, the command
palette and the desk screen. Kept thin: the desk's logic is the controller
(`agentdesk.desk`), its rendering `screens/desk_screen.py`; `make_app` is the
one factory used by `agentdesk demo`, `agentdesk desk`, the tests and the
screenshot script."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding

from agentdesk.backends.base import Backend
from agentdesk.desk.controller import DeskController
from agentdesk.store.drafts import Drafts
from agentdesk.store.outbox import Outbox
from agentdesk.store.paths import data_dir
from agentdesk.store.sender import CommandSender
from agentdesk.ui.collector import CollectorPacing, PacedCollectionApp
from agentdesk.ui.commands.customer_search import CustomerSearchCommands
from agentdesk.ui.commands.outbound import OutboundCommands
from agentdesk.ui.commands.providers import (
    CustomerCommands,
    InteractionCommands,
    KbCommands,
    PresenceCommands,
)
from agentdesk.ui.key_label import key_label
from agentdesk.ui.keymap import APP_BINDINGS
from agentdesk.ui.notify import Notifier
from agentdesk.ui.terminal_keys import parse_alt_keys
from agentdesk.ui.textual_compat import keep_newest_toasts
from agentdesk.ui.themes import APP_VARIABLE_DEFAULTS, register_themes, set_initial_theme

if TYPE_CHECKING:
    from textual.screen import Screen


class AgentDeskApp(PacedCollectionApp, App[int]):
    CSS_PATH = Path(__file__).with_name("agentdesk.tcss")
    TITLE = "agentdesk"
    BINDINGS = [*APP_BINDINGS, Binding("ctrl+c", "app.request_quit", show=False, id="quit-ctrl-c")]
    COMMANDS = App.COMMANDS | {InteractionCommands, CustomerCommands, PresenceCommands, KbCommands,
                               CustomerSearchCommands, OutboundCommands}
    # Still frames, for snapshots and screenshots (a subclass sets it:
    # tools/screenshots/still.py): no blinking cursor, and no timeline scrollbar
    # (its thumb follows lazily measured item heights, which depend on timing).
    STILL_FRAMES: ClassVar[bool] = False

    def __init__(
        self,
        backend: Backend | Callable[[], Backend],
        *,
        clock: Callable[[], float] = time.time,
        keymap: Mapping[str, str] | None = None,
        notifications: Mapping[str, Mapping[str, bool]] | None = None,
        username: str | None = None,
        knowledge_base: Any = None,
        theme: str | None = None,
        on_exit: Callable[[], None] | None = None,
        store_path: Path | None = None,
        tz: tzinfo | None = None,
        sort_by_urgency: bool = False,
        startup_problems: Sequence[str] = (),
        on_theme_change: Callable[[str], None] | None = None,
        sign_in: tuple[str, str] | None = None,
        demo: bool = False,
        on_sort_change: Callable[[bool], None] | None = None,
    ) -> None:
        super().__init__()
        self.demo = demo  # quitting stops the demo's server: the quit dialog says so
        parse_alt_keys()  # alt+key from ESC-prefix terminals, however fast: see terminal_keys.py
        # The demo paints the desk first and signs in when its server is up.
        self.sign_in = sign_in
        self.sort_by_urgency_default = sort_by_urgency
        self.on_sort_change = on_sort_change  # alt+u's choice is kept for the next start
        self.tz = tz  # None: local time; tests and screenshots pass UTC
        # A clock other than time.time is taken to *be* the server clock
        # (tests and screenshots freeze it at the mock server's manual clock);
        # with time.time the desk estimates server time from the stream.
        self.clock = clock
        self.server_clock: Callable[[], float] | None = None if clock is time.time else clock
        self.keymap_overrides: dict[str, str] = dict(keymap or {})
        self.username = username
        self.knowledge_base = knowledge_base
        self.notifier = Notifier.with_options(self, notifications)
        self._on_exit = on_exit
        # Outbox and drafts live in one SQLite file per server and user, so
        # queued commands are never replayed against another account.
        path = store_path or data_dir() / "desk.db"
        self.outbox = Outbox(path)
        self.drafts = Drafts(path)
        # A backend, or a factory for one: `agentdesk desk`/`demo` pass a factory so
        # the client stack (h11, websockets) is imported in a worker thread, not
        # on the UI loop (start-up budget, docs/benchmarks.md). The controller
        # builds it on first use and hands it to the sender.
        built = backend if isinstance(backend, Backend) else None
        self.sender = CommandSender(built, self.outbox)  # type: ignore[arg-type]
        self.controller = DeskController(backend, self.sender, drafts=self.drafts,
                                         server_clock=self.server_clock)
        self.sender.on_change = self.controller.outbox_changed
        self.collector = CollectorPacing()
        self._startup_problems: list[str] = list(startup_problems or ())
        set_initial_theme(self, register_themes(self, theme, self._startup_problems.append))
        self._on_theme_change = on_theme_change

    @property
    def backend(self) -> Backend:
        return self.controller.backend

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(APP_VARIABLE_DEFAULTS)

    def get_default_screen(self) -> Screen:
        # The desk is the base screen (Textual's hook for it) rather than pushed
        # over an empty default one: a screen less to style and lay out before
        # the first frame (start-up budget, docs/benchmarks.md).
        from agentdesk.ui.screens.desk.services import DeskServices
        from agentdesk.ui.screens.desk_screen import DeskScreen

        return DeskScreen(DeskServices(
            controller=self.controller, drafts=self.drafts, notifier=self.notifier, tz=self.tz,
            username=self.username or "", sign_in=self.sign_in,
            knowledge_base=self.knowledge_base, sort_by_urgency=self.sort_by_urgency_default,
            keymap=self.keymap_overrides, on_sort_change=self.on_sort_change))

    def notify(self, *args: Any, **kwargs: Any) -> None:
        super().notify(*args, **kwargs)
        self.call_later(self._trim_toasts)

    def _trim_toasts(self) -> None:
        # Toasts stack down from under the header (agentdesk.tcss), about five rows
        # each: keep only as many as fit above the composer (issue 14, item 13).
        keep_newest_toasts(self, max(1, (self.size.height - 9) // 5))

    def on_mount(self) -> None:
        if self.STILL_FRAMES:
            self.add_class("-still")
        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)
        self.notifier.start()
        self.pace_collections()  # full GC passes when the agent is idle (ui/collector.py)
        self.call_after_refresh(self._after_first_frame)
        for problem in self._startup_problems:  # config and theme files: reported once
            self.notify(problem, title="Configuration", severity="warning", timeout=12,
                        markup=False)
        if self._on_theme_change is not None:
            self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _after_first_frame(self) -> None:
        # `agentdesk desk`/`demo` start with the cyclic GC off (agentdesk.cli);
        # what was loaded to get here lives as long as the app, so freeze it
        # out of every later collection, then collect as usual.
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        # The outbox drains once the backend exists; it is built off the loop.
        self.run_worker(self._start_sender(), group="backend", exit_on_error=False)

    async def _start_sender(self) -> None:
        await self.controller.prepare_backend()
        self.sender.start()

    def _theme_changed(self, theme: Any) -> None:
        if self._on_theme_change is not None:
            self._on_theme_change(theme.name)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Focus events bubble from every screen to the app: one place to stop
        # every text cursor blinking when asked (deterministic screenshots).
        if self.STILL_FRAMES and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    @property
    def desk(self) -> Any:
        from agentdesk.ui.screens.desk_screen import DeskScreen

        for screen in self.screen_stack:
            if isinstance(screen, DeskScreen):
                return screen
        return None

    def get_key_display(self, binding: Binding) -> str:
        """Function keys in capitals everywhere (footer, banner, call bar): a
        remapped binding loses its key_display and would read 'f2' next to 'F3'."""
        return key_label(super().get_key_display(binding))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, with its "Quit" (which exits at once) going
        through `action_request_quit` like F10: open work is named first."""
        for command in super().get_system_commands(screen):
            if command.callback == self.action_quit:
                yield SystemCommand(
                    command.title, "Quit agentdesk (asks first while interactions are open)",
                    self.action_request_quit, command.discover)
            else:
                yield command

    # -- global actions ---------------------------------------------------------------

    def action_help(self) -> None:
        from agentdesk.ui.modals.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            desk = self.desk
            hidden = desk.gated.hidden_binding_ids() if desk is not None else set()
            self.push_screen(HelpScreen(self.keymap_overrides, hidden=hidden))

    def action_diagnostics(self) -> None:
        from agentdesk.ui.modals.diagnostics_screen import DiagnosticsScreen

        desk = self.desk
        self.push_screen(DiagnosticsScreen(
            lambda: self.backend.diagnostics,
            desk.diagnostics_extra if desk is not None else dict,
        ))

    def action_request_quit(self) -> None:
        from agentdesk.ui.modals.quit_dialog import QuitDialog

        if isinstance(self.screen, QuitDialog):
            self.exit(0)
            return
        desk = self.desk
        open_work = desk.open_work_lines() if desk is not None else []
        drafts = desk.unsent_draft_lines() if desk is not None else []
        available = desk is not None and desk.agent_available()
        if not QuitDialog.needed(open_work, demo=self.demo, available=available, drafts=drafts):
            self.exit(0)
            return

        def decided(quit_now: bool | None) -> None:
            if quit_now:
                self.exit(0)

        self.push_screen(QuitDialog(open_work, demo=self.demo, available=available, drafts=drafts),
                         decided)

    async def on_unmount(self) -> None:
        self.collector.stop()
        await self.sender.stop()
        self.outbox.close()
        self.drafts.close()
        if self._on_exit is not None:
            self._on_exit()


def make_app(backend: Backend, **options: Any) -> AgentDeskApp:
    """The desk app for a backend (the one factory launch, tests and screenshots
    share); `options` are `AgentDeskApp`'s keyword arguments."""
    return AgentDeskApp(backend, **options)
