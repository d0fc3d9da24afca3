"""Snapshots of every desk screen and modal at 120x40 and 80x24.

Scenes come from `tools/screenshots/desk_scenes.py` (a fresh seeded, manual-clock
server per scene; the app clock is frozen at the server's clock; timestamps in
UTC). Update with `pytest tests/ui/test_snapshots_desk.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

import pytest

from tools.screenshots.desk_scenes import SCENES, Scene, run_before, scene_app

SIZES = [(120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_desk_snapshot(snap_compare, scene, size, tmp_path):
    with scene_app(tmp_path) as (app, state):
        assert snap_compare(app, run_before=run_before(state, SCENES[scene]), terminal_size=size)


# --- links in messages: the ctrl+o picker and the confirmation -----------------------------

async def _open_link_picker(s: Scene) -> None:
    assert s.pilot is not None
    await s.settle()
    await s.pilot.press("ctrl+o")
    await s.until(lambda: type(s.app.screen).__name__ == "LinkPicker")
    await s.pilot.pause(0.3)


async def link_picker(s: Scene) -> None:
    """Two links from the customer, the newest listed first."""
    chat = await s.accept("chat", text="Hi, my order never arrived: https://shop.example.com/orders/4711")
    assert s.sim is not None
    await s.sim.customer_message(
        chat, "The tracking page https://track.example.net/p/ZX81-2206?lang=en says delivered. Where is it?")
    await _open_link_picker(s)


async def link_confirm(s: Scene) -> None:
    """A lookalike (punycode) host: the confirmation names the site and warns."""
    await s.accept("chat", text="Your account is locked, log in here: https://xn--pypal-4ve.com/login?session=8f3a")
    await _open_link_picker(s)
    assert s.pilot is not None
    await s.pilot.press("enter")
    await s.until(lambda: type(s.app.screen).__name__ == "ConfirmLink")
    await s.pilot.pause(0.3)


LINK_SCENES = {"link-picker": link_picker, "link-confirm": link_confirm}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", sorted(LINK_SCENES))
def test_desk_link_snapshot(snap_compare, scene, size, tmp_path):
    with scene_app(tmp_path) as (app, state):
        assert snap_compare(app, run_before=run_before(state, LINK_SCENES[scene]), terminal_size=size)
