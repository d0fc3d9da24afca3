"""HTTP/1.1 on asyncio streams: the bytes on the wire under `HttpTransport`.

Why not httpx: it brings httpcore and anyio, about 50 ms of imports on the
desk's start-up path where h11 alone costs 7 (issue 13, docs/benchmarks.md),
and the desk needs only a small part of it: one origin, JSON bodies, no
redirects, no proxy (the event stream connects directly too). h11 does the
protocol (framing, chunked bodies, keep-alive state); this module does the
sockets: a few kept-alive connections per origin, a deadline on every
phase, and a cap on what a response may make us buffer.

`Exchange` is the seam tests wrap (recording, losing answers) or replace (an
ASGI app in-process, `tests/asgi_exchange.py`); `ConnectionPool` is the real one.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol
from urllib.parse import quote, urlsplit

import h11

READ_CHUNK = 64 * 1024
# Header bytes a response may send before its body: a hostile server cannot make
# us buffer more than this while h11 looks for the end of the head.
MAX_HEAD_BYTES = 64 * 1024
# Everything printable in ASCII is left as the caller wrote it (ids are already
# quoted); only spaces, controls and non-ASCII text are percent-encoded.
_SAFE_IN_TARGET = "".join(chr(c) for c in range(33, 127))


class WireError(Exception):
    """The exchange failed: nothing listening, the connection dropped, a reply
    that is not HTTP. The message says which, in plain words."""


class WireTimeout(WireError):
    """A phase (connecting, sending, waiting for the reply) outlived its deadline."""


class UnsendableRequest(WireError):
    """The request itself cannot go on the wire (a malformed header or URL):
    no retry can help."""


class BodyTooLarge(WireError):
    """The response body is longer than the caller agreed to read."""


@dataclass(frozen=True, slots=True)
class WireRequest:
    method: str
    url: str  # absolute: scheme://host[:port]/path?query
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@dataclass(frozen=True, slots=True)
class WireResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Exchange(Protocol):
    """Sends one request and returns its whole response, or raises WireError."""

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        ...

    async def aclose(self) -> None:
        ...


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str
    host: str
    port: int

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def _origin_of(url: str) -> tuple[_Origin, str]:
    """The origin to connect to and the request target (path and query)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise UnsendableRequest(f"not an http(s) URL: {url[:100]}")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise UnsendableRequest(f"bad port in {url[:100]}") from None
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return _Origin(scheme, parts.hostname, port), quote(target, safe=_SAFE_IN_TARGET)


def default_tls() -> ssl.SSLContext:
    """Certificates as httpx checked them: the files SSL_CERT_FILE / SSL_CERT_DIR
    name if set, else certifi's bundle (so a Python without a system store, as on
    macOS, still verifies), else the system's."""
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    if not (cafile and os.path.isfile(cafile)):
        cafile = None
    if not (capath and os.path.isdir(capath)):
        capath = None
    if cafile is None and capath is None:
        try:
            import certifi
        except ImportError:
            return ssl.create_default_context()
        cafile = certifi.where()
    return ssl.create_default_context(cafile=cafile, capath=capath)


