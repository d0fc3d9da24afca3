"""The fake Chatwoot's ActionCable endpoint (`/cable`), from the shared
reference §2: `welcome`, a `subscribe` whose identifier is a JSON string,
`confirm_subscription` (or, for a bad pubsub token, silence as upstream, or
`reject_subscription` when a test asks), pings, `update_presence` answered
with `presence.update`, and events wrapped as `{"identifier", "message":
{"event", "data"}}` with `account_id` added as `ActionCableListener` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import TYPE_CHECKING, Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from agentdesk.testing.chatwoot.world import ACCOUNT_ID, FUser

if TYPE_CHECKING:
    from agentdesk.testing.chatwoot.world import World


class CableSocket:
    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.ident: str | None = None
        self.user: FUser | None = None
        self.lock = asyncio.Lock()

    async def send(self, obj: dict[str, Any]) -> None:
        async with self.lock:
            with contextlib.suppress(Exception):
                await self.ws.send_text(json.dumps(obj))


class CableEndpoint:
    """Mixed into the fake: its sockets, broadcasts and socket faults."""

    world: World
    ping_interval: float
    cables: list[CableSocket]
    refuse_cable: bool
    reject_subscriptions: bool
    subscribed: asyncio.Event

    async def broadcast(self, event: str, data: dict[str, Any], *,
                        exclude: FUser | None = None) -> None:
        payload = {**data, "account_id": ACCOUNT_ID}
        for cable in list(self.cables):
            if cable.ident is None or cable.user is exclude:
                continue
            await cable.send({"identifier": cable.ident,
                              "message": {"event": event, "data": payload}})

    async def push_raw(self, text: str) -> None:
        for cable in list(self.cables):
            async with cable.lock:
                with contextlib.suppress(Exception):
                    await cable.ws.send_text(text)

    async def drop_cables(self) -> None:
        """Close every cable socket (a network drop, as the client sees it)."""
        cables, self.cables = list(self.cables), []
        self.subscribed.clear()
        for cable in cables:
            with contextlib.suppress(Exception):
                await cable.ws.close(code=1012)

    # -- the cable ------------------------------------------------------------------------------------

    async def _cable(self, ws: WebSocket) -> None:
        offered = ws.scope.get("subprotocols") or []
        await ws.accept(subprotocol="actioncable-v1-json"
                        if "actioncable-v1-json" in offered else None)
        if self.refuse_cable:  # an outage: the socket closes before any welcome
            await ws.close(code=1013)
            return
        cable = CableSocket(ws)
        self.cables.append(cable)
        pinger = asyncio.create_task(self._pings(cable))
        try:
            await cable.send({"type": "welcome"})
            while True:
                raw = await ws.receive_text()
                try:
                    frame = json.loads(raw)
                except ValueError:
                    continue
                await self._command(cable, frame if isinstance(frame, dict) else {})
        except (WebSocketDisconnect, RuntimeError, asyncio.CancelledError):
            pass  # the client left, or the server is shutting down
        finally:
            pinger.cancel()
            if cable in self.cables:
                self.cables.remove(cable)

    async def _pings(self, cable: CableSocket) -> None:
        while True:
            await asyncio.sleep(self.ping_interval)
            await cable.send({"type": "ping", "message": int(time.time())})

    async def _command(self, cable: CableSocket, frame: dict[str, Any]) -> None:
        command = frame.get("command")
        ident = frame.get("identifier")
        if command == "subscribe" and isinstance(ident, str):
            try:
                params = json.loads(ident)
            except ValueError:
                return
            user = self.world.users.get(params.get("user_id"))
            if (params.get("channel") != "RoomChannel" or user is None
                    or user.pubsub_token != params.get("pubsub_token")
                    or params.get("account_id") != ACCOUNT_ID):
                if self.reject_subscriptions:
                    await cable.send({"identifier": ident, "type": "reject_subscription"})
                return  # upstream: find_by! raises, nothing is confirmed
            cable.ident, cable.user = ident, user
            await cable.send({"identifier": ident, "type": "confirm_subscription"})
            await self._presence(cable)
            self.subscribed.set()
        elif command == "message" and ident == cable.ident and cable.user is not None:
            try:
                data = json.loads(frame.get("data") or "{}")
            except ValueError:
                return
            if isinstance(data, dict) and data.get("action") == "update_presence":
                await self._presence(cable)

    async def _presence(self, cable: CableSocket) -> None:
        users = {str(u.id): u.availability for u in self.world.users.values()
                 if u.availability != "offline"}
        await cable.send({"identifier": cable.ident, "message": {
            "event": "presence.update",
            "data": {"account_id": ACCOUNT_ID, "users": users, "contacts": {}}}})
