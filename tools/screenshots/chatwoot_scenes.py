"""The desk on Chatwoot, for the README: a deterministic scene on the fake
Chatwoot (REST + ActionCable), run by `make screenshots`.

    python -m tools.screenshots.chatwoot_scenes DIR [WxH]   # DIR/chatwoot-desk.svg

The fake runs on its own thread (the app runs its own loop) with its clock
frozen, the desk signs in with Ada's access token as `agentdesk desk
--backend chatwoot` does and answers Grace with a canned response; the app clock
is frozen too, so the picture is the same every run.
"""

from __future__ import annotations

import sys
import tempfile
import types
from datetime import UTC
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from agentdesk.testing.clock import FrozenClock
from tools.screenshots.desk_scenes import QUIET, Scene
from tools.screenshots.still import StillDeskApp

FROZEN_AT = 1764849600.0  # Thu 4 Dec 2025 12:00 UTC


def _freeze_fake_clock() -> None:
    """Every timestamp the fake makes (messages, conversations, pings) is FROZEN_AT:
    this process only ever renders this one scene."""
    import time

    from agentdesk.testing.chatwoot import app, cable, world

    frozen = types.SimpleNamespace(time=lambda: FROZEN_AT, monotonic=time.monotonic, sleep=time.sleep)
    for module in (app, cable, world):
        module.time = frozen  # type: ignore[attr-defined]


async def _seed(fake: Any) -> None:
    """Three conversations of Ada's (chat, email, SMS); every timestamp frozen."""
    grace = await fake.new_conversation("Grace Hopper", "My invoice is wrong", assignee_id=7)
    await fake.customer_message(grace.id, "It shows two charges for March.")
    await fake.new_conversation(
        "Alan Turing", "Where is my parcel?", inbox_id=2, subject="Order 4417 not delivered", assignee_id=7
    )
    await fake.new_conversation("Edsger Dijkstra", "Is the shop open on Sunday?", inbox_id=3, assignee_id=7)
    w = fake.world
    make_message = w.message

    def message(*args: Any, **kwargs: Any) -> Any:  # what the desk sends: a minute later
        made = make_message(*args, **kwargs)
        made.created_at = made.updated_at = FROZEN_AT + 60
        return made

    w.message = message
    for thing in (*w.contacts.values(), *w.conversations.values(), *w.messages):
        for name in ("created_at", "updated_at"):
            if hasattr(thing, name):
                setattr(thing, name, FROZEN_AT)


async def _play(scene: Scene, grace: str) -> None:
    pilot = scene.pilot
    assert pilot is not None
    await scene.ready()
    desk = scene.desk
    await scene.until(lambda: grace in desk.views, timeout=20)
    desk.activate(grace)
    await pilot.pause(0.2)
    view = desk.views[grace]
    await scene.until(lambda: len(view.timeline.items) >= 2)
    await pilot.press("slash")
    await scene.until(lambda: type(scene.app.screen).__name__ == "CannedPicker")
    await pilot.press("enter")
    await scene.until(lambda: scene.app.screen is desk)
    await pilot.press("enter")
    await scene.until(
        lambda: (
            not scene.app.sender.pending()
            and any(i.body.startswith("Hello Grace") for i in view.timeline.items)
        )
    )
    await scene.settle()


def write_chatwoot_scene(out_dir: Path, size: tuple[int, int] = (120, 40)) -> Path:
    from agentdesk.backends.chatwoot.backend import ChatwootBackend
    from agentdesk.testing.chatwoot.threaded import ThreadedFake
    from agentdesk.ui.textual_compat import take_svg_screenshot

    _freeze_fake_clock()
    running = ThreadedFake(port=0).start()
    try:
        running.call(_seed)
        world = running.fake.world
        grace = next(
            str(c.id)
            for c in world.conversations.values()
            if world.contacts[c.contact_id].name == "Grace Hopper"
        )
        with tempfile.TemporaryDirectory() as tmp:
            clock = FrozenClock(FROZEN_AT + 90)
            backend = ChatwootBackend(running.url, token=world.users[7].access_token)
            app = StillDeskApp(
                backend,
                clock=clock,
                username="ada@example.com",
                notifications=QUIET,
                store_path=Path(tmp) / "desk.db",
                tz=UTC,
            )
            scene = Scene(running.url, clock)

            async def before(pilot: Pilot[Any]) -> None:
                scene.pilot = pilot
                await _play(scene, grace)

            svg = take_svg_screenshot(
                app=app, terminal_size=size, run_before=before, title="agentdesk — Chatwoot"
            )
    finally:
        running.stop()
    suffix = "" if size == (120, 40) else f"-{size[0]}x{size[1]}"
    path = out_dir / f"chatwoot-desk{suffix}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m tools.screenshots.chatwoot_scenes DIR [WxH]", file=sys.stderr)
        return 2
    out_dir = Path(args[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    width, _, height = (args[1] if len(args) > 1 else "120x40").partition("x")
    print(write_chatwoot_scene(out_dir, (int(width), int(height))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
