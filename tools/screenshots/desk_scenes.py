"""Deterministic scenes of the desk, for the README screenshots and the
snapshot tests.

    python -m tools.screenshots DIR desk-tabs   # writes DIR/desk-tabs.svg (120x40)

Each scene starts a fresh mock server (seeded, manual clock, no traffic, no
bots), signs in as agent1, freezes the app clock at the server's clock, drives
customers through /sim and then the desk with keys. The same scene functions
are used by tests/ui/test_snapshots_desk.py.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from agentdesk.backends.native import NativeBackend
from agentdesk.backends.sim_control import SimControl
from agentdesk.domain.models import Presence
from agentdesk.testing.clock import FrozenClock
from agentdesk.testing.mockserver import running_server
from agentdesk.ui.app import AgentDeskApp
from tools.screenshots.still import StillDeskApp

SEED = 7
QUIET = {kind: {"toast": False, "bell": False, "desktop": False}
         for kind in ("offer", "message", "missed", "error")}


@dataclass
class Scene:
    url: str
    clock: FrozenClock
    pilot: Pilot[Any] | None = None
    sim: SimControl | None = None

    @property
    def app(self) -> AgentDeskApp:
        assert self.pilot is not None
        return self.pilot.app  # type: ignore[return-value]

    @property
    def desk(self) -> Any:
        return self.app.desk

    async def until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        assert self.pilot is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise TimeoutError(
                    f"scene did not reach its state: link={self.desk.link} agent={self.desk.state.agent}"
                )
            await self.pilot.pause(0.05)

    async def ready(self) -> None:
        await self.until(lambda: self.desk is not None and self.desk.state.agent is not None)

    async def offer(self, channel: str, **fields: Any) -> str:
        assert self.sim is not None
        iid = await self.sim.new_contact(channel, **fields)
        await self.until(lambda: iid in self.desk.views)
        return iid

    async def accept(self, channel: str, **fields: Any) -> str:
        assert self.pilot is not None
        iid = await self.offer(channel, **fields)
        self.desk.activate(iid, quiet=True)
        await self.pilot.press("f2")
        await self.until(lambda: self.desk.state.interactions[iid].state.value == "active")
        return iid

    async def advance(self, seconds: float) -> None:
        assert self.sim is not None
        self.clock.now = await self.sim.advance(seconds)

    async def settle(self) -> None:
        """Let loads, debounced suggestions and the outbox finish."""
        assert self.pilot is not None
        # The server throttles stats frames to agents by wall time: read them.
        self.desk.refresh_stats()
        seen = -1
        # Quiet, and no new event for a moment. Bounded: stats frames follow the
        # server's wall clock, so on a slow machine "no new event" may never come.
        for _ in range(25):
            await self.pilot.pause(0.2)
            await self.until(self._quiet)
            if self.desk.state.applied == seen:
                break
            seen = self.desk.state.applied
        # Times in state and countdowns refresh on a one-second timer; draw them at
        # the frozen clock now, so a capture never depends on when that timer last ran.
        self.desk._tick()
        await self.pilot.pause(0.05)

    def _quiet(self) -> bool:
        desk = self.desk
        busy = [
            w
            for w in self.app.workers
            if w.group in ("open", "suggest", "reference", "commands", "stats", "customer") and w.is_running
        ]
        return (
            not self.app.sender.pending()
            and not desk._loading
            and desk._suggest_timer is None
            and not desk._flush_scheduled
            and not busy
        )


# --- scenes -----------------------------------------------------------------------------


async def desk_empty(s: Scene) -> None:
    await s.settle()


async def desk_tabs(s: Scene) -> None:
    """Three tabs (chat, email, SMS; a call takes the whole capacity, so it has
    its own scene), the chat active with an exchange."""
    chat = await s.accept("chat", text="Hi, my wifi keeps dropping every few minutes")
    await s.accept("email", subject="Refund for my last bill", text="I was charged twice in February.")
    await s.accept("sms", text="Can I move my installation to next week?")
    s.desk.activate(chat)
    assert s.pilot is not None
    s.desk.views[chat].composer.insert_text("Sorry to hear that! Let me check your line.")
    await s.pilot.press("enter")
    assert s.sim is not None
    await s.sim.customer_message(chat, "It started after the router update yesterday")
    await s.settle()


async def call_transcript(s: Scene) -> None:
    call = await s.accept("voice")
    assert s.sim is not None
    await s.advance(25)
    await s.settle()
    s.desk.activate(call, quiet=True)
    await s.settle()


async def offer(s: Scene) -> None:
    await s.offer("chat", text="Hello? I need help with my bill")
    await s.settle()


async def missed_offer(s: Scene) -> None:
    iid = await s.offer("chat", text="anyone there?")
    await s.advance(30)
    await s.until(lambda: iid not in s.desk.views)
    await s.settle()


async def _modal(s: Scene, key: str, name: str) -> None:
    assert s.pilot is not None
    await s.pilot.press(key)
    await s.until(lambda: type(s.app.screen).__name__ == name)
    await s.pilot.pause(0.3)


async def wrapup_modal(s: Scene) -> None:
    iid = await s.accept("chat", text="Thanks, that fixed it!")
    assert s.sim is not None
    await s.sim.end(iid)
    await s.until(lambda: s.desk.state.interactions[iid].state.value == "wrapup")
    await s.settle()
    await _modal(s, "f9", "WrapupDialog")


async def transfer_modal(s: Scene) -> None:
    await s.accept("voice")
    await s.settle()
    await _modal(s, "f7", "TransferDialog")


async def presence_menu(s: Scene) -> None:
    await s.settle()
    await _modal(s, "f4", "PresenceMenu")


async def help_screen(s: Scene) -> None:
    await s.settle()
    await _modal(s, "f1", "HelpScreen")


async def quit_dialog(s: Scene) -> None:
    await s.accept("chat", text="hello")
    await s.settle()
    await _modal(s, "f10", "QuitDialog")


async def kb_search(s: Scene) -> None:
    await s.accept("chat", text="my router keeps restarting")
    await s.settle()
    await _modal(s, "ctrl+k", "KbSearchDialog")
    assert s.pilot is not None
    for key in "router":
        await s.pilot.press(key)
    await s.until(lambda: s.app.screen.query_one("OptionList").option_count > 0)
    await s.pilot.pause(0.3)


async def split_view(s: Scene) -> None:
    a = await s.accept("chat", text="First customer here")
    await s.accept("sms", text="Second customer, different problem")
    s.desk.activate(a, quiet=True)
    await s.settle()
    assert s.pilot is not None
    await s.pilot.press("ctrl+backslash")
    await s.settle()


SCENES: dict[str, Callable[[Scene], Awaitable[None]]] = {
    "desk-empty": desk_empty,
    "desk-tabs": desk_tabs,
    "call-transcript": call_transcript,
    "offer": offer,
    "missed-offer": missed_offer,
    "wrapup": wrapup_modal,
    "transfer": transfer_modal,
    "presence": presence_menu,
    "help": help_screen,
    "quit": quit_dialog,
    "kb-search": kb_search,
    "split": split_view,
}

# The scenes the README shows.
README_SCENES = (
    "desk-tabs",
    "call-transcript",
    "offer",
    "wrapup",
    "help",
    "split",
    "kb-search",
    "missed-offer",
)
# The main scenes are also rendered in every built-in theme (<scene>--<theme>.svg).
THEMED_SCENES = ("desk-tabs", "call-transcript")


# --- running a scene -------------------------------------------------------------------


@contextmanager
def scene_app(store_dir: Path, theme: str | None = None) -> Iterator[tuple[AgentDeskApp, Scene]]:
    """A fresh seeded server and a signed-in, Available desk app for it (not yet running)."""
    with running_server(agents=3, bots=0, traffic=False, manual_clock=True, seed=SEED) as server:
        token, now = asyncio.run(_prepare(server.url))
        clock = FrozenClock(now)
        app = StillDeskApp(
            NativeBackend(server.url, token=token),
            clock=clock,
            username="agent1",
            notifications=QUIET,
            store_path=store_dir / "desk.db",
            tz=UTC,
            theme=theme,
        )
        yield app, Scene(server.url, clock)


async def _prepare(url: str) -> tuple[str, float]:
    backend = NativeBackend(url)
    sim = SimControl(url)
    try:
        token = await backend.login("agent1", "demo")
        await backend.set_presence(Presence.AVAILABLE)
        return token, await sim.now()
    finally:
        await sim.aclose()
        await backend.close()


def run_before(
    scene: Scene, play: Callable[[Scene], Awaitable[None]]
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def before(pilot: Pilot[Any]) -> None:
        scene.pilot = pilot
        scene.sim = SimControl(scene.url)
        try:
            await scene.ready()
            await play(scene)
        finally:
            await scene.sim.aclose()

    return before


def write_scene(
    name: str,
    out_dir: Path,
    size: tuple[int, int] = (120, 40),
    theme: str | None = None,
    filename: str | None = None,
) -> Path:
    from agentdesk.ui.textual_compat import take_svg_screenshot

    with tempfile.TemporaryDirectory() as tmp, scene_app(Path(tmp), theme) as (app, scene):
        svg = take_svg_screenshot(
            app=app,
            terminal_size=size,
            run_before=run_before(scene, SCENES[name]),
            title=f"agentdesk — {name}",
        )
    path = out_dir / (filename or f"{name}.svg")
    path.write_text(svg, encoding="utf-8")
    return path
