"""The demo's own stable identity: `agentdesk demo` starts its contact center
on a random free port, so the port cannot name it. A demo world is named by
what makes it (seed, agents, bots); its server keeps its state in a file named
the same way (`mock-server --db`), and the desk keys its local store (drafts,
outbox) by the same name. A restarted demo therefore finds the interactions it
left, and the desk finds the drafts typed for them.

Delete the file (`world_file`) to start the world afresh.
"""

from __future__ import annotations

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
