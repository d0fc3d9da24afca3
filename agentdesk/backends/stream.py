"""The live event stream of the native backend (`WS /v1/events`).

One `EventStream` follows one user's events forever: it connects, decodes
and checks every frame, keeps heartbeats going, notices a dead link, and
reconnects with backoff, resuming from the last seq it handed out. Nothing
the server sends can make it raise: bad frames become `ProtocolProblem`s,
counted in `Diagnostics` and logged.

This is where agentdesk/1 ends: `seq`, replay, duplicates and gaps are
handled here, and each frame leaves as a domain event (`to_desk_event`);
a `resync` frame or a gap becomes `SnapshotNeeded`, a heartbeat `ServerTime`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.frames import CloseCode

from agentdesk.backends.base import (
    Diagnostics,
    LinkState,
    LinkStatus,
    ProtocolProblem,
    StreamItem,
)
from agentdesk.domain.backoff import Backoff
from agentdesk.domain.events import (
    AgentChanged,
    CallbackChanged,
    CallChanged,
    CustomerTyping,
    DeskEvent,
    InteractionChange,
    InteractionChanged,
    ItemAdded,
    KbChanged,
    ServerTime,
    SnapshotNeeded,
    StatsChanged,
)
from agentdesk.protocol.events import (
    MAX_FRAME_BYTES,
    ControlFrame,
    Event,
    ProtocolError,
    decode_frame,
)

log = logging.getLogger("agentdesk.backend")
# The websockets library logs the request line and headers at DEBUG, and both hold
# the token: give it a logger of its own that never goes below WARNING.
_ws_log = logging.getLogger("agentdesk.backend.websocket")
_ws_log.setLevel(logging.WARNING)

SLOW_CONSUMER = 4008  # the server dropped us for reading too slowly: resume at once
AUTH_CLOSE_CODES = frozenset({4001, 4003, 4401, 4403})  # token refused: sign in again


@dataclass(frozen=True, slots=True)
class StreamPolicy:
    """Timings of the stream; tests shrink them."""

    ping_interval: float = 10.0  # send {"type":"ping"} this often
    dead_after: float = 30.0  # no frame at all for this long: the link is dead
    backoff_base: float = 0.5
    backoff_cap: float = 10.0
    open_timeout: float = 10.0
    close_timeout: float = 1.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter, so a restarted server is not stampeded."""
        return Backoff(self.backoff_base, self.backoff_cap).delay(attempt)


