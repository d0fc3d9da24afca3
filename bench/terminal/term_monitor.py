"""Real-terminal benchmark: the supervisor monitor with 200 agents, event to screen.

A mock server with `--agents 200` (all but agent1 worked by bots: the floor's
own traffic), `agentdesk monitor` signed in as the supervisor under a 120x40
pseudo-terminal. The probe: agent1 (human-controlled) changes presence through
the API (`PUT /v1/me/presence`, alternating available / away) every
`--interval` s; the time from sending the request to agent1's row showing the
new presence on the terminal is one sample.

The monitor repaints every `FLUSH_S` (0.25 s) on purpose (it coalesces a
floor's updates). "Without its deliberate batch interval" is measured by
running the same monitor with `flush_s` set to one frame (1/60 s) in a small
wrapper (the only change); the default is measured too. Interleaved windows.

Run: .venv/bin/python bench/terminal/term_monitor.py [--rounds 2] [--seconds 15]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.bench_proc_common import cpu_seconds
from bench.terminal.common import PY, ROOT, ScratchHome, compile_agentdesk, pct, start_server
from bench.terminal.load_setup import Api
from bench.terminal.pty_term import Screen, Terminal

MONITOR = """
import sys
from agentdesk.ui.monitor import monitor_app
kw = dict(monitor_app.MonitorApp.__init__.__kwdefaults__)
kw["flush_s"] = {flush}
monitor_app.MonitorApp.__init__.__kwdefaults__ = kw
from agentdesk.cli import main
sys.exit(main(["monitor", "--server", sys.argv[1]]))
"""

LABEL = {"available": "Available", "away": "Away"}


def agent1_presence(screen: Screen) -> str | None:
    for line in screen.lines:
        if line.startswith("Agent 1 "):
            return line.split()[2]
    return None


def window(term: Terminal, agent: Api, seconds: float, interval: float, state: list[str]) -> list[float]:
    lat = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        state[0] = "away" if state[0] == "available" else "available"
        want = LABEL[state[0]]
        waiter = term.expect(lambda s, want=want: agent1_presence(s) == want)
        sent = time.monotonic()
        agent.call("PUT", "/v1/me/presence", {"presence": state[0]})
        if waiter.event.wait(10):
            lat.append(waiter.at - sent)
        time.sleep(max(0.0, interval - (time.monotonic() - sent)))
    return lat


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--profile", help="py-spy the every-frame monitor into this speedscope file")
    parser.add_argument("--tree", help="run the monitors from this tree (a `git archive` of another "
                        "commit), for before/after runs on the same machine")
    args = parser.parse_args()
    compile_agentdesk()
    if args.tree:
        import subprocess

        subprocess.run([PY, "-m", "compileall", "-q", f"{args.tree}/agentdesk"], check=True)
    server = start_server("--agents", str(args.agents), "--seed", "7", "--rate-limit", "0")
    homes = [ScratchHome(), ScratchHome()]
    terms: dict[str, Terminal] = {}
    try:
        sup = Api(server.url)
        token = sup.login("supervisor")
        agent = Api(server.url)
        agent.login("agent1")
        for name, flush, home in (("frame", 1 / 60, homes[0]), ("default", 0.25, homes[1])):
            terms[name] = Terminal([PY, "-c", MONITOR.format(flush=flush), server.url],
                                   env=home.env(AGENTDESK_TOKEN=token), cwd=args.tree or str(ROOT))
        for term in terms.values():
            # The header's link state is cut at 120 columns: the floor loaded is the mark.
            term.wait(lambda s: "connecting" not in s.lines[0] and f"/{args.agents}:" in s.lines[0]
                      and agent1_presence(s) is not None, 60)
        time.sleep(2.0)
        state = ["offline"]
        lat: dict[str, list[float]] = {name: [] for name in terms}
        cpu0 = {name: cpu_seconds(t.proc.pid) for name, t in terms.items()}
        cpu0["server"] = cpu_seconds(server.process.pid)
        started = time.monotonic()
        if args.profile:
            import subprocess

            subprocess.Popen(
                [str(Path(sys.executable).parent / "py-spy"), "record", "-o", args.profile, "-f",
                 "speedscope", "-d", str(int(args.rounds * args.seconds * 2)), "-p",
                 str(terms["frame"].proc.pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for r in range(args.rounds):
            for name, term in terms.items():
                lat[name] += window(term, agent, args.seconds, args.interval, state)
            print(f"round {r + 1}/{args.rounds}", file=sys.stderr)
        elapsed = time.monotonic() - started
        cpu = {name: (cpu_seconds(t.proc.pid) - cpu0[name]) / elapsed for name, t in terms.items()}
        cpu["server"] = (cpu_seconds(server.process.pid) - cpu0["server"]) / elapsed
        print(f"\nmonitor, {args.agents} agents (bots), presence change of agent1 to its row on "
              f"screen; CPU (1.0 = a core, whole run, both monitors connected throughout): "
              + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
        print("| monitor flush | p50 ms | p95 ms | max ms | n |")
        print("|---|---|---|---|---|")
        for name, values in lat.items():
            label = "every frame (1/60 s)" if name == "frame" else "default (0.25 s)"
            print(f"| {label} | {pct(values, .5) * 1000:.0f} | {pct(values, .95) * 1000:.0f} "
                  f"| {max(values, default=float('nan')) * 1000:.0f} | {len(values)} |")
    finally:
        for term in terms.values():
            term.close()
        server.stop()
        for home in homes:
            home.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
