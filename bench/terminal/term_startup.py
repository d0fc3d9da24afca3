"""Real-terminal benchmark: start-up to the full, live, interactive screen, and
the longest UI-loop stall during start-up and sign-in.

Each program runs under a pseudo-terminal of 120x40 (bench/terminal/pty_term.py)
from a fresh process (imports included, bytecode compiled as after an install):

- `bare`: a bare Textual app (Header + Static + Footer), the floor;
- `bare+libs`: the bare app after importing h11, pydantic and websockets;
- `bare+imports`: the bare app after importing every module the desk loads
  before its live screen (`bare_imports_app`): what the imports alone cost;
- `demo`: `agentdesk demo` (starts its own mock server, signs in as agent1);
- `desk`: `agentdesk desk --server URL` against a mock server already running,
  signed in with `AGENTDESK_TOKEN`;
- `paleo`: daktela-paleo 0.0.10, the peer, from its own Python 3.12 virtualenv
  (`PALEO_VENV`, default /tmp/paleo-venv), with no server configured.

Start-up (`--mode startup`): from spawn until the full screen is drawn (header,
footer and live data: for the desk "● connected" and the queue figures; for the
peer its ticket table and "Instance: disconnected"), then a key (ctrl+p, the
command palette all four have) is written to the terminal the moment that
screen arrives, and the mark is when the palette is on screen. Both marks are
reported.

Stall (`--mode stall`): from the first frame that shows the footer until 1.5 s
after the full screen, a mouse move (SGR mouse report, through the input
parser) every 20 ms, alternating between two footer keys; the longest time from
a move to its hover highlight on screen is the longest stall the agent would
feel (the peer's footer has no hover, so it is measured for start-up only).

Rounds are interleaved (bare, demo, desk, paleo, bare, ...); medians are
reported, and ratios to the bare app of the same run.

Run: .venv/bin/python bench/terminal/term_startup.py [--rounds 5] [--mode both]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from agentdesk.testing.mockserver import SubprocessServer
from bench.terminal.common import (
    BARE_APP,
    BARE_LIBS_APP,
    PALEO,
    PY,
    ROOT,
    ScratchHome,
    bare_imports_app,
    compile_agentdesk,
    med,
    start_server,
)
from bench.terminal.pty_term import Screen, Terminal

CTRL_P = b"\x10"
TIMEOUT = 30.0


def palette_open(screen: Screen) -> bool:
    return any("🔎" in line for line in screen.lines)


def palette_text(screen: Screen) -> str | None:
    for line in screen.lines:
        if "🔎" in line:
            return line.split("🔎", 1)[1].strip()
    return None


def desk_full(screen: Screen) -> bool:
    lines = screen.lines
    return ("● connected" in lines[0] and "waiting" in lines[1]
            and "F10 Quit" in lines[-1])


def bare_full(screen: Screen) -> bool:
    lines = screen.lines
    return "bare" in lines[0] and "live data ready" in lines[1] and "Quit" in lines[-1]


def paleo_full(screen: Screen) -> bool:
    lines = screen.lines
    return "Tickets" in lines[1] and "Instance: disconnected" in lines[-1]


@dataclass
class Program:
    name: str
    argv: list[str]
    env: dict[str, str]
    full: Callable[[Screen], bool]
    hover: tuple[str, str] | None = None  # two footer keys for the stall probe
    cwd: str = str(ROOT)  # `python -m agentdesk` runs the tree it is started in


def programs(names: list[str], server: SubprocessServer | None, token: str | None,
             before: str | None = None) -> list[Program]:
    out = []
    for name in names:
        if name.endswith("@before"):  # the same program from another tree (A/B in one run)
            base = programs([name.removesuffix("@before")], server, token)[0]
            out.append(Program(name, base.argv, base.env, base.full, base.hover, cwd=before or ""))
            continue
        home = ScratchHome()
        if name == "bare":
            out.append(Program(name, [PY, "-c", BARE_APP], home.env(), bare_full, ("Quit", "palette")))
        elif name == "bare+libs":  # the floor with h11, pydantic and websockets imported
            out.append(Program(name, [PY, "-c", BARE_LIBS_APP], home.env(), bare_full,
                               ("Quit", "palette")))
        elif name == "bare+imports":  # the floor with every module the desk loads imported
            out.append(Program(name, [PY, "-c", bare_imports_app()], home.env(), bare_full,
                               ("Quit", "palette")))
        elif name == "demo":
            out.append(Program(name, [PY, "-m", "agentdesk", "demo", "--seed", "7"],
                               home.env(), desk_full, ("Presence", "Help")))
        elif name == "desk":
            assert server is not None and token is not None
            out.append(Program(name, [PY, "-m", "agentdesk", "desk", "--server", server.url],
                               home.env(AGENTDESK_TOKEN=token), desk_full,
                               ("Presence", "Help")))
        elif name == "paleo":
            out.append(Program(name, [str(PALEO)], home.env(), paleo_full))
    return out


def run_startup(program: Program) -> tuple[float, float]:
    """(full screen, palette echoed) in seconds from spawn."""
    with Terminal(program.argv, env=program.env, cwd=program.cwd) as term:
        full = term.wait(program.full, TIMEOUT)
        term.send(CTRL_P)
        echoed = term.wait(palette_open, TIMEOUT)
        return full - term.started, echoed - term.started


def run_stall(program: Program, seed: int) -> dict[str, float]:
    """Mouse moves every 20 ms from the first frame that shows the footer, alternating
    between two footer keys; a move is echoed when the key under the pointer shows
    its hover background and the other one does not. (Hover is a cheap probe the
    loop answers in a few ms when free; typing into the command palette is not:
    its search costs ~80 ms a key even in the bare app.)"""
    a_word, b_word = program.hover
    sent: list[float] = []
    targets: list[int] = []
    echoed: dict[int, float] = {}
    state: dict[str, object] = {}

    def footer_cols(screen: Screen) -> tuple[int, int] | None:
        last = screen.lines[-1]
        if a_word in last and b_word in last:
            return last.index(a_word) + 1, last.index(b_word) + 1
        return None

    def observe(screen: Screen, at: float) -> None:
        row = term._emu.buffer[term.rows - 1]
        cols = state["cols"]
        normal = state["normal"]
        bg = [row[c].bg for c in cols]  # type: ignore[union-attr]
        for k in range(len(sent) - 1, -1, -1):
            if k in echoed:
                break
            t = targets[k]
            if bg[t] != normal and bg[1 - t] == normal:
                for j in range(k, -1, -1):
                    if j in echoed:
                        break
                    echoed[j] = at
                break

    with Terminal(program.argv, env=program.env, cwd=program.cwd) as term:
        term.wait(lambda s: footer_cols(s) is not None, TIMEOUT)
        first = time.monotonic()
        with term._lock:
            cols = footer_cols(term.screen)
            assert cols is not None
            state["cols"] = cols
            state["normal"] = term._emu.buffer[term.rows - 1][cols[0]].bg
            term.observers.append(observe)
        full = term.expect(program.full)
        deadline = None
        next_at = time.monotonic()
        while True:
            now = time.monotonic()
            if deadline is None and full.event.is_set():
                deadline = now + 1.5
            if deadline is not None and now > deadline:
                break
            if now - first > TIMEOUT:
                raise TimeoutError(f"{program.name}: full screen not seen:\n{term.screen.text()}")
            target = len(sent) % 2
            col = cols[target] + 1
            with term._lock:
                targets.append(target)
                sent.append(time.monotonic())
                term.send(f"\x1b[<35;{col + 1};{term.rows}M")
            next_at += 0.020
            time.sleep(max(0.0, next_at - time.monotonic()))
        time.sleep(0.5)
        with term._lock:
            term.observers.remove(observe)
            lat = [echoed[k] - s for k, s in enumerate(sent) if k in echoed]
            missing = len(sent) - len(lat)
        # Frames while the moves were being sent: after the last one nothing on the
        # screen needs to change, so the idle 0.5 s that follows is not a gap.
        frames = [f for f in term.frames if first <= f <= sent[-1]]
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    return {"moves": len(sent), "missing": missing,
            "max_ms": max(lat, default=float("nan")) * 1000,
            "p95_ms": sorted(lat)[int(0.95 * len(lat))] * 1000 if lat else float("nan"),
            "max_frame_gap_ms": max(gaps, default=0.0) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mode", choices=("startup", "stall", "both"), default="both")
    parser.add_argument("--programs", default="bare,demo,desk,paleo")
    parser.add_argument("--json", help="write the raw figures here")
    parser.add_argument("--before", help="a tree (e.g. `git archive` of an older commit) whose "
                        "demo/desk run as demo@before/desk@before")
    args = parser.parse_args()
    names = args.programs.split(",")
    if "paleo" in names and not PALEO.exists():
        print(f"peer not measured: {PALEO} does not exist (install daktela-paleo==0.0.10 in a "
              "Python 3.12 virtualenv there, or set PALEO_VENV)", file=sys.stderr)
        names.remove("paleo")
    compile_agentdesk()
    if args.before:
        import subprocess
        subprocess.run([PY, "-m", "compileall", "-q", f"{args.before}/agentdesk"], check=True)
    server = token = None
    if any(n.startswith("desk") for n in names):
        server = start_server("--seed", "7")
        import httpx
        token = httpx.post(f"{server.url}/v1/login",
                           json={"username": "agent1", "password": "demo"}).json()["token"]
    try:
        progs = programs(names, server, token, args.before)
        for p in progs:  # warm-up: files created, caches filled, as on any later start
            run_startup(p)
        results: dict[str, dict[str, list]] = {p.name: {"full": [], "echo": [], "stall": []}
                                               for p in progs}
        for r in range(args.rounds):
            for p in progs:
                if args.mode in ("startup", "both"):
                    full, echo = run_startup(p)
                    results[p.name]["full"].append(full * 1000)
                    results[p.name]["echo"].append(echo * 1000)
                if args.mode in ("stall", "both") and p.hover:
                    results[p.name]["stall"].append(run_stall(p, seed=r))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


def report(results: dict[str, dict[str, list]]) -> None:
    bare = results.get("bare")
    if bare and bare["echo"]:
        b_full, b_echo = med(bare["full"]), med(bare["echo"])
        print("\nstart-up (median ms from spawn; ratio to the bare app of the same run)")
        print("| program | full screen | x bare | + ctrl+p echoed | x bare |")
        print("|---|---|---|---|---|")
        for name, r in results.items():
            f, e = med(r["full"]), med(r["echo"])
            print(f"| {name} | {f:.0f} | {f / b_full:.2f}x | {e:.0f} | {e / b_echo:.2f}x |")
    if any(r["stall"] for r in results.values()):
        print("\nstall (a mouse move every 20 ms from the first frame; per run max and p95 of move-to-hover, "
              "medians over runs, and the worst run)")
        print("| program | p95 ms | max ms (median) | max ms (worst) | max frame gap ms | moves not echoed |")
        print("|---|---|---|---|---|---|")
        for name, r in results.items():
            s = r["stall"]
            if not s:
                continue
            print(f"| {name} "
                  f"| {med([x['p95_ms'] for x in s]):.0f} | {med([x['max_ms'] for x in s]):.0f} "
                  f"| {max(x['max_ms'] for x in s):.0f} "
                  f"| {med([x['max_frame_gap_ms'] for x in s]):.0f} "
                  f"| {sum(x['missing'] for x in s)} |")


if __name__ == "__main__":
    raise SystemExit(main())
