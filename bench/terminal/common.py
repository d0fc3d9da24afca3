"""Shared by the real-terminal benchmarks: the programs measured (the bare
Textual floors, the desk, the peer), scratch homes, a mock server, and
statistics."""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from agentdesk.testing.mockserver import SubprocessServer, spawn_server

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PALEO_VENV = Path(os.environ.get("PALEO_VENV", "/tmp/paleo-venv"))
PALEO = PALEO_VENV / "bin" / "daktela-paleo"

# The floor for start-up: Header + Static + Footer, the Static drawn with
# "live data" at mount. Its body echoes keys, but the start-up probe is the
# command palette (ctrl+p), which every Textual app here has.
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    TITLE = "bare"
    BINDINGS = [("ctrl+q", "quit", "Quit")]
    def compose(self):
        yield Header()
        yield Static("", id="body")
        yield Footer()
    def on_mount(self):
        self.query_one("#body").update("live data ready")

Bare().run()
"""

# The bare app plus the libraries the desk needs before its screen can be live
# (its HTTP protocol, its models, its WebSocket client), imported before the app
# runs: how much of the budget those imports alone take (docs/benchmarks.md).
BARE_LIBS_APP = "import h11, pydantic, websockets.asyncio.client\n" + BARE_APP

# What the desk imports on its way to its live screen: its entry points (the
# backend module brings the HTTP wire, h11 on asyncio streams).
DESK_ENTRY_MODULES = ("agentdesk.cli.desk", "agentdesk.credentials", "agentdesk.backends.native",
                      "agentdesk.ui.app", "agentdesk.ui.screens.desk_screen")


def desk_startup_modules() -> list[str]:
    """Every module the desk loads before its live screen, in import order, as
    a child process importing DESK_ENTRY_MODULES lists them. Private C modules
    (`_asyncio`, ...) are left to their packages: importing `_asyncio` before
    `asyncio` breaks asyncio's task bookkeeping."""
    listing = ("from agentdesk.cli.lean_imports import defer_httpx_cli; defer_httpx_cli()\n"
               "import importlib, sys\n"
               f"for m in {DESK_ENTRY_MODULES!r}: importlib.import_module(m)\n"
               "print('\\n'.join(sys.modules))\n")
    out = subprocess.run([PY, "-c", listing], cwd=ROOT, capture_output=True, text=True, check=True)
    return [m for m in out.stdout.split() if not m.startswith("_")]


def bare_imports_app() -> str:
    """The bare app after importing every module the desk loads before its
    live screen: the floor the imports alone set, none of the desk's own work."""
    return ("from agentdesk.cli.lean_imports import defer_httpx_cli; defer_httpx_cli()\n"
            "import importlib\n"
            f"for m in {desk_startup_modules()!r}: importlib.import_module(m)\n" + BARE_APP)


# The floor for typing: one Input, focused, nothing else.
BARE_INPUT_APP = """
from textual.app import App
from textual.widgets import Input

class BareInput(App):
    def compose(self):
        yield Input(placeholder="type here", id="box")

BareInput().run()
"""

# A unique-looking alphabet for typed probes: 8-grams of it never occur in
# the screens measured, so "the last 8 typed characters are on screen" means
# "the last key was echoed".
PROBE_ALPHABET = "QXZJKVW23456789"


def probe_text(n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(PROBE_ALPHABET) for _ in range(n))


def echo_needle(typed: str) -> str:
    return typed[-8:]


class ScratchHome:
    """A fresh HOME and XDG directories, so no user config or token leaks in."""

    def __init__(self) -> None:
        self.path = tempfile.mkdtemp(prefix="agentdesk-term-")

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        for key in ("AGENTDESK_TOKEN", "AGENTDESK_CONFIG_FILE", "PYTHONDONTWRITEBYTECODE"):
            env.pop(key, None)
        env["HOME"] = self.path
        for d in ("CONFIG", "DATA", "STATE", "CACHE"):
            env[f"XDG_{d}_HOME"] = f"{self.path}/{d.lower()}"
        env.update(extra)
        return env

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def start_server(*args: str, chats: int | None = None) -> SubprocessServer:
    """`agentdesk mock-server --port 0 *args` in a subprocess (the tests' own
    `spawn_server`), with room for `chats` concurrent chats per agent."""
    if chats is not None:
        args = (*args, "--capacity", f"chat={chats}@{max(1, 100 // chats)}")
    return spawn_server(*args)


def compile_agentdesk() -> None:
    """Bytecode, as a normal install has (pip compiles at install time)."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "agentdesk")], check=True)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank q-quantile, in the values' unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
