"""Benchmark: the supervisor monitor following a busy floor of 200 agents and 20 queues.

The mock server runs in a subprocess (its CPU is not counted) with a generated
scenario of 20 queues (4 topic skills x 5 channels, so routing spreads contacts
over all of them), 200 agents all worked by bots, and arrival rates that keep
the floor busy. The monitor (`MonitorApp`, the real client: NativeBackend over
HTTP + WebSocket) runs headless in this process at 160x50.

Measured over a window after a warm-up:
- events/s the monitor received (agent.updated, stats.updated, interaction.*,
  message.created, transcript.segment, call.updated ...);
- CPU seconds used by this (client) process per second of wall time;
- event-to-screen latency: each event is stamped when the client's event loop
  receives it; after the flush that applied it has been painted (the
  compositor's refresh, `call_after_refresh`) the latency is taken; p50/p95/p99;
- DataTable cells updated per second (only changed cells are updated);
- flushes per second (the coalescing timer, default every 250 ms).

Run: .venv/bin/python bench/bench_monitor.py [--seconds 30] [--warmup 8] [--flush-ms 250]
Results go in docs/benchmarks.md under "## Monitor".
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agentdesk.backends.native import NativeBackend  # noqa: E402
from agentdesk.mockserver.testing import spawn_server  # noqa: E402
from agentdesk.ui.monitor.agent_board import AgentBoard  # noqa: E402
from agentdesk.ui.monitor.monitor_app import MonitorApp  # noqa: E402
from agentdesk.ui.monitor.queue_board import QueueBoard  # noqa: E402

SKILLS = ("tech", "billing", "sales", "account")
CHANNELS = ("chat", "email", "sms", "social", "voice")


def scenario_toml(rate_factor: float) -> str:
    """20 queues (one per skill and channel) and arrivals for 200 agents."""
    rates = {"chat": 5000.0, "email": 900.0, "sms": 1200.0, "social": 900.0, "voice": 2600.0}
    lines = ["[arrivals]"]
    lines += [f"{ch} = {rate * rate_factor:.1f}" for ch, rate in rates.items()]
    lines += ["", "[stats]", "every_s = 1.0", "",
              "[bots]", "accept_delay_s = [1.0, 5.0]", "reply_delay_s = [4.0, 15.0]",
              "wrapup_delay_s = [5.0, 20.0]", "break_every_s = [600.0, 1200.0]",
              "break_length_s = [60.0, 180.0]", ""]
    for skill in SKILLS:
        for ch in CHANNELS:
            threshold = 14400 if ch == "email" else 600 if ch in ("sms", "social") else 20
            lines += ["[[queues]]", f'id = "{skill}-{ch}"',
                      f'name = "{skill.title()} {ch}"', f'channels = ["{ch}"]',
                      f'skills = ["{skill}"]', f"sl_threshold_s = {threshold}",
                      "sl_target_pct = 80.0", ""]
    return "\n".join(lines)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def measure(url: str, seconds: float, warmup: float, flush_s: float) -> dict[str, float]:
    backend = NativeBackend(url)
    await backend.login("supervisor", "demo")
    app = MonitorApp(backend, clock=backend.server_now, flush_s=flush_s)
    latencies: list[float] = []
    recording = False

    def rendered(stamps: list[float]) -> None:
        if recording:
            now = time.perf_counter()
            latencies.extend(now - s for s in stamps)

    app.stamp_events = True
    app.on_rendered = rendered
    async with app.run_test(size=(160, 50)) as pilot:
        for _ in range(400):
            if app.loaded and app.link_state == "connected":
                break
            await pilot.pause(0.05)
        await asyncio.sleep(warmup)
        screen = app.wallboard
        queues, agents = screen.query_one(QueueBoard), screen.query_one(AgentBoard)
        events0, flushes0 = app.floor.events_applied, app.flushes
        cells0 = queues.cell_updates + agents.cell_updates
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
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--flush-ms", type=float, default=250.0)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--rate-factor", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-monitor-") as tmp:
        scenario = Path(tmp) / "floor.toml"
        scenario.write_text(scenario_toml(args.rate_factor), encoding="utf-8")
        server = spawn_server("--agents", str(args.agents), "--bots", str(args.agents),
                              "--scenario", str(scenario), "--seed", "3",
                              "--speed", str(args.speed))
        try:
            result = asyncio.run(measure(server.url, args.seconds, args.warmup,
                                         args.flush_ms / 1000))
        finally:
            server.stop()
    print(f"monitor bench: {result['agents']} agents, {result['queues']} queues, "
          f"flush every {args.flush_ms:.0f} ms, {args.seconds:.0f} s window")
    for key, value in result.items():
        print(f"  {key:>18}: {value:,.2f}" if isinstance(value, float) else
              f"  {key:>18}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