class _LinkLost(Exception):
    def __init__(self, detail: str, *, resume_now: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.resume_now = resume_now


class EventStream:
    """Reconnecting, resuming reader of one user's event stream."""

    def __init__(
        self,
        base_url: str,
        token: Callable[[], str | None],
        diagnostics: Diagnostics,
        policy: StreamPolicy | None = None,
    ) -> None:
        self._ws_base = _ws_url(base_url)
        self._token = token
        self.diagnostics = diagnostics
        self.policy = policy or StreamPolicy()
        self.last_seq = 0
        # server clock minus local clock, learnt from frames' `at`; None until known.
        self.server_time_offset: float | None = None
        self._gap_ok = True  # the first frame after (re)subscribing from zero or a resync
        self._closing = asyncio.Event()
        self._ws: ClientConnection | None = None
        self.auth_failed = False  # the server refused our token on the socket
        self._resume_now = False  # set by reconnect(): skip the backoff once
        self._skip_replay = False  # rejoin live (no since) and ask for a reload
        self._wakeup = asyncio.Event()  # interrupts a backoff pause (close, kick, takeover)
        self._generation = 0  # the latest run() owns the stream; older ones end

    # -- public -------------------------------------------------------------------

    def server_now(self) -> float:
        return time.time() + (self.server_time_offset or 0.0)

    async def close(self) -> None:
        """End `run()` promptly, wherever it is waiting."""
        self._closing.set()
        self._wakeup.set()
        ws = self._ws
        if ws is not None:
            await ws.close()

    async def reconnect(self) -> None:
        """Drop the current connection; `run()` resumes from the last seq at once."""
        ws = self._ws
        if ws is not None:
            self._resume_now = True
            await _close_quietly(ws)

    def kick(self) -> None:
        """Stop waiting out a backoff: try to connect now (e.g. after a new sign-in)."""
        self._wakeup.set()

    @property
    def closed(self) -> bool:
        return self._closing.is_set()

    async def run(self) -> AsyncIterator[StreamItem]:
        """Yield stream items until `close()`; never raises for server behaviour.

        One consumer at a time: a new `run()` takes the stream over and the older
        iterator ends (a restarted UI worker must not split the events with a
        forgotten one).
        """
        self._generation += 1
        generation = self._generation
        if self._ws is not None:
            await _close_quietly(self._ws)
        # Wake an older run() out of its backoff pause so it sees the takeover
        # and ends. Set-and-clear: a flag left set would also cut this run's
        # own first pause short (an immediate retry after a refusal).
        self._wakeup.set()
        self._wakeup.clear()

        def stopped() -> bool:
            return self._closing.is_set() or generation != self._generation

        attempt = 0  # consecutive failed attempts
        ever_connected = False
        yield LinkStatus(LinkState.CONNECTING, "", 0)
        while not stopped():
            try:
                ws = await self._connect(stopped)
            except _LinkLost as failed:
                attempt += 1
                delay = self.policy.backoff(attempt)
                log.info("event stream: connect failed (%s); attempt %d", failed.detail, attempt)
                yield LinkStatus(LinkState.RECONNECTING, failed.detail, attempt)
                await self._pause(delay, stopped)
                continue
            if ws is None:  # closed while connecting
                break
            if ever_connected:
                self.diagnostics.reconnects += 1
            ever_connected = True
            self.auth_failed = False
            yield LinkStatus(LinkState.CONNECTED, "", 0)
            if self._skip_replay:
                self._skip_replay = False
                self.diagnostics.resyncs += 1
                yield SnapshotNeeded(self.server_now())  # what we skipped is only in the snapshots now
            connected_at = time.monotonic()
            try:
                async for item in self._pump(ws):
                    attempt = 0  # a working link resets the backoff
                    yield item
                lost = _LinkLost("closed")
            except _LinkLost as exc:
                lost = exc
                if self._resume_now:
                    self._resume_now = False
                    lost = _LinkLost("reconnect requested", resume_now=True)
            finally:
                if self._ws is ws:
                    self._ws = None
                await _close_quietly(ws)
            if stopped():
                break
            log.info("event stream lost (%s); resuming after seq %d", lost.detail, self.last_seq)
            # The first retry after a working link goes out almost at once (a short
            # jitter only); repeated failures back off exponentially.
            if time.monotonic() - connected_at >= self.policy.ping_interval:
                attempt = 0  # the link worked for a while (maybe heartbeats only)
            attempt = 1 if lost.resume_now else attempt + 1
            delay = self.policy.backoff(1) / 4 if attempt == 1 else self.policy.backoff(attempt)
            yield LinkStatus(LinkState.RECONNECTING, lost.detail, attempt)
            await self._pause(delay, stopped)
        yield LinkStatus(LinkState.CLOSED, "closed", 0)

    # -- connection ---------------------------------------------------------------

    def _url(self) -> str:
        query: dict[str, str] = {}
        if self.last_seq and not self._skip_replay:
            query["since"] = str(self.last_seq)
        token = self._token()
        if token:
            query["token"] = token
        return self._ws_base + ("?" + urlencode(query) if query else "")

    async def _connect(self, stopped: Callable[[], bool]) -> ClientConnection | None:
        token = self._token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # Joining live (from zero, or skipping a replay), any first seq is fine.
        self._gap_ok = self.last_seq == 0 or self._skip_replay
        connecting = asyncio.ensure_future(
            connect(
                self._url(),
                additional_headers=headers,
                open_timeout=self.policy.open_timeout,
                close_timeout=self.policy.close_timeout,
                ping_interval=None,  # we run our own app-level heartbeat
                max_size=MAX_FRAME_BYTES + 1024,
                max_queue=64,
                compression=None,
                proxy=None,
                logger=_ws_log,
            )
        )
        closer = asyncio.ensure_future(self._closing.wait())
        try:
            await asyncio.wait({connecting, closer}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            # The stream is being stopped mid-connect: the attempt is dropped, and
            # its outcome (often a refused connection) read, not left to be
            # reported as "never retrieved" when the loop closes.
            connecting.cancel()
            connecting.add_done_callback(_discard_outcome)
            raise
        finally:
            closer.cancel()
        if not connecting.done():
            connecting.cancel()
            try:
                await connecting
            except BaseException:
                pass
            return None
        try:
            ws = connecting.result()
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403):
                self.auth_failed = True
                raise _LinkLost(f"not authorised ({status}): sign in again") from None
            raise _LinkLost(f"refused with HTTP {status}") from None
        except (OSError, InvalidHandshake, TimeoutError) as exc:
            raise _LinkLost(f"cannot connect ({type(exc).__name__})") from None
        except Exception as exc:
            log.warning("event stream: unexpected connect failure: %r", exc)
            raise _LinkLost(f"cannot connect ({type(exc).__name__})") from None
        if stopped():
            await _close_quietly(ws)
            return None
        self._ws = ws
        return ws

    async def _pause(self, seconds: float, stopped: Callable[[], bool]) -> None:
        """Sleep, but wake at once on close(), kick() or a takeover."""
        if stopped():  # taken over (or closed) before the pause began
            return
        try:
            await asyncio.wait_for(self._wakeup.wait(), timeout=seconds)
        except TimeoutError:
            pass
        if not self._closing.is_set():
            self._wakeup.clear()

    # -- frames ------------------------------------------------------------------

    async def _pump(self, ws: ClientConnection) -> AsyncIterator[StreamItem]:
        policy = self.policy
        loop = asyncio.get_running_loop()
        last_rx = loop.time()
        next_ping = last_rx + policy.ping_interval
        while True:
            now = loop.time()
            if now - last_rx >= policy.dead_after:
                raise _LinkLost(f"no frame for {policy.dead_after:g}s")
            if now >= next_ping:
                await self._send_ping(ws)
                next_ping = now + policy.ping_interval
            wait = max(0.0, min(next_ping, last_rx + policy.dead_after) - now)
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=wait)
            except TimeoutError:
                continue
            except ConnectionClosed as exc:
                raise self._closed_link(exc) from None
            last_rx = loop.time()
            for item in self._handle(raw):
                yield item

    async def _send_ping(self, ws: ClientConnection) -> None:
        try:
            await ws.send(json.dumps({"type": "ping"}))
        except ConnectionClosed as exc:
            raise self._closed_link(exc) from None

    def _handle(self, raw: str | bytes) -> list[StreamItem]:
        """Turn one raw frame into zero or more stream items (usually one event)."""
        diag = self.diagnostics
        diag.frames += 1
        try:
            frame = decode_frame(raw)
        except ProtocolError as exc:
            return [self._problem(raw, str(exc))]
        if isinstance(frame, ControlFrame):
            # Heartbeats carry `at` on the frame, `hello` inside its data.
            at = frame.at if frame.at is not None else frame.data.get("at")
            if isinstance(at, (int, float)) and not isinstance(at, bool):
                self._learn_time(float(at), authoritative=True)
                if frame.type == "heartbeat":
                    return [ServerTime(float(at))]
            return []
        return self._accept(frame)

    def _accept(self, event: Event) -> list[StreamItem]:
        diag = self.diagnostics
        if event.seq <= self.last_seq:
            diag.duplicates += 1
            return []
        self._learn_time(event.at, authoritative=False)
        items: list[StreamItem] = []
        if event.type == "resync":
            diag.resyncs += 1
            self._advance(event.seq)
            self._gap_ok = True
            log.info("event stream: server asked for a resync at seq %d", event.seq)
            return [SnapshotNeeded(event.at)]
        if event.seq != self.last_seq + 1 and not self._gap_ok:
            # Events went missing: our state may be stale, so reload it.
            diag.out_of_order += 1
            diag.resyncs += 1
            detail = f"events {self.last_seq + 1}..{event.seq - 1} missing; reloading"
            diag.last_problem = detail
            log.warning("event stream: %s", detail)
            items.append(SnapshotNeeded(event.at))
        self._gap_ok = False
        self._advance(event.seq)
        desk_event = to_desk_event(event)
        if desk_event is not None:
            items.append(desk_event)
        return items

    def _advance(self, seq: int) -> None:
        self.last_seq = seq
        self.diagnostics.last_seq = seq

    def _problem(self, raw: str | bytes, detail: str) -> ProtocolProblem:
        diag = self.diagnostics
        if detail.startswith("unknown event type"):
            diag.unknown_type += 1
        else:
            diag.malformed += 1
        diag.last_problem = detail
        log.warning("event stream: dropped a frame: %s", detail)
        # A bad frame that still carries a usable seq is skipped, not re-requested:
        # asking again would only bring the same frame back.
        seq = _peek_seq(raw)
        if seq is not None and seq > self.last_seq and (self._gap_ok or seq == self.last_seq + 1):
            self._gap_ok = False
            self._advance(seq)
        return ProtocolProblem(detail)

    def _closed_link(self, exc: ConnectionClosed) -> _LinkLost:
        if exc.sent is not None and exc.sent.code == CloseCode.MESSAGE_TOO_BIG:
            # A frame over our size limit: replaying from our seq would bring it back
            # for ever, so rejoin live and have the UI reload its snapshots instead.
            self._skip_replay = True
            self.diagnostics.malformed += 1
            self.diagnostics.last_problem = "a frame over the size limit was dropped"
            log.warning("event stream: %s; reloading instead of replaying",
                        self.diagnostics.last_problem)
            return _LinkLost("a frame over the size limit", resume_now=True)
        rcvd = exc.rcvd
        code = rcvd.code if rcvd is not None else None
        if code == SLOW_CONSUMER:
            return _LinkLost("server dropped a slow reader (4008)", resume_now=True)
        if code in AUTH_CLOSE_CODES:
            self.auth_failed = True
            return _LinkLost(f"not authorised ({code}): sign in again")
        return _LinkLost(f"connection closed ({code if code is not None else 'no close frame'})")

    def _learn_time(self, at: float, *, authoritative: bool) -> None:
        offset = at - time.time()
        if authoritative or self.server_time_offset is None:
            self.server_time_offset = offset
        elif offset > self.server_time_offset:
            # Events are never from the future: a later `at` means our estimate is behind.
            # (Replayed events carry old `at`s, hence only ever moving forward here.)
            self.server_time_offset = offset


