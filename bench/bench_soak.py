"""Mock server soak: 200 agent + 10 supervisor sockets for minutes, with live
simulated traffic and /sim/burst pulses.

    .venv/bin/python bench/bench_soak.py [--minutes 3] [--agents 200] [--supervisors 10]
        [--speed 10] [--pulse-every 20] [--pulse-events 1500] [--pulse-rate 1000]

Method: start `agentdesk mock-server --agents N --bots N --speed S` in a
subprocess (real clock, automatic arrivals on every channel, every agent worked
by the simulation: offers, accepts, messages, calls, transcripts, wrap-ups,
stats), log in every agent and the supervisor, and keep one socket per agent
plus M supervisor sockets open for the whole run. Every `--pulse-every`
seconds, `POST /sim/burst` adds a paced pulse of `customer.typing` events on top.

Each socket resumes like the real client: on any close it reconnects with
`since=<last seq>` (counted as a reconnect); a seq that skips is a loss, a
`resync` frame is counted too. Every 10 s the script samples the server's RSS
and CPU time from /proc; per minute it reports frames delivered, losses,
reconnects, CPU, RSS, and the latency of pulse events (receive time minus the
event's scheduled emission time, as in bench_server_throughput.py). Loopback
only; the run is bounded (`--minutes` plus at most 60 s of draining) and stops
the server itself. Exits non-zero on any loss.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import websockets
from bench_proc_common import cpu_seconds as _cpu_seconds
from bench_proc_common import pct_ms as _pct
from bench_proc_common import rss_mb as _rss_mb

from agentdesk.testing.mockserver import spawn_server

SAMPLE_S = 10.0


@dataclass
class Minute:
    frames: int = 0
    pulse_frames: int = 0
    gaps: int = 0
    reconnects: int = 0
    drops: int = 0  # sockets closed or refused (each is followed by a reconnect attempt)
    resyncs: int = 0
    latencies: list[float] = field(default_factory=list)
    cpu: list[tuple[float, float]] = field(default_factory=list)  # (wall, cpu s)
    rss: list[float] = field(default_factory=list)  # MB


class Soak:
    def __init__(self, args: argparse.Namespace, pid: int, url: str) -> None:
        self.args = args
        self.pid = pid
        self.url = url
        self.ws_url = url.replace("http://", "ws://", 1)
        self.t_start = time.perf_counter()
        self.minutes = [Minute() for _ in range(int(args.minutes) + 2)]
        self.pulse: dict | None = None  # {t0, rate}
        self.stop = asyncio.Event()
        self.last_seq: dict[str, int] = {}
        self.total_frames = 0
        self.pulse_sent = 0

    def minute(self) -> Minute:
        idx = int((time.perf_counter() - self.t_start) // 60)
        return self.minutes[min(idx, len(self.minutes) - 1)]

    async def socket(self, name: str, token: str) -> None:
        """One socket for the whole run, resuming from its last seq after any drop
        (like the real client); cancelled when the soak ends."""
        connected_before = False
        while not self.stop.is_set():
            since = self.last_seq.get(name)
            query = f"token={token}" + (f"&since={since}" if since is not None else "")
            try:
                async with websockets.connect(f"{self.ws_url}/v1/events?{query}",
                                              max_queue=None, max_size=2**22,
                                              open_timeout=20) as ws:
                    if connected_before:
                        self.minute().reconnects += 1
                    connected_before = True
                    await self._read(name, ws)
            except (TimeoutError, OSError, websockets.WebSocketException):
                pass
            if not self.stop.is_set():
                self.minute().drops += 1
                await asyncio.sleep(0.5)

    async def _read(self, name: str, ws) -> None:  # type: ignore[no-untyped-def]
        """Count, check and time every frame; cancelled when the soak ends."""
        last = self.last_seq.get(name)
        async for raw in ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            seq = frame.get("seq")
            if seq is None:
                continue  # hello, heartbeat
            m = self.minute()
            if frame.get("type") == "resync":
                m.resyncs += 1
            elif last is not None and seq > last + 1:
                m.gaps += seq - last - 1
            if last is not None and seq <= last:
                continue  # a replayed duplicate (none expected)
            self.last_seq[name] = last = seq
            m.frames += 1
            self.total_frames += 1
            if frame.get("type") == "customer.typing" and self.pulse is not None:
                iid = frame["data"].get("interaction_id", "")
                if iid.startswith("burst-"):
                    m.pulse_frames += 1
                    n = int(iid[6:])
                    m.latencies.append(now - (self.pulse["t0"] + n / self.pulse["rate"]))

    async def pulses(self) -> None:
        args = self.args
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as http:
            while not self.stop.is_set():
                try:
                    await asyncio.wait_for(self.stop.wait(), args.pulse_every)
                    return
                except TimeoutError:
                    pass
                self.pulse = {"t0": time.perf_counter(), "rate": args.pulse_rate}
                r = await http.post("/sim/burst", json={"count": args.pulse_events,
                                                        "rate": args.pulse_rate})
                r.raise_for_status()
                self.pulse_sent += args.pulse_events

    async def sampler(self) -> None:
        while not self.stop.is_set():
            m = self.minute()
            m.cpu.append((time.perf_counter(), _cpu_seconds(self.pid)))
            m.rss.append(_rss_mb(self.pid))
            try:
                await asyncio.wait_for(self.stop.wait(), SAMPLE_S)
            except TimeoutError:
                pass


async def main_async(args: argparse.Namespace) -> int:
    agents = args.agents
    server = spawn_server("--agents", str(agents), "--bots", str(agents),
                          "--speed", str(args.speed), "--seed", str(args.seed))
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            tokens = {}
            for name in [f"agent{i}" for i in range(1, agents + 1)] + ["supervisor"]:
                r = await http.post("/v1/login", json={"username": name, "password": "demo"})
                r.raise_for_status()
                tokens[name] = r.json()["token"]
        soak = Soak(args, server.process.pid, server.url)
        names = [(f"agent{i}", tokens[f"agent{i}"]) for i in range(1, agents + 1)]
        names += [(f"sup{i}", tokens["supervisor"]) for i in range(args.supervisors)]
        cpu_client0 = time.process_time()
        tasks = [asyncio.create_task(soak.socket(n, t)) for n, t in names]
        tasks += [asyncio.create_task(soak.pulses()), asyncio.create_task(soak.sampler())]
        await asyncio.sleep(args.minutes * 60)
        soak.stop.set()
        others = tasks[len(names):]  # the pulses and the sampler, not the sockets
        await asyncio.wait(others, timeout=60)  # a pulse in progress finishes its POST
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        elapsed = time.perf_counter() - soak.t_start
        client_cpu = (time.process_time() - cpu_client0) / elapsed * 100
        end_sample = (time.perf_counter(), _cpu_seconds(server.process.pid))
        end_rss = _rss_mb(server.process.pid)
    finally:
        server.stop()

    print(f"\nmock server soak: {agents} agent sockets + {args.supervisors} supervisor "
          f"sockets, {args.minutes:g} min, --bots {agents} --speed {args.speed:g}, "
          f"pulses of {args.pulse_events} events at {args.pulse_rate:g}/s every "
          f"{args.pulse_every:g} s\n")
    head = ("minute", "frames", "frames/s", "pulse frames", "seq gaps", "resyncs",
            "drops/reconnects", "pulse p50 ms", "pulse p95 ms", "server CPU", "server RSS MB")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    rows = soak.minutes[:max(1, math.ceil(args.minutes))]  # the drain is not a minute
    samples = [s for m in soak.minutes for s in m.cpu] + [end_sample]
    for i, m in enumerate(rows):
        nxt = next((s for mm in rows[i + 1:] for s in mm.cpu), samples[-1])
        cpu = (nxt[1] - m.cpu[0][1]) / (nxt[0] - m.cpu[0][0]) * 100 if m.cpu else float("nan")
        span = min(60.0, elapsed - 60 * i)
        rss = f"{min(m.rss):.0f}-{max(m.rss):.0f}" if m.rss else "-"
        print(f"| {i + 1} | {m.frames:,} | {m.frames / max(span, 1e-9):,.0f} | "
              f"{m.pulse_frames:,} | {m.gaps} | {m.resyncs} | {m.drops}/{m.reconnects} | "
              f"{_pct(m.latencies, 0.5):.1f} | {_pct(m.latencies, 0.95):.1f} | "
              f"{cpu:.0f} % | {rss} |")
    gaps = sum(m.gaps for m in soak.minutes)
    resyncs = sum(m.resyncs for m in soak.minutes)
    expected_pulse = soak.pulse_sent * (1 + args.supervisors)
    got_pulse = sum(m.pulse_frames for m in soak.minutes)
    print(f"\ntotal frames {soak.total_frames:,} in {elapsed:.0f} s; pulse frames "
          f"{got_pulse:,} / {expected_pulse:,}; seq gaps {gaps}; resyncs {resyncs}; "
          f"drops {sum(m.drops for m in soak.minutes)}, "
          f"reconnects {sum(m.reconnects for m in soak.minutes)}; client CPU {client_cpu:.0f} %; "
          f"server RSS at end {end_rss:.0f} MB")
    return 0 if gaps == 0 and resyncs == 0 and got_pulse == expected_pulse else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=3.0)
    p.add_argument("--agents", type=int, default=200)
    p.add_argument("--supervisors", type=int, default=10)
    p.add_argument("--speed", type=float, default=10.0, help="simulation clock factor")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--pulse-every", type=float, default=20.0, help="seconds between pulses")
    p.add_argument("--pulse-events", type=int, default=1500)
    p.add_argument("--pulse-rate", type=float, default=1000.0, help="events/s within a pulse")
    args = p.parse_args()
    if not 0 < args.minutes <= 60:
        p.error("--minutes must be in (0, 60]")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
