"""Benchmark: the desk under load (DESIGN.md section 9).

An in-memory backend (no network: this measures the desk, not the server)
holds 20 active chat interactions and yields `message.created` events spread
over them at 200 events/s, for `--seconds`. In a headless desk at 120x40:

- event to screen: from the moment an event is handed to the desk's event
  worker to the end of the first screen refresh after the batch containing it
  was rendered (`call_after_refresh` after `_flush`); p50/p95/max;
- keystroke to screen, while that load runs: a key press posted to the
  focused composer until its text shows the character and the next refresh
  has run; p50/p95/max, one key every 100 ms.

Run: .venv/bin/python bench/bench_desk_load.py [--seconds 10] [--rate 200]
Results go in docs/benchmarks.md under "## Desk".
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events

from agentdesk.backends.base import Backend, LinkState, LinkStatus, StreamItem
from agentdesk.domain.models import (
    AgentInfo,
    Channel,
    Customer,
    CustomerDetail,
    Direction,
    Interaction,
    InteractionState,
    Presence,
    Role,
    RoutingState,
    Stats,
    TimelineItem,
    TimelineKind,
    TimelinePage,
    User,
)
from agentdesk.protocol.events import Event, MessageData
from tools.screenshots.still import StillDeskApp

T0 = 1772442000.0
ME = User(id="agent1", name="Agent 1", role=Role.AGENT)


class LoadBackend(Backend):
    """Just enough of a backend: snapshots from memory, events from a queue."""

    def __init__(self, interactions: int) -> None:
        super().__init__()
        self.items: asyncio.Queue[StreamItem] = asyncio.Queue()
        self.interactions = [
            Interaction(id=f"in-{n}", channel=Channel.CHAT, customer_id=f"c-{n}",
                        customer_name=f"Customer {n}", queue_id="support",
                        state=InteractionState.ACTIVE, agent_id=ME.id, created_at=T0,
                        accepted_at=T0, reply_due_at=T0 + 600)
            for n in range(interactions)
        ]
        self.sent_at: dict[str, float] = {}

    async def login(self, username: str, password: str) -> str:
        return "token"

    async def use_token(self, token: str) -> User:
        return ME

    async def me(self) -> tuple[User, AgentInfo | None]:
        return ME, AgentInfo(id=ME.id, name=ME.name, presence=Presence.AVAILABLE,
                             routing_state=RoutingState.BUSY, presence_since=T0, routing_since=T0)

    async def close(self) -> None: ...

    async def list_interactions(self, agent_id: str | None = None) -> list[Interaction]:
        return list(self.interactions)

    async def get_interaction(self, interaction_id: str) -> Interaction:
        return next(i for i in self.interactions if i.id == interaction_id)

    async def get_customer(self, customer_id: str) -> CustomerDetail:
        return CustomerDetail(customer=Customer(id=customer_id, name=customer_id))

    async def get_timeline(self, customer_id: str, *, before: str | None = None,
                           limit: int = 100) -> TimelinePage:
        return TimelinePage(items=[], has_more=False)

    async def list_queues(self) -> list[Any]:
        return []

    async def list_agents(self) -> list[Any]:
        return []

    async def get_stats(self) -> Stats:
        return Stats(at=T0)

    async def list_dispositions(self) -> list[Any]:
        return []

    async def list_canned_responses(self) -> list[Any]:
        return []

    async def list_kb_articles(self, since: float | None = None) -> list[Any]:
        return []

    async def events(self) -> AsyncIterator[StreamItem]:  # type: ignore[override]
        yield LinkStatus(LinkState.CONNECTED)
        while True:
            yield await self.items.get()

    async def set_presence(self, presence: Any, next: Any = None) -> AgentInfo: ...  # type: ignore[override]
    async def accept(self, interaction_id: str, client_id: str) -> Interaction: ...  # type: ignore[override]
    async def reject(self, interaction_id: str, client_id: str, reason: str | None = None) -> Interaction: ...  # type: ignore[override]
    async def mark_read(self, interaction_id: str) -> None: ...
    async def send_message(self, *a: Any, **k: Any) -> TimelineItem: ...  # type: ignore[override]
    async def call_action(self, *a: Any, **k: Any) -> Interaction: ...  # type: ignore[override]
    async def transfer(self, *a: Any, **k: Any) -> Interaction: ...  # type: ignore[override]
    async def wrapup(self, *a: Any, **k: Any) -> Interaction: ...  # type: ignore[override]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run(seconds: float, rate: float, interactions: int, typing: bool = True) -> dict[str, list[float]]:
    backend = LoadBackend(interactions)
    with tempfile.TemporaryDirectory() as tmp:
        app = StillDeskApp(backend, clock=lambda: T0, store_path=Path(tmp) / "desk.db",
                           notifications={k: {"toast": False, "bell": False, "desktop": False}
                                          for k in ("offer", "message", "missed", "error")})
        event_ms: list[float] = []
        key_ms: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            desk = None
            while desk is None or len(desk.views) < interactions:
                await pilot.pause(0.05)
                desk = app.desk
            await pilot.pause(0.5)
            desk.activate(desk.tab_order()[0])
            await pilot.pause(0.3)

            original_flush = desk._flush

            def timed_flush() -> None:
                pending = desk._pending
                ids = [i.id for items in pending.items.values() for i in items]
                original_flush()

                def painted() -> None:
                    now = time.perf_counter()
                    for item_id in ids:
                        sent = backend.sent_at.pop(item_id, None)
                        if sent is not None:
                            event_ms.append((now - sent) * 1000)

                desk.call_after_refresh(painted)

            desk._flush = timed_flush  # type: ignore[method-assign]

            async def produce() -> None:
                loop = asyncio.get_running_loop()
                start = loop.time()
                n = 0
                while loop.time() - start < seconds:
                    due = start + n / rate
                    await asyncio.sleep(max(0.0, due - loop.time()))
                    iid = f"in-{n % interactions}"
                    item = TimelineItem(
                        id=f"m-{n}", customer_id=f"c-{n % interactions}", interaction_id=iid,
                        channel=Channel.CHAT, kind=TimelineKind.MESSAGE, direction=Direction.INBOUND,
                        author="customer", body=f"message {n}: my wifi keeps dropping again", at=T0 + n)
                    backend.sent_at[item.id] = time.perf_counter()
                    backend.items.put_nowait(Event(seq=n + 1, type="message.created", at=T0 + n,
                                                   data=MessageData(item=item)))
                    n += 1

            async def type_keys() -> None:
                view = desk.views[desk.active_id]
                composer = view.composer
                composer.focus_body()
                await asyncio.sleep(0.5)
                end = asyncio.get_running_loop().time() + seconds - 1.0
                while asyncio.get_running_loop().time() < end:
                    before = len(composer.text)
                    start = time.perf_counter()
                    app.focused.post_message(events.Key("x", "x"))  # type: ignore[union-attr]
                    while len(composer.text) == before:
                        await asyncio.sleep(0.001)
                    done = asyncio.get_running_loop().create_future()
                    desk.call_after_refresh(lambda done=done: done.done() or done.set_result(time.perf_counter()))
                    key_ms.append((await done - start) * 1000)
                    await asyncio.sleep(0.1)

            await asyncio.gather(produce(), *([type_keys()] if typing else []))
            await pilot.pause(0.5)
    return {"event": event_ms, "key": key_ms}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--interactions", type=int, default=20)
    args = parser.parse_args()
    result = asyncio.run(run(args.seconds, args.rate, args.interactions))
    for name, values in result.items():
        if not values:
            print(f"{name}: no samples")
            continue
        print(f"{name} to screen: n={len(values)} p50={statistics.median(values):.1f} ms "
              f"p95={pct(values, 95):.1f} ms max={max(values):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
