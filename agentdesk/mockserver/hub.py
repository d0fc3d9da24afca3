"""The event hub: per-recipient sequence numbers, replay buffers and live sockets.

Each recipient (a user: agentN or supervisor) has its own strictly increasing
`seq` and a bounded replay buffer of its latest frames. Events are published
in two steps so persistence can come in between: `publish()` numbers and
buffers them, `release()` hands them to the live sockets. A socket that cannot
keep up (its bounded queue overflows) is closed with code 4008; the client
resumes with `since` and gets the replay.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from agentdesk.mockserver.sim.engine import Emitted

REPLAY_LIMIT = 5000
SOCKET_QUEUE_LIMIT = 20000
CLOSE_SLOW_CONSUMER = 4008
AGENT_STATS_MIN_INTERVAL_S = 1.0  # wall seconds between stats.updated frames to an agent


def frame(seq: int, kind: str, at: float, data_json: str) -> str:
    """Same text as `protocol.events.encode_event`, built without re-encoding data."""
    return f'{{"seq":{seq},"type":{json.dumps(kind)},"at":{json.dumps(at)},"data":{data_json}}}'


@dataclass(slots=True)
class Entry:
    seq: int
    kind: str
    at: float
    data_json: str

    def text(self) -> str:
        return frame(self.seq, self.kind, self.at, self.data_json)


@dataclass(eq=False)
class Subscriber:
    """One live socket: frames wait in a bounded queue for the socket's sender task."""

    user_id: str
    limit: int = SOCKET_QUEUE_LIMIT
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    overflowed: bool = False

    def push(self, text: str) -> None:
        if self.overflowed:
            return
        if self.queue.qsize() >= self.limit:
            self.overflowed = True
            self.queue.put_nowait(None)  # wakes the sender, which closes with 4008
            return
        self.queue.put_nowait(text)


@dataclass(slots=True)
class Recipient:
    user_id: str
    supervisor: bool
    last_seq: int = 0
    buffer: deque[Entry] = field(default_factory=lambda: deque(maxlen=REPLAY_LIMIT))
    last_stats_wall: float = 0.0


class EventHub:
    def __init__(self, replay_limit: int = REPLAY_LIMIT, track_new: bool = False,
                 socket_queue_limit: int = SOCKET_QUEUE_LIMIT) -> None:
        self.replay_limit = replay_limit
        self.socket_queue_limit = socket_queue_limit
        self.track_new = track_new
        self.recipients: dict[str, Recipient] = {}
        self.subscribers: dict[str, set[Subscriber]] = {}
        self._pending: list[tuple[str, Entry]] = []
        self.new_entries: list[tuple[str, Entry]] = []  # for persistence, drained by the store
        self.dirty_recipients: set[str] = set()  # last_seq changed since the last flush

    def add_recipient(self, user_id: str, supervisor: bool) -> Recipient:
        rec = self.recipients.get(user_id)
        if rec is None:
            rec = Recipient(user_id, supervisor, buffer=deque(maxlen=self.replay_limit))
            self.recipients[user_id] = rec
        return rec

    # -- publishing -----------------------------------------------------------------

    def _targets(self, ev: Emitted) -> Iterable[Recipient]:
        if ev.everyone:
            return self.recipients.values()
        targets = [r for r in self.recipients.values() if r.supervisor]
        for agent_id in ev.agents:
            rec = self.recipients.get(agent_id)
            if rec is not None and not rec.supervisor:
                targets.append(rec)
        return targets

    def publish(self, events: Iterable[Emitted]) -> int:
        """Number and buffer events; they reach sockets on `release()`."""
        wall = time.monotonic()
        count = 0
        for ev in events:
            for rec in self._targets(ev):
                if ev.kind == "stats.updated" and not rec.supervisor:
                    if wall - rec.last_stats_wall < AGENT_STATS_MIN_INTERVAL_S:
                        continue
                    rec.last_stats_wall = wall
                rec.last_seq += 1
                if self.track_new:
                    self.dirty_recipients.add(rec.user_id)
                entry = Entry(rec.last_seq, ev.kind, ev.at, ev.data_json)
                rec.buffer.append(entry)
                self._pending.append((rec.user_id, entry))
                count += 1
        if self.track_new and count:
            self.new_entries.extend(self._pending[len(self._pending) - count:])
        return count

    def release(self) -> None:
        pending, self._pending = self._pending, []
        for user_id, entry in pending:
            subs = self.subscribers.get(user_id)
            if subs:
                text = entry.text()
                for sub in subs:
                    sub.push(text)

    # -- sockets -----------------------------------------------------------------------

    def subscribe(self, user_id: str, since: int | None, at: float) -> Subscriber:
        """Register a socket; queue the replay after `since` (or a resync) first."""
        rec = self.recipients[user_id]
        # The replay never counts as "slow": the live allowance comes on top of it.
        sub = Subscriber(user_id, self.socket_queue_limit + len(rec.buffer) + 1)
        if since is not None:
            oldest = rec.buffer[0].seq if rec.buffer else rec.last_seq + 1
            if since > rec.last_seq or since < oldest - 1:
                # We cannot prove the client has everything up to `since`: resync.
                # The resync seq is above `since` too, so the client never sees it go back.
                rec.last_seq = max(rec.last_seq, since) + 1
                if self.track_new:
                    self.dirty_recipients.add(rec.user_id)
                sub.push(frame(rec.last_seq, "resync", at, "{}"))
            else:
                # Everything, stale stats snapshots included: clients rely on a
                # contiguous stream and treat any gap as lost events.
                for entry in rec.buffer:
                    if entry.seq > since:
                        sub.push(entry.text())
        self.subscribers.setdefault(user_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        subs = self.subscribers.get(sub.user_id)
        if subs:
            subs.discard(sub)

    def broadcast_control(self, text: str) -> None:
        for subs in self.subscribers.values():
            for sub in subs:
                sub.push(text)

    def socket_count(self) -> int:
        return sum(len(s) for s in self.subscribers.values())
