"""A deadline for request headers: uvicorn waits for them forever, so a client
that trickles a header a byte at a time (slowloris) holds its connection, and
enough of them hold every file descriptor the server has. Here a connection
that has not completed the headers of its next request within
HEADER_TIMEOUT_S of starting them (or of connecting) is closed. Request bodies
have their own deadline in `http.read_body` (408).

Used as uvicorn's HTTP protocol by `cli.make_uvicorn` (so also by the tests'
`running_server`); WebSocket upgrades leave this protocol and its timer behind.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0


class HeaderDeadlineProtocol(H11Protocol):
    header_timeout_s = HEADER_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and self._header_timer is None:
            self._arm()  # the next request on a kept-alive connection has begun
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before:  # its headers are complete: a request is running
            self._disarm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._expired)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expired(self) -> None:
        self._header_timer = None
        transport = self.transport
        if transport.is_closing() or transport.get_protocol() is not self:  # upgraded
            return
        if self.cycle is None or self.cycle.response_complete:
            transport.close()