_CHANGES = {f"interaction.{change.value}": change for change in InteractionChange}


def to_desk_event(event: Event) -> DeskEvent | None:
    """The domain event of one decoded agentdesk/1 event (None: nothing for the desk)."""
    kind, data, at = event.type, event.data, event.at
    change = _CHANGES.get(kind)
    if change is not None:
        return InteractionChanged(change, data.interaction, at, data.reason)
    if kind in ("message.created", "transcript.segment"):
        return ItemAdded(data.item, at)
    if kind == "call.updated":
        return CallChanged(data.interaction_id, data.call, at)
    if kind == "customer.typing":
        return CustomerTyping(data.interaction_id, data.typing, at)
    if kind == "agent.updated":
        return AgentChanged(data.agent, at)
    if kind == "stats.updated":
        return StatsChanged(data.stats, at)
    if kind == "kb.updated":
        return KbChanged(list(data.articles), list(data.removed), at)
    if kind in ("callback.updated", "callback.missed"):
        return CallbackChanged(data.callback, at, data.reason, missed=kind == "callback.missed")
    if kind == "resync":
        return SnapshotNeeded(at)
    return None  # a type decode_frame knows but the desk has no use for


def _discard_outcome(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


async def _close_quietly(ws: ClientConnection) -> None:
    try:
        await ws.close()
    except Exception:
        pass


def _peek_seq(raw: str | bytes) -> int | None:
    if len(raw) > MAX_FRAME_BYTES:
        return None
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    seq = obj.get("seq") if isinstance(obj, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq > 0 else None


def _ws_url(base_url: str) -> str:
    base = base_url.rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base[len("https://"):]
    elif base.startswith("http://"):
        base = "ws://" + base[len("http://"):]
    return base + "/v1/events"
