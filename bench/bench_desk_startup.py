"""Benchmark: start-up of `agentdesk demo` to the first interactive frame,
as a ratio to a bare Textual app with a Header and a Footer (the floor),
both measured in the same run as fresh subprocesses (imports included).

"Interactive" for the desk: the mock server is up, agent1 is signed in, the
desk has loaded its snapshot (presence, interactions, queues) and painted it.
For the floor: the first frame of the bare app. Both run headless at 120x40;
the figure is from process spawn to that frame (the child prints the time),
so shutting the server down afterwards is not counted.

Run: .venv/bin/python bench/bench_desk_startup.py [--runs 5]
Results go in docs/benchmarks.md under "## Desk".
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = """
from textual.app import App
from textual.widgets import Header, Footer
class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        import time
        print(time.time(), flush=True)
        self.exit()
Bare().run(headless=True, size=(120, 40))
"""

DESK = """
import asyncio, tempfile
from pathlib import Path
from agentdesk.mockserver.testing import running_server
from agentdesk.backends.native import NativeBackend
from agentdesk.ui.launch import _login
from agentdesk.ui.app import make_app

with running_server(seed=7, speed=1.0, agents=12) as server, tempfile.TemporaryDirectory() as tmp:
    token = asyncio.run(_login(server.url, "agent1", "demo"))
    app = make_app(NativeBackend(server.url, token=token), username="agent1",
                   store_path=Path(tmp) / "desk.db")

    def done():
        import time
        print(time.time(), flush=True)
        app.exit()

    def check():
        desk = app.desk
        if desk is not None and desk.state.agent is not None and not desk._flush_scheduled:
            app.call_after_refresh(done)
        else:
            app.set_timer(0.01, check)

    app.call_later(check)
    app.run(headless=True, size=(120, 40))
"""


def timed(code: str) -> float:
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1]) - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    floor, desk = [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        floor.append(timed(FLOOR))
        desk.append(timed(DESK))
    f, d = statistics.median(floor), statistics.median(desk)
    print(f"bare Header+Footer app: median {f * 1000:.0f} ms (min {min(floor) * 1000:.0f})")
    print(f"agentdesk demo to first interactive frame: median {d * 1000:.0f} ms (min {min(desk) * 1000:.0f})")
    print(f"ratio: {d / f:.2f}x (budget 1.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
