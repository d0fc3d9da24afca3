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
import argparse, tempfile, time
from pathlib import Path
from agentdesk.backends.native import NativeBackend
from agentdesk.ui.launch import DEMO_PASSWORD, _demo_server_in_background, _free_port
from agentdesk.ui.app import make_app

# The same path as `agentdesk demo`: the server starts in a thread, the desk
# paints at once and signs in when the server answers.
args = argparse.Namespace(seed=7, speed=1.0, agents=12)
port = _free_port()
stop, failure = _demo_server_in_background(args, port, None)
with tempfile.TemporaryDirectory() as tmp:
    app = make_app(NativeBackend(f"http://127.0.0.1:{port}"), username="agent1",
                   store_path=Path(tmp) / "desk.db", sign_in=("agent1", DEMO_PASSWORD))
    marks = {}

    def check():
        desk = app.desk
        if "interactive" not in marks and desk is not None and desk.is_mounted:
            app.call_after_refresh(lambda: marks.setdefault("interactive", time.time()))
        if desk is not None and desk.state.agent is not None and not desk._flush_scheduled:
            def done():
                marks["loaded"] = time.time()
                print(marks.get("interactive", marks["loaded"]), marks["loaded"], flush=True)
                app.exit()
            app.call_after_refresh(done)
        else:
            app.set_timer(0.01, check)

    app.call_later(check)
    app.run(headless=True, size=(120, 40))
stop.set()
"""


def timed(code: str) -> list[float]:
    """Seconds from spawn to each time the child prints (one or two marks)."""
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return [float(x) - start for x in done.stdout.strip().splitlines()[-1].split()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    floor, interactive, loaded = [], [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        floor.append(timed(FLOOR)[0])
        first, ready = timed(DESK)
        interactive.append(first)
        loaded.append(ready)
    f = statistics.median(floor)
    i, d = statistics.median(interactive), statistics.median(loaded)
    print(f"bare Header+Footer app: median {f * 1000:.0f} ms (min {min(floor) * 1000:.0f})")
    print(f"agentdesk demo, first interactive frame (desk painted, keys live): median {i * 1000:.0f} ms "
          f"-> ratio {i / f:.2f}x (budget 1.5x)")
    print(f"agentdesk demo, signed in and snapshot shown: median {d * 1000:.0f} ms -> ratio {d / f:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
