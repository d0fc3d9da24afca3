"""Benchmark: start-up of `agentdesk demo` to the first interactive frame,
as a ratio to a bare Textual app with a Header and a Footer (the floor),
both measured in the same run as fresh subprocesses (imports included).

The desk child runs the real `agentdesk demo` entry point (`agentdesk.cli.main`)
with only `App.run` wrapped: headless at 120x40, plus two probes. It reports
two marks: the first frame of the desk screen (painted, keys live; the mock
server is still starting in its own process) and the moment agent1 is signed
in and the snapshot (presence, interactions, queues) is on screen. The floor
is the first frame of the bare app. Figures run from process spawn to the
mark (the child prints the time), so shutting the server down afterwards is
not counted.

Run: .venv/bin/python bench/bench_desk_startup.py [--runs 5]
Results go in docs/benchmarks.md under "## Desk".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Both children mark their first frame the same way: the first time the app
# hands a rendered screen update to its driver (`App._display`), which is
# where a terminal would receive the frame. (A `call_after_refresh` probe
# would run late when a worker is busy right after the first refresh.)
FIRST_FRAME_PROBE = """
import time
from textual.app import App

marks = {}
display = App._display

def probed_display(app, screen, renderable):
    if renderable is not None and "interactive" not in marks and FIRST_SCREEN(app, screen):
        marks["interactive"] = time.time()
    return display(app, screen, renderable)

App._display = probed_display
"""

FLOOR = FIRST_FRAME_PROBE + """
from textual.widgets import Header, Footer

FIRST_SCREEN = lambda app, screen: True

class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()
    def on_mount(self):
        self.set_timer(0.01, self.done)
    def done(self):
        print(marks["interactive"], flush=True)
        self.exit()
Bare().run(headless=True, size=(120, 40))
"""

DESK = FIRST_FRAME_PROBE + """
from agentdesk.cli import main

# The real `agentdesk demo` (argument parsing, settings, the server child
# process, the desk), with only App.run changed: headless at 120x40, and a
# probe for "signed in and the snapshot is on screen". Classes are matched by
# name so that the probe imports nothing of agentdesk before `main` does.
FIRST_SCREEN = lambda app, screen: type(screen).__name__ == "DeskScreen"
run = App.run

def probed_run(app, *args, **kwargs):
    def check():
        desk = app.desk
        if desk is not None and desk.state.agent is not None and not desk._flush_scheduled:
            def done():
                marks["loaded"] = time.time()
                print(marks["interactive"], marks["loaded"], flush=True)
                app.exit()
            app.call_after_refresh(done)
        else:
            app.set_timer(0.01, check)

    app.call_later(check)
    return run(app, headless=True, size=(120, 40))

App.run = probed_run
main(["demo", "--seed", "7"])
"""


def timed(code: str, home: str) -> list[float]:
    """Seconds from spawn to each time the child prints (one or two marks).
    The child's config/data/state directories are under `home`."""
    env = dict(os.environ, **{f"XDG_{d}_HOME": f"{home}/{d.lower()}"
                              for d in ("CONFIG", "DATA", "STATE", "CACHE")})
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                          capture_output=True, text=True, env=env)
    return [float(x) - start for x in done.stdout.strip().splitlines()[-1].split()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    # Bytecode for agentdesk, as a normal install has (pip compiles at install
    # time; an editable install caches it on first run). Without it every run
    # would compile ~200 modules from source, which no user sees twice.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "agentdesk")], check=True)
    floor, interactive, loaded = [], [], []
    with tempfile.TemporaryDirectory() as home:
        # The start of a shift, not the first start ever: one unmeasured run
        # creates the desk's SQLite file (schema, WAL) as a user's first day did.
        timed(DESK, home)
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            floor.append(timed(FLOOR, home)[0])
            first, ready = timed(DESK, home)
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
