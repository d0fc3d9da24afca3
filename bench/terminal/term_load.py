"""Real-terminal benchmark: the desk under load from the real mock server.

Set-up: a mock server (scripted: no arrivals, no customer autonomy, no rate
limit) where agent1 holds 20 active chats (the per-agent chat limit is raised
in the bench's own server process: bench/terminal/common.py); `agentdesk desk`
signed in with AGENTDESK_TOKEN under a 120x40 pseudo-terminal; a click on the
composer focuses it, as an agent would.

Load: customer messages posted to `/sim/interactions/{id}/customer-message` at
`--rate` per second in total, round-robin over the 20 chats (so each chat gets
rate/20 per second), from keep-alive connections.

- event to screen: messages to the chat on screen carry a stamp `ZQnnnnnn`; the
  time from sending the POST to the stamp appearing on the terminal;
- keystroke to screen: one probe character every `--key-interval` s written to
  the terminal; the time until the composer shows it (40 characters, then they
  are erased, unmeasured). The same probe, in the same harness and under the
  same server load, against a bare Textual app with one focused Input: the
  floor. Windows alternate (desk, bare, desk, ...); p95 over all windows.

Run: .venv/bin/python bench/terminal/term_load.py [--rounds 3] [--seconds 10] [--rate 200]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.bench_proc_common import cpu_seconds
from bench.terminal.common import (
    BARE_INPUT_APP,
    PY,
    ROOT,
    ScratchHome,
    compile_agentdesk,
    med,
    pct,
    probe_text,
)
from bench.terminal.load_setup import Load, floor_with_chats
from bench.terminal.pty_term import Screen, Terminal

STAMP = re.compile(r"ZQ\d{6}")


def click(term: Terminal, col: int, row: int) -> None:
    """A left click (SGR mouse, 1-based), press then release."""
    term.send(f"\x1b[<0;{col};{row}M\x1b[<0;{col};{row}m")


def composer_text(screen: Screen) -> str | None:
    for line in screen.lines[-6:]:
        if "▊" in line:
            # up to the composer's right edge, or a toast drawn over it
            body = re.split("[▎▌]", line.split("▊", 1)[1], maxsplit=1)[0].strip()
            if body and "▔" not in body and "▁" not in body:
                return body
    return None


def input_text(screen: Screen) -> str | None:
    for line in screen.lines[:4]:
        if "▊" in line:
            body = line.split("▊", 1)[1].rsplit("▎", 1)[0].strip()
            if body and "▔" not in body and "▁" not in body:
                return body
    return None


class Typist:
    """Types probe characters and records when each is on screen (a frame that
    shows key k also shows every key before it)."""

    def __init__(self, term: Terminal, read, seed: int) -> None:
        self.term, self.read = term, read
        self.typed = ""
        self.text = probe_text(100000, seed)
        self.pos = 0
        self.pending: list[tuple[str, float]] = []  # (needle, sent), oldest first
        self.latencies: list[float] = []
        self.lost = 0

    def observe(self, screen: Screen, at: float) -> None:
        if not self.pending:
            return
        visible = self.read(screen)
        if visible is None:
            return
        for k in range(len(self.pending) - 1, -1, -1):
            if visible.endswith(self.pending[k][0]):
                self.latencies.extend(at - sent for _, sent in self.pending[:k + 1])
                del self.pending[:k + 1]
                return

    def window(self, seconds: float, interval: float) -> None:
        with self.term._lock:
            self.term.observers.append(self.observe)
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                if len(self.typed) >= 40:
                    self.settle()
                    self.clear()
                ch = self.text[self.pos]
                self.pos += 1
                self.typed += ch
                with self.term._lock:
                    self.pending.append((self.typed[-8:], time.monotonic()))
                    self.term.send(ch)
                time.sleep(interval)
            self.settle()
        finally:
            with self.term._lock:
                self.term.observers.remove(self.observe)
                self.lost += len(self.pending)
                self.pending.clear()
        self.clear()

    def settle(self, timeout: float = 5.0) -> None:
        end = time.monotonic() + timeout
        while self.pending and time.monotonic() < end:
            time.sleep(0.01)

    def clear(self) -> None:
        with self.term._lock:
            self.lost += len(self.pending)
            self.pending.clear()
        self.term.send(b"\x7f" * (len(self.typed) + 2))
        self.typed = ""
        self.term.wait(lambda s: self.read(s) is None or not any(
            c in (self.read(s) or "") for c in "QXZJKVW"), 10)


def shown_interaction(screen: Screen, interactions: list[dict]) -> dict:
    """The chat on screen: its customer's full name is on the customer card
    (the tab bar shortens names to fit 20 tabs)."""
    text = screen.text()
    for ix in interactions:
        if f"▏ {ix['customer_name']} " in text:
            return ix
    raise SystemExit("the chat on screen was not found:\n" + text)


class StampWatch:
    def __init__(self, load: Load) -> None:
        self.load = load
        self.seen: dict[str, float] = {}

    def observe(self, screen: Screen, at: float) -> None:
        for line in screen.lines:
            if "ZQ" in line:
                for stamp in STAMP.findall(line):
                    self.seen.setdefault(stamp, at)

    def latencies(self, since: float) -> tuple[list[float], int]:
        lat, missing = [], 0
        for stamp, sent in list(self.load.stamps.items()):
            if sent < since or sent > time.monotonic() - 2.0:
                continue
            if stamp in self.seen:
                lat.append(self.seen[stamp] - sent)
            else:
                missing += 1
        return lat, missing


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--key-interval", type=float, default=0.1)
    parser.add_argument("--profile", help="py-spy the desk into this speedscope file")
    parser.add_argument("--tree", help="run the desk from this tree (e.g. a `git archive` of an "
                        "older commit), for before/after runs on the same machine")
    args = parser.parse_args()
    compile_agentdesk()
    server, token, interactions = floor_with_chats(args.chats)
    homes = [ScratchHome(), ScratchHome()]
    desk = bare = None
    load = None
    try:
        if args.tree:
            subprocess.run([PY, "-m", "compileall", "-q", f"{args.tree}/agentdesk"], check=True)
        desk = Terminal([PY, "-m", "agentdesk", "desk", "--server", server.url],
                        env=homes[0].env(AGENTDESK_TOKEN=token), cwd=args.tree or str(ROOT))
        bare = Terminal([PY, "-c", BARE_INPUT_APP], env=homes[1].env(), cwd=str(ROOT))
        desk.wait(lambda s: "● connected" in s.lines[0] and "Reply to the customer" in s.text(), 60)
        bare.wait(lambda s: "type here" in s.text(), 30)
        # The chat on screen: its customer's full name is on the customer card
        # (which loads after the first frame).
        desk.wait(lambda s: any(f"▏ {ix['customer_name']} " in s.text() for ix in interactions), 30)
        shown = shown_interaction(desk.screen, interactions)
        row = next(i for i, line in enumerate(desk.screen.lines) if "Reply to the customer" in line)
        click(desk, 20, row + 1)
        desk.send("QX")  # the composer has the focus: checked once, unmeasured
        desk.wait(lambda s: (composer_text(s) or "").endswith("QX"), 10)
        desk.send(b"\x7f\x7f")
        desk.wait(lambda s: "Reply to the customer" in s.text(), 10)
        watch = StampWatch(load := Load(server.url, [ix["id"] for ix in interactions],
                                        args.rate, shown["id"]))
        with desk._lock:
            desk.observers.append(watch.observe)
        load.start()
        time.sleep(2.0)  # the load reaches its pace
        started = time.monotonic()
        cpu0 = {name: cpu_seconds(pid) for name, pid in
                (("desk", desk.proc.pid), ("server", server.process.pid), ("bare", bare.proc.pid))}
        own0 = time.process_time()
        if args.profile:
            spy = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "-o",
                    args.profile,
                    "-f",
                    "speedscope",
                    "-d",
                    str(int(args.rounds * args.seconds * 2)),
                    "-p",
                    str(desk.proc.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        desk_typist = Typist(desk, composer_text, seed=1)
        bare_typist = Typist(bare, input_text, seed=2)
        for r in range(args.rounds):
            desk_typist.window(args.seconds, args.key_interval)
            bare_typist.window(args.seconds, args.key_interval)
            print(f"round {r + 1}/{args.rounds}: {load.sent} messages sent", file=sys.stderr)
        elapsed = time.monotonic() - started
        cpu = {
            name: (cpu_seconds(pid) - cpu0[name]) / elapsed
            for name, pid in (("desk", desk.proc.pid), ("server", server.process.pid), ("bare", bare.proc.pid))
        }
        cpu["harness"] = (time.process_time() - own0) / elapsed
        if args.profile:
            spy.wait()
        sent_rate = load.sent / (time.monotonic() - load.t0)
        events, missing = watch.latencies(started)
        d, b = desk_typist.latencies, bare_typist.latencies
        if not d or not b:
            raise SystemExit(
                f"no keystroke echoed (desk {len(d)}, bare {len(b)}):\n"
                f"{desk.screen.text()}\n{bare.screen.text()}"
            )
        ms = 1000
        print(
            f"\nload: {args.chats} chats, {sent_rate:.0f} customer messages/s achieved "
            f"(target {args.rate:.0f}), {elapsed:.0f} s measured, late posts {load.late}"
        )
        print(
            "CPU over the measured time (1.0 = one core): "
            + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items())
        )
        print("| figure | p50 ms | p95 ms | max ms | n |")
        print("|---|---|---|---|---|")
        print(
            f"| keystroke to screen, desk composer | {pct(d, 0.5) * ms:.1f} | {pct(d, 0.95) * ms:.1f} "
            f"| {max(d) * ms:.1f} | {len(d)} (lost {desk_typist.lost}) |"
        )
        print(
            f"| keystroke to screen, bare Input app | {pct(b, 0.5) * ms:.1f} | {pct(b, 0.95) * ms:.1f} "
            f"| {max(b) * ms:.1f} | {len(b)} (lost {bare_typist.lost}) |"
        )
        print(
            f"| event to screen (chat on screen) | {pct(events, 0.5) * ms:.1f} "
            f"| {pct(events, 0.95) * ms:.1f} | {max(events, default=0) * ms:.1f} "
            f"| {len(events)} (not seen {missing}) |"
        )
        print(
            f"desk p95 - bare p95 = {(pct(d, 0.95) - pct(b, 0.95)) * ms:.1f} ms (budget <= 12 ms); "
            f"event p95 {pct(events, 0.95) * ms:.1f} ms (budget <= 50 ms); median key "
            f"{med(d) * ms:.1f} vs {med(b) * ms:.1f}"
        )
    finally:
        if load is not None:
            load.stop()
        for term in (desk, bare):
            if term is not None:
                term.close()
        server.stop()
        for h in homes:
            h.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
