"""Mock server fan-out benchmark: N agent + M supervisor websockets on loopback.

    .venv/bin/python bench/bench_server_throughput.py [--agents 200] [--supervisors 10]
        [--rates 500,1000,2000] [--seconds 5]

Method: start `agentdesk mock-server` in a subprocess (manual clock, no traffic,
no bots, so only the burst makes events), log in every agent, open one socket
per agent and M sockets for the supervisor user, then ask the server for a
paced burst (`POST /sim/burst {count, rate}`) of `customer.typing` events
spread round-robin over the agents. Each event goes to its agent and to every
supervisor socket. The client counts frames, checks that each socket's seqs are
contiguous (a gap is a lost event) and measures latency as receive time minus
the event's scheduled emission time (burst start + n / rate; the server emits
in 10 ms slices, so up to ~10 ms of that is pacing, not delivery).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import websockets
from bench_proc_common import cpu_seconds as _cpu_seconds
from bench_proc_common import pct_ms as _pct

from agentdesk.testing.mockserver import spawn_server


@dataclass
class Socket:
    name: str
    frames: int = 0
    gaps: int = 0
    last_seq: int | None = None
    closed_4008: bool = False
    latencies: list[float] = field(default_factory=list)


async def _reader(url: str, sock: Socket, state: dict, ready: asyncio.Event,
                  counter: list[int], total: int) -> None:
    async with websockets.connect(url, max_queue=None, max_size=2**22) as ws:
        counter[0] += 1
        if counter[0] == total:
            ready.set()
        try:
            async for raw in ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                seq = frame.get("seq")
                if seq is None:
                    continue
                if sock.last_seq is not None and seq != sock.last_seq + 1:
                    sock.gaps += seq - sock.last_seq - 1
                sock.last_seq = seq
                if frame["type"] != "customer.typing":
                    continue
                iid = frame["data"]["interaction_id"]
                if not iid.startswith("burst-") or state.get("t0") is None:
                    continue
                sock.frames += 1
                n = int(iid[6:]) - state["offset"]
                if n >= 0:
                    sock.latencies.append(now - (state["t0"] + n / state["rate"]))
        except websockets.ConnectionClosed as exc:
            sock.closed_4008 = bool(exc.rcvd and exc.rcvd.code == 4008)


async def run_rate(pid: int, url: str, tokens: dict[str, str], supervisors: int, rate: float,
                   seconds: float, offset: int) -> dict:
    ws_url = url.replace("http://", "ws://", 1)
    sockets: list[tuple[str, Socket]] = []
    for agent, token in tokens.items():
        if agent != "supervisor":
            sockets.append((f"{ws_url}/v1/events?token={token}", Socket(agent)))
    for i in range(supervisors):
        sockets.append((f"{ws_url}/v1/events?token={tokens['supervisor']}", Socket(f"sup{i}")))
    count = int(rate * seconds)
    state: dict = {"t0": None, "rate": rate, "offset": offset}
    ready = asyncio.Event()
    counter = [0]
    tasks = [asyncio.create_task(_reader(u, s, state, ready, counter, len(sockets)))
             for u, s in sockets]
    await asyncio.wait_for(ready.wait(), 60)
    await asyncio.sleep(0.5)
    cpu0, client0 = _cpu_seconds(pid), time.process_time()
    async with httpx.AsyncClient(base_url=url) as http:
        state["t0"] = time.perf_counter()
        r = await http.post("/sim/burst", json={"count": count, "rate": rate})
        r.raise_for_status()
    agents = [s for _, s in sockets if not s.name.startswith("sup")]
    sups = [s for _, s in sockets if s.name.startswith("sup")]
    expected = count * (1 + supervisors)
    deadline = time.perf_counter() + seconds + 30
    while time.perf_counter() < deadline:
        got = sum(s.frames for _, s in sockets)
        if got >= expected or all(t.done() for t in tasks):
            break
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - state["t0"]
    server_cpu = _cpu_seconds(pid) - cpu0
    client_cpu = time.process_time() - client0
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    lat = [x for _, s in sockets for x in s.latencies]
    delivered = sum(s.frames for _, s in sockets)
    return {
        "rate": rate, "events": count, "elapsed": elapsed,
        "server_cpu": server_cpu / elapsed * 100, "client_cpu": client_cpu / elapsed * 100, "expected_frames": expected,
        "agent_frames": sum(s.frames for s in agents), "sup_frames": sum(s.frames for s in sups),
        "delivered": delivered, "frames_per_s": delivered / elapsed,
        "events_per_s": count / elapsed if delivered >= expected else float("nan"),
        "lost": expected - delivered, "gaps": sum(s.gaps for _, s in sockets),
        "closed_4008": sum(s.closed_4008 for _, s in sockets),
        "p50_ms": _pct(lat, 0.50), "p95_ms": _pct(lat, 0.95), "p99_ms": _pct(lat, 0.99),
        "max_ms": max(lat) * 1000 if lat else float("nan"),
        "mean_ms": statistics.fmean(lat) * 1000 if lat else float("nan"),
    }


async def main_async(args: argparse.Namespace) -> int:
    server = spawn_server("--agents", str(args.agents), "--bots", "0", "--no-traffic",
                          "--manual-clock")
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            tokens = {}
            for name in [f"agent{i}" for i in range(1, args.agents + 1)] + ["supervisor"]:
                r = await http.post("/v1/login", json={"username": name, "password": "demo"})
                tokens[name] = r.json()["token"]
        rows = []
        offset = 0
        for rate in args.rates:
            # burst ids restart at burst-0 for every burst
            rows.append(await run_rate(server.process.pid, server.url, tokens, args.supervisors, rate,
                                       args.seconds, offset))
        print(f"\nmock server fan-out: {args.agents} agent sockets + {args.supervisors} "
              f"supervisor sockets, {args.seconds:.0f} s per rate\n")
        head = ("target ev/s", "events", "frames", "frames/s", "lost", "gaps", "4008",
                "p50 ms", "p95 ms", "p99 ms", "max ms", "server CPU", "client CPU")
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print(f"| {r['rate']:.0f} | {r['events']} | {r['delivered']}/{r['expected_frames']} "
                  f"| {r['frames_per_s']:.0f} | {r['lost']} | {r['gaps']} | {r['closed_4008']} "
                  f"| {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
                  f"| {r['max_ms']:.1f} | {r['server_cpu']:.0f} % | {r['client_cpu']:.0f} % |")
        return 0 if all(r["lost"] == 0 and r["gaps"] == 0 for r in rows) else 1
    finally:
        server.stop()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--agents", type=int, default=200)
    p.add_argument("--supervisors", type=int, default=10)
    p.add_argument("--rates", type=lambda s: [float(x) for x in s.split(",")],
                   default=[500.0, 1000.0, 2000.0])
    p.add_argument("--seconds", type=float, default=5.0)
    return asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
