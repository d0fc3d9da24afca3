"""One ActionCable connection to Chatwoot's `/cable`, subscribed to `RoomChannel`.

Rails' ActionCable JSON protocol (subprotocol `actioncable-v1-json`): the server
says `welcome`, we `subscribe` with an identifier that is a JSON string inside
the JSON frame, the server `confirm_subscription`s (or, with a bad token,
usually says nothing at all: a timeout is an auth failure), pings every 3 s,
and wraps each event as `{"identifier", "message": {"event", "data"}}`. We
`perform` `update_presence` every 20 s as the dashboard does (it keeps the
agent "online" and is how presence.update reaches us).

This module reads frames and hands them up; reconnecting, catching up and
turning events into domain events is `live.py`'s job. Every frame is decoded
and passed through `sanitize_tree` here; nothing the server sends can make it
raise anything but `CableLost`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from agentdesk.protocol.sanitize import sanitize_tree

log = logging.getLogger("agentdesk.backend.chatwoot")
# websockets logs request headers at DEBUG; ours never goes below WARNING.
_ws_log = logging.getLogger("agentdesk.backend.chatwoot.websocket")
_ws_log.setLevel(logging.WARNING)

SUBPROTOCOLS = ("actioncable-v1-json", "actioncable-unsupported")
MAX_FRAME_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CablePolicy:
    """Timings of the cable; tests shrink them."""

    stale_after: float = 6.0  # no frame for this long (pings come every 3 s): dead link
    confirm_timeout: float = 10.0  # no confirm_subscription by then: the token is refused
    presence_interval: float = 20.0  # update_presence, as the dashboard does
    backoff_base: float = 1.0  # the dashboard's RECONNECT_INTERVAL
    backoff_cap: float = 15.0
    open_timeout: float = 10.0
    close_timeout: float = 1.0


class CableLost(Exception):
    """The connection ended; `auth` when the server refused our subscription."""

    def __init__(self, detail: str, *, auth: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.auth = auth


@dataclass(frozen=True, slots=True)
class CableEvent:
    name: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CablePing:
    at: float  # the server's clock (Unix seconds)


@dataclass(frozen=True, slots=True)
class CableBad:
    detail: str  # a frame we could not use (already logged)


CableFrame = CableEvent | CablePing | CableBad


def cable_url(base_url: str) -> str:
    parts = urlsplit(base_url.rstrip("/"))
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path}/cable"


def origin_of(base_url: str) -> str:
    """`Origin: <scheme>://<host>`: older Chatwoot releases reject unknown origins."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def identifier(pubsub_token: str, account_id: str, user_id: str) -> str:
    """The subscription identifier: a JSON string, sent byte-identical every time."""
    def num(value: str) -> int | str:
        return int(value) if value.isdigit() else value

    return json.dumps({"channel": "RoomChannel", "pubsub_token": pubsub_token,
                       "account_id": num(account_id), "user_id": num(user_id)},
                      separators=(",", ":"))