class _Connection:
    """One socket and its h11 state; used by one request at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)
        self.idle_since = time.monotonic()

    def usable(self, keepalive_s: float) -> bool:
        """Still fit to carry a request: open, not told EOF, not idle too long (a
        server closes idle connections; reusing one it has closed loses the request)."""
        return (not self.writer.is_closing() and not self.reader.at_eof()
                and time.monotonic() - self.idle_since < keepalive_s)

    async def exchange(self, request: WireRequest, origin: _Origin, target: str,
                       timeout: float, max_body: int) -> WireResponse:
        headers = [("Host", origin.host_header), *request.headers]
        if request.body or request.method in ("POST", "PUT", "PATCH"):
            headers.append(("Content-Length", str(len(request.body))))
        try:
            out = self.h11.send(h11.Request(method=request.method, target=target, headers=headers))
            if request.body:
                out += self.h11.send(h11.Data(data=request.body))
            out += self.h11.send(h11.EndOfMessage())
        except h11.LocalProtocolError:
            # Not h11's words: they quote the bad header, which may be the token.
            raise UnsendableRequest("a header or the path is malformed") from None
        self.writer.write(out)
        async with _deadline(timeout, "sending the request"):
            await self.writer.drain()

        status, size = 0, 0
        reply_headers: dict[str, str] = {}
        chunks: list[bytes] = []
        while True:
            event = await self._next_event(timeout)
            if isinstance(event, h11.InformationalResponse):
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
                reply_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in event.headers}
            elif isinstance(event, h11.Data):
                size += len(event.data)
                if size > max_body:
                    raise BodyTooLarge(f"response larger than {max_body} bytes")
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                break
            else:  # ConnectionClosed before the end of the message
                raise WireError("the server closed the connection mid-reply")
        return WireResponse(status, reply_headers, b"".join(chunks))

    async def _next_event(self, timeout: float) -> object:
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                # h11 quotes what it refused (as a bytes repr: no control characters);
                # the server's bytes are cut short so a screen line holds them.
                raise WireError(f"the reply is not valid HTTP ({str(exc)[:80]})") from None
            if event is not h11.NEED_DATA:
                return event
            async with _deadline(timeout, "waiting for the reply"):
                data = await self.reader.read(READ_CHUNK)
            if not data and self.h11.their_state is h11.SEND_RESPONSE:
                # h11 would call this a protocol error; it is a dropped connection.
                raise WireError("the server closed the connection without replying")
            self.h11.receive_data(data)

    def reusable(self) -> bool:
        if self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE:
            self.h11.start_next_cycle()
            self.idle_since = time.monotonic()
            return True
        return False

    def close(self) -> None:
        self.writer.close()  # no wait for the peer: closing must never hang


class _deadline:
    """`asyncio.timeout` that says which phase ran out, as a WireTimeout."""

    def __init__(self, seconds: float, phase: str) -> None:
        self._timeout = asyncio.timeout(seconds)
        self._phase, self._seconds = phase, seconds

    async def __aenter__(self) -> None:
        await self._timeout.__aenter__()

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> bool:
        try:
            await self._timeout.__aexit__(kind, exc, tb)
        except TimeoutError:
            raise WireTimeout(f"no answer within {self._seconds:g}s ({self._phase})") from None
        if isinstance(exc, OSError):
            raise WireError(_os_reason(exc)) from None
        return False


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its certificate is not trusted ({exc.verify_message or 'verification failed'})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or type(exc).__name__})"
    if isinstance(exc, ConnectionRefusedError):
        return "nothing is listening there"
    return exc.strerror or type(exc).__name__


class ConnectionPool:
    """The real Exchange: kept-alive HTTP/1.1 connections, a few per origin."""

    def __init__(self, *, tls: ssl.SSLContext | None = None, keepalive_s: float = 4.0,
                 max_idle: int = 4) -> None:
        self._tls = tls  # built on the first https request when not given
        # Under the idle timeouts servers use (uvicorn 5 s, puma 20 s, nginx 75 s), so
        # a kept connection is rarely one the server is closing as we reuse it.
        self._keepalive_s = keepalive_s
        self._max_idle = max_idle
        self._idle: dict[_Origin, list[_Connection]] = {}
        self._busy: set[_Connection] = set()
        self.closed = False

    async def send(self, request: WireRequest, *, timeout: float, max_body: int) -> WireResponse:
        if self.closed:
            raise WireError("this connection pool has been closed")
        origin, target = _origin_of(request.url)
        conn = self._take(origin) or await self._open(origin, timeout)
        self._busy.add(conn)
        try:
            response = await conn.exchange(request, origin, target, timeout, max_body)
        except BaseException:
            conn.close()  # half a reply left on it: never reuse
            raise
        finally:
            self._busy.discard(conn)
        if not self.closed and conn.reusable() and len(self._idle.get(origin, ())) < self._max_idle:
            self._idle.setdefault(origin, []).append(conn)
        else:
            conn.close()
        return response

    def _take(self, origin: _Origin) -> _Connection | None:
        idle = self._idle.get(origin, [])
        while idle:
            conn = idle.pop()
            if conn.usable(self._keepalive_s):
                return conn
            conn.close()
        return None

    async def _open(self, origin: _Origin, timeout: float) -> _Connection:
        tls = None
        if origin.scheme == "https":
            if self._tls is None:
                self._tls = default_tls()
            tls = self._tls
        async with _deadline(timeout, "connecting"):
            reader, writer = await asyncio.open_connection(
                origin.host, origin.port, ssl=tls,
                server_hostname=origin.host if tls else None, limit=READ_CHUNK)
        return _Connection(reader, writer)

    async def aclose(self) -> None:
        self.closed = True
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()
        for conn in list(self._busy):
            conn.close()
