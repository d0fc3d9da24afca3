"""The demo's own stable identity: `agentdesk demo` starts its contact center
on a random free port, so the port cannot name it. A demo world is named by
what makes it (seed, agents, bots); its server keeps its state in a file named
the same way (`mock-server --db`), and the desk keys its local store (drafts,
outbox) by the same name. A restarted demo therefore finds the interactions it
left, and the desk finds the drafts typed for them.

`agentdesk demo --fresh` starts the world afresh (`forget`: the world file
and the desk's local store for it). While a demo runs it holds the world's
lock (`claim`); a second demo started beside it gets a world of its own for
that run (`private_world`), so two servers never write one file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agentdesk.store.paths import data_dir


@dataclass(frozen=True, slots=True)
class DemoWorld:
    identity: str  # what the desk's local store is keyed by, in place of the URL
    world_file: Path  # the demo server's SQLite state


def demo_world(seed: int, agents: int, bots: int | None) -> DemoWorld:
    name = f"seed{seed}-agents{agents}-bots{'auto' if bots is None else bots}"
    folder = data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    return DemoWorld(identity=f"demo:{name}", world_file=folder / f"world-{name}.db")


def forget(world: DemoWorld, desk_store: Path) -> None:
    """Start afresh: the server's state and the desk's drafts and outbox for it
    (queued messages for interactions that will no longer exist)."""
    for base in (world.world_file, desk_store):
        for path in (base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


@contextlib.contextmanager
def claim(world: DemoWorld) -> Iterator[bool]:
    """Hold the world's lock for the demo's lifetime: True if this demo has it,
    False if another demo (another terminal) runs the same world now."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one demo at a time is up to the user
        yield True
        return
    lock = world.world_file.with_suffix(".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True  # released when the descriptor closes, even if the process dies
    finally:
        os.close(fd)


def private_world(world: DemoWorld) -> DemoWorld:
    """A world for this run only, beside one another demo is running."""
    folder = Path(tempfile.mkdtemp(prefix="agentdesk-demo-"))
    return DemoWorld(identity=f"{world.identity}:{folder.name}", world_file=folder / "world.db")
