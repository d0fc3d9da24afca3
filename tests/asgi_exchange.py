"""An ASGI app in-process as the client's `Exchange`: unit tests of the HTTP
client's error mapping run against tiny Starlette apps without a socket.
The real wire (`ConnectionPool`) is tested on loopback in tests/unit/test_http_wire.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from agentdesk.backends.http_wire import BodyTooLarge, WireRequest, WireResponse


class AsgiExchange:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        parts = urlsplit(request.url)
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": request.method, "scheme": parts.scheme, "path": unquote(parts.path),
            "raw_path": parts.path.encode(), "query_string": parts.query.encode(),
            "root_path": "", "server": (parts.hostname or "test", parts.port or 80),
            "client": ("127.0.0.1", 50000),
            "headers": [(k.lower().encode(), v.encode()) for k, v in request.headers]
                       + [(b"host", (parts.netloc or "test").encode())],
        }
        sent = False
        status, headers, chunks = 500, {}, []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": request.body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers.update({k.decode().lower(): v.decode() for k, v in message["headers"]})
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > max_body:
                    raise BodyTooLarge(f"response larger than {max_body} bytes")

        await self.app(scope, receive, send)
        return WireResponse(status, headers, b"".join(chunks))

    async def aclose(self) -> None:
        pass
