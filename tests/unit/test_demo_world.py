"""The demo's world: one demo at a time holds it, a second one beside it gets
a world of its own, and --fresh forgets the world and the desk's store for it.
(Issue 14 item 6 keeps the world across restarts: test_demo_restart_drafts.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from agentdesk.store.demo_world import claim, demo_world, forget, private_world

HOLD = """
import sys, time
from agentdesk.store.demo_world import claim, demo_world
with claim(demo_world(7, 12, None)) as ours:
    print(ours, flush=True)
    sys.stdin.readline()
"""


def test_a_second_demo_of_the_same_world_does_not_get_it_until_the_first_quits() -> None:
    world = demo_world(7, 12, None)
    first = subprocess.Popen([sys.executable, "-c", HOLD], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "True"
        with claim(world) as ours:
            assert ours is False  # held by the other process
        other = private_world(world)
        assert other.world_file != world.world_file and other.identity != world.identity
    finally:
        first.communicate("\n", timeout=30)
    with claim(world) as ours:
        assert ours is True  # released when the first demo ended


def test_fresh_forgets_the_world_and_the_desk_store_for_it(tmp_path: Path) -> None:
    world = demo_world(7, 12, None)
    store = tmp_path / "desk-x.db"
    files = [world.world_file, world.world_file.with_name(world.world_file.name + "-wal"),
             store, store.with_name(store.name + "-shm")]
    for path in files:
        path.write_text("state")
    forget(world, store)
    assert not any(path.exists() for path in files)
    forget(world, store)  # nothing left to forget: no error