class CableConnection:
    """A single connection: `open()`, iterate `frames()`, `close()`."""

    def __init__(self, base_url: str, ident: str, policy: CablePolicy) -> None:
        self.url = cable_url(base_url)
        self.origin = origin_of(base_url)
        self.ident = ident
        self.policy = policy
        self._ws: ClientConnection | None = None
        self._presence: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Connect, wait for welcome, subscribe, wait for the confirm."""
        try:
            self._ws = await connect(
                self.url, subprotocols=list(SUBPROTOCOLS), origin=self.origin,  # type: ignore[arg-type]
                open_timeout=self.policy.open_timeout, close_timeout=self.policy.close_timeout,
                max_size=MAX_FRAME_BYTES, ping_interval=None, logger=_ws_log,
                user_agent_header="agentdesk",
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            raise CableLost(f"the cable refused the connection (HTTP {status})",
                            auth=status in (401, 403)) from None
        except (OSError, InvalidHandshake, TimeoutError) as exc:
            raise CableLost(f"cannot reach the cable ({type(exc).__name__})") from None
        except Exception as exc:
            raise CableLost(f"cannot open the cable ({type(exc).__name__})") from None
        await self._until("welcome", self.policy.open_timeout)
        await self._send({"command": "subscribe", "identifier": self.ident})
        await self._until("confirm_subscription", self.policy.confirm_timeout)
        self._presence = asyncio.create_task(self._presence_loop())

    async def close(self) -> None:
        if self._presence is not None:
            self._presence.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._presence
            self._presence = None
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()

    async def update_presence(self) -> None:
        await self._send({"command": "message", "identifier": self.ident,
                          "data": json.dumps({"action": "update_presence"})})

    async def frames(self) -> AsyncIterator[CableFrame]:
        """Frames until the link is lost (then CableLost)."""
        while True:
            raw = await self._recv(self.policy.stale_after)
            frame = self._classify(raw)
            if frame is not None:
                yield frame

    # -- internals ------------------------------------------------------------------

    async def _until(self, kind: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._no(kind)
            try:
                raw = await self._recv(left)
            except CableLost as exc:
                if "no frame" in exc.detail:
                    raise self._no(kind) from None
                raise
            obj = _decode(raw)
            if not isinstance(obj, dict):
                continue
            kind_seen = obj.get("type")
            if kind_seen == kind:
                return
            if kind_seen == "reject_subscription":
                raise CableLost("Chatwoot rejected the subscription (token not valid)",
                                auth=True)
            if kind_seen == "disconnect":
                raise _disconnect(obj)

    def _no(self, kind: str) -> CableLost:
        if kind == "confirm_subscription":
            # Chatwoot answers a bad pubsub token with silence, not a reject.
            return CableLost("the subscription was not confirmed (token not valid?)", auth=True)
        return CableLost(f"no {kind} from the cable")

    async def _recv(self, timeout: float) -> str | bytes:
        ws = self._ws
        if ws is None:
            raise CableLost("not connected")
        try:
            return await asyncio.wait_for(ws.recv(), timeout)
        except TimeoutError:
            raise CableLost(f"no frame for {timeout:g}s (dead link)") from None
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == 1009:
                raise CableLost("a frame was too large") from None
            raise CableLost("the cable closed") from None
        except Exception as exc:
            raise CableLost(f"the cable failed ({type(exc).__name__})") from None

    async def _send(self, obj: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None:
            raise CableLost("not connected")
        try:
            await ws.send(json.dumps(obj, separators=(",", ":")))
        except Exception:
            raise CableLost("the cable closed while sending") from None

    async def _presence_loop(self) -> None:
        while True:
            await asyncio.sleep(self.policy.presence_interval)
            try:
                await self.update_presence()
            except CableLost:
                return  # frames() notices the loss

    def _classify(self, raw: str | bytes) -> CableFrame | None:
        obj = _decode(raw)
        if not isinstance(obj, dict):
            return CableBad("a cable frame that is not a JSON object")
        kind = obj.get("type")
        if kind == "ping":
            at = obj.get("message")
            if isinstance(at, (int, float)) and not isinstance(at, bool):
                return CablePing(float(at))
            return CableBad("a ping without a time")
        if kind == "disconnect":
            raise _disconnect(obj)
        if kind in ("welcome", "confirm_subscription"):
            return None
        if kind == "reject_subscription":
            raise CableLost("Chatwoot rejected the subscription (token not valid)", auth=True)
        message = obj.get("message")
        if kind is None and isinstance(message, dict):
            name = message.get("event")
            data = message.get("data")
            if isinstance(name, str) and isinstance(data, dict):
                return CableEvent(name, data)
            return CableBad("an event without a name or data")
        return CableBad(f"an unknown cable frame ({str(kind)[:40]!r})")


def _decode(raw: str | bytes) -> Any:
    try:
        return sanitize_tree(json.loads(raw))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def _disconnect(obj: dict[str, Any]) -> CableLost:
    reason = obj.get("reason")
    reason = reason if isinstance(reason, str) else "no reason"
    return CableLost(f"the server disconnected us ({reason[:80]})",
                     auth=reason in ("unauthorized", "invalid_request"))
