"""Benchmark: the supervisor monitor following a busy floor of 200 agents and 20 queues.

The mock server runs in a subprocess (its CPU is not counted) with a generated
scenario of 20 queues, 200 agents all worked by bots, and arrival rates that
keep the floor busy. The monitor (`MonitorApp`, the real client: NativeBackend
over HTTP + WebSocket) runs headless in this process (160x50 by default).

Two floors (`--queues`):
- `mixed` (default): 10 multi-channel queues (2-4 channels each, 28 channel
  rows on the queues board) and 10 single-channel queues. The simulation routes
  a new contact by (topic skill, channel), and there are only 4 topic skills, so
  it cannot spread contacts over 38 (queue, channel) pairs by itself: its own
  arrivals are off and a feeder subprocess (not counted either) posts every
  contact with `POST /sim/contacts {channel, queue_id}`, Poisson, each channel's
  rate (the same per-channel rates as `single`) split evenly over the queues
  that serve it. So every channel row has contacts.
- `single`: the earlier floor, 20 single-channel queues (4 topic skills x 5
  channels, so the simulation's own routing spreads contacts over all of them).

Measured over a window after a warm-up:
- events/s the monitor received (agent.updated, stats.updated, interaction.*,
  message.created, transcript.segment, call.updated ...);
- CPU seconds used by this (client) process per second of wall time;
- event-to-screen latency: each event is stamped when the client's event loop
  receives it; after the flush that applied it has been painted (the
  compositor's refresh, `call_after_refresh`) the latency is taken; p50/p95/p99;
- DataTable cells updated per second (only changed cells are updated);
- flushes per second (the coalescing timer, default every 250 ms).

Run: .venv/bin/python bench/bench_monitor.py [--queues mixed|single] [--size 160x50]
    [--seconds 30] [--warmup 8] [--flush-ms 250] [--speed 1]
At 160x50 the fully expanded mixed board (20 + 28 rows) does not fit the board's
45 % of the screen, so only the queue under the cursor is expanded (the product's
compact mode); `--size 160x120` shows every channel row.
Results go in docs/benchmarks.md under "## Monitor".
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agentdesk.backends.native import NativeBackend
from agentdesk.domain.floor import Floor
from agentdesk.testing.mockserver import spawn_server
from agentdesk.ui.monitor.agent_board import AgentBoard
from agentdesk.ui.monitor.monitor_app import MonitorApp
from agentdesk.ui.monitor.queue_board import QueueBoard

SKILLS = ("tech", "billing", "sales", "account")
CHANNELS = ("chat", "email", "sms", "social", "voice")


RATES_PER_H = {"chat": 5000.0, "email": 900.0, "sms": 1200.0, "social": 900.0, "voice": 2600.0}

# The mixed floor: queue j has topic skill SKILLS[j % 4]; multi-channel and
# single-channel queues alternate, so the first queue (the cursor's, expanded in
# compact mode) serves four channels.
MULTI = (("chat", "sms", "social", "voice"), ("chat", "voice"), ("email", "chat", "sms"),
         ("chat", "sms", "social"), ("voice", "chat"), ("chat", "sms", "social", "voice"),
         ("sms", "social"), ("email", "social", "chat"), ("chat", "voice", "sms"),
         ("email", "chat"))
SINGLE = ("voice", "email", "chat", "voice", "email", "chat", "sms", "voice", "social", "email")


def _threshold(channels: tuple[str, ...]) -> int:
    if "voice" in channels or "chat" in channels:
        return 20
    return 600 if ("sms" in channels or "social" in channels) else 14400


def floor_queues(kind: str) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(id, name, channels, skill) of the 20 queues of a floor."""
    if kind == "single":
        return [(f"{skill}-{ch}", f"{skill.title()} {ch}", (ch,), skill)
                for skill in SKILLS for ch in CHANNELS]
    out = []
    for j in range(20):
        channels = MULTI[j // 2] if j % 2 == 0 else (SINGLE[j // 2],)
        skill = SKILLS[j % len(SKILLS)]
        label = "+".join(c[:2] for c in channels) if len(channels) > 1 else channels[0]
        short = {"billing": "Bill", "account": "Acct"}.get(skill, skill.title())
        out.append((f"q{j + 1:02d}", f"{short} {j + 1} {label}", channels, skill))
    return out


def scenario_toml(rate_factor: float, kind: str = "single") -> str:
    """20 queues and arrivals for 200 agents; `mixed` leaves arrivals to the feeder."""
    lines = ["[arrivals]"]
    lines += [f"{ch} = {0.0 if kind == 'mixed' else rate * rate_factor:.1f}"
              for ch, rate in RATES_PER_H.items()]
    lines += ["", "[stats]", "every_s = 1.0", "",
              "[bots]", "accept_delay_s = [1.0, 5.0]", "reply_delay_s = [4.0, 15.0]",
              "wrapup_delay_s = [5.0, 20.0]", "break_every_s = [600.0, 1200.0]",
              "break_length_s = [60.0, 180.0]", ""]
    for qid, name, channels, skill in floor_queues(kind):
        listed = ", ".join(f'"{c}"' for c in channels)
        lines += ["[[queues]]", f'id = "{qid}"', f'name = "{name}"', f"channels = [{listed}]",
                  f'skills = ["{skill}"]', f"sl_threshold_s = {_threshold(channels)}",
                  "sl_target_pct = 80.0", ""]
    return "\n".join(lines)


def feeder_plan(rate_factor: float, speed: float) -> list[tuple[str, str, float]]:
    """(queue id, channel, contacts per wall second) for the mixed floor: each
    channel's rate split evenly over the queues serving it."""
    queues = floor_queues("mixed")
    plan = []
    for ch, per_h in RATES_PER_H.items():
        serving = [qid for qid, _, channels, _ in queues if ch in channels]
        plan += [(qid, ch, per_h * rate_factor * speed / 3600 / len(serving)) for qid in serving]
    return plan


def run_feeder(url: str, plan: list[tuple[str, str, float]], seed: int) -> None:
    """Poisson arrivals over the plan's streams, until the server goes away."""
    import httpx

    rng = random.Random(seed)
    weights = [rate for _, _, rate in plan]
    total = sum(weights)
    with httpx.Client(base_url=url, timeout=10) as http:
        due = time.monotonic()
        while True:
            due += rng.expovariate(total)
            time.sleep(max(0.0, due - time.monotonic()))
            qid, ch, _ = rng.choices(plan, weights)[0]
            try:
                r = http.post("/sim/contacts", json={"channel": ch, "queue_id": qid})
            except httpx.HTTPError:
                return
            if r.status_code != 201:
                print(f"feeder: {r.status_code} {r.text[:200]}", file=sys.stderr)


class StampedFloor(Floor):
    """The floor, stamping when each event was applied (perf_counter)."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: list[float] = []

    def apply(self, event: Any) -> None:
        super().apply(event)
        self.stamps.append(time.perf_counter())


class StampedMonitor(MonitorApp):
    """The monitor with the bench's latency probe around it, not inside it: the
    stamps of the events a drawing flush took in go to `on_rendered` once that
    frame has been drawn (event -> pixels)."""

    def __init__(self, *args: Any, on_rendered: Callable[[list[float]], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.floor = StampedFloor()
        self.on_rendered = on_rendered

    def flush(self) -> None:
        taken = len(self.floor.stamps)
        flushes = self.flushes
        super().flush()
        if self.flushes > flushes and taken:  # drawn: these events are on screen
            stamps = self.floor.stamps[:taken]
            del self.floor.stamps[:taken]
            self.call_after_refresh(lambda: self.on_rendered(stamps))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def measure(url: str, seconds: float, warmup: float, flush_s: float,
                  size: tuple[int, int] = (160, 50)) -> dict[str, float]:
    backend = NativeBackend(url)
    await backend.login("supervisor", "demo")
    latencies: list[float] = []
    recording = False

    def rendered(stamps: list[float]) -> None:
        if recording:
            now = time.perf_counter()
            latencies.extend(now - s for s in stamps)

    app = StampedMonitor(backend, clock=backend.server_now, flush_s=flush_s, on_rendered=rendered)
    async with app.run_test(size=size) as pilot:
        for _ in range(400):
            if app.loaded and app.link_state == "connected":
                break
            await pilot.pause(0.05)
        await asyncio.sleep(warmup)
        screen = app.wallboard
        queues, agents = screen.query_one(QueueBoard), screen.query_one(AgentBoard)
        events0, flushes0 = app.floor.events_applied, app.flushes
        cells0 = queues.cell_updates + agents.cell_updates
        qcells0, rebuilds0 = queues.cell_updates, queues.rebuilds
        cpu0, wall0 = time.process_time(), time.perf_counter()
        recording = True
        await asyncio.sleep(seconds)
        recording = False
        cpu1, wall1 = time.process_time(), time.perf_counter()
        wall = wall1 - wall0
        result = {
            "agents": len(app.floor.agents),
            "queues": len(app.floor.queues),
            "events_per_s": (app.floor.events_applied - events0) / wall,
            "cpu_per_wall_s": (cpu1 - cpu0) / wall,
            "flushes_per_s": (app.flushes - flushes0) / wall,
            "cells_per_s": (queues.cell_updates + agents.cell_updates - cells0) / wall,
            "queue_cells_per_s": (queues.cell_updates - qcells0) / wall,
            "queue_rebuilds": queues.rebuilds - rebuilds0,
            "channel_rows": sum(len(queues.channels_of(q)) for q in app.floor.queues),
            "board_rows": queues.row_count,
            "samples": len(latencies),
            "p50_ms": pct(latencies, 50) * 1000,
            "p95_ms": pct(latencies, 95) * 1000,
            "p99_ms": pct(latencies, 99) * 1000,
            "max_ms": max(latencies, default=float("nan")) * 1000,
            "mean_ms": (statistics.fmean(latencies) * 1000) if latencies else float("nan"),
            "open_interactions": len(app.floor.interactions),
            "waiting": app.floor.totals().waiting,
        }
    await backend.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queues", choices=("mixed", "single"), default="mixed",
                        help="mixed: 10 multi-channel + 10 single-channel queues; "
                             "single: 20 single-channel queues (the earlier floor)")
    parser.add_argument("--size", default="160x50", help="terminal WIDTHxHEIGHT")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--flush-ms", type=float, default=250.0)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--rate-factor", type=float, default=1.0)
    parser.add_argument("--feed", help=argparse.SUPPRESS)  # internal: the feeder subprocess
    args = parser.parse_args()
    if args.feed:
        run_feeder(args.feed, feeder_plan(args.rate_factor, args.speed), seed=3)
        return 0
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="bench-monitor-") as tmp:
        scenario = Path(tmp) / "floor.toml"
        scenario.write_text(scenario_toml(args.rate_factor, args.queues), encoding="utf-8")
        server = spawn_server("--agents", str(args.agents), "--bots", str(args.agents),
                              "--scenario", str(scenario), "--seed", "3",
                              "--speed", str(args.speed))
        feeder = None
        try:
            if args.queues == "mixed":
                feeder = subprocess.Popen(
                    [sys.executable, __file__, "--feed", server.url, "--speed", str(args.speed),
                     "--rate-factor", str(args.rate_factor)])
            result = asyncio.run(measure(server.url, args.seconds, args.warmup,
                                         args.flush_ms / 1000, (width, height)))
        finally:
            if feeder is not None:
                feeder.terminate()
                feeder.wait(10)
            server.stop()
    print(f"monitor bench: {result['agents']} agents, {result['queues']} queues "
          f"({args.queues}), {width}x{height}, flush every {args.flush_ms:.0f} ms, "
          f"{args.seconds:.0f} s window")
    for key, value in result.items():
        print(f"  {key:>18}: {value:,.2f}" if isinstance(value, float) else
              f"  {key:>18}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
