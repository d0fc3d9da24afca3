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
import threading
from pathlib import Path

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


# The mock server with room for N concurrent chats per agent. Today the
# per-agent limits are constants in `domain/capacity.py` (issue 13 asks for
# them in the scenario file); until then the bench raises them in its own
# server process only.
LOAD_SERVER = """
import sys
from agentdesk.domain import capacity
from agentdesk.domain.enums import Channel
capacity.DEFAULT_LIMITS[Channel.CHAT] = {chats}
capacity.DEFAULT_COSTS[Channel.CHAT] = 100 // {chats}
from agentdesk.cli import main
sys.exit(main(["mock-server", "--port", "0", *sys.argv[1:]]))
"""


class Server:
    def __init__(self, *args: str, chats: int | None = None, env: dict[str, str] | None = None):
        if chats is None:
            argv = [PY, "-m", "agentdesk", "mock-server", "--port", "0", *args]
        else:
            argv = [PY, "-c", LOAD_SERVER.format(chats=chats), *args]
        log_fd, self.log_path = tempfile.mkstemp(prefix="agentdesk-mock-", suffix=".log")
        try:
            self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log_fd,
                                         stdin=subprocess.DEVNULL, text=True, cwd=ROOT,
                                         env=dict(env or os.environ, PYTHONUNBUFFERED="1"))
        finally:
            os.close(log_fd)  # the child has its own copy
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(30)
        self.url = line[0].strip() if line else ""
        if not self.url.startswith("http://"):
            self.stop()
            raise RuntimeError(f"mock server did not start: {self.url!r}\n"
                               f"{Path(self.log_path).read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        Path(self.log_path).unlink(missing_ok=True)


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
