"""The desk's HTTP/1.1 wire (`http_wire.ConnectionPool`) against real loopback
servers: framing, keep-alive, caps, deadlines, hostile replies and TLS."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from agentdesk.backends.base import BackendConnectionError
from agentdesk.backends.http import JsonApi, RetryPolicy
from agentdesk.backends.http_wire import (
    BodyTooLarge,
    ConnectionPool,
    WireError,
    WireRequest,
    WireTimeout,
)

Reply = Callable[["Seen", asyncio.StreamWriter], Awaitable[bool]]  # True: keep the connection


@dataclass
class Seen:
    head: str
    body: bytes


@dataclass
class Server:
    """A loopback server that answers each request with `reply`."""

    reply: Reply
    requests: list[Seen] = field(default_factory=list)
    connections: int = 0
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                length = 0
                for line in head.split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                seen = Seen(head, await reader.readexactly(length))
                self.requests.append(seen)
                if not await self.reply(seen, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Server]]]:
    servers: list[asyncio.Server] = []

    async def start(reply: Reply, tls: ssl.SSLContext | None = None) -> Server:
        server = Server(reply)
        listening = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=tls)
        server.port = listening.sockets[0].getsockname()[1]
        servers.append(listening)
        return server

    yield start
    for listening in servers:
        listening.close()


@pytest.fixture
async def pool() -> AsyncIterator[ConnectionPool]:
    wire = ConnectionPool()
    yield wire
    await wire.aclose()


def answer(body: bytes, status: str = "200 OK", *extra: str) -> Reply:
    async def reply(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}",
                "Content-Type: application/json", *extra]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        return True
    return reply


async def get(pool: ConnectionPool, url: str, *, timeout: float = 5.0,
              max_body: int = 1 << 20, method: str = "GET", body: bytes = b"") -> tuple[int, bytes]:
    response = await pool.send(WireRequest(method, url, (("Accept", "application/json"),), body),
                               timeout=timeout, max_body=max_body)
    return response.status, response.body


async def test_requests_share_one_kept_alive_connection(serve, pool: ConnectionPool) -> None:
    server = await serve(answer(b'{"ok":true}'))
    for _ in range(3):
        assert await get(pool, server.url + "/v1/me") == (200, b'{"ok":true}')
    assert server.connections == 1


async def test_a_post_is_framed_with_its_host_and_length(serve, pool: ConnectionPool) -> None:
    server = await serve(answer(b"{}"))
    await get(pool, server.url + "/v1/customers/c 1?q=ann smith", method="POST", body=b'{"a":1}')
    await get(pool, server.url + "/v1/presence", method="POST")
    first, bodiless = server.requests
    assert first.head.startswith("POST /v1/customers/c%201?q=ann%20smith HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.port}\r\n" in first.head
    assert "Content-Length: 7\r\n" in first.head and first.body == b'{"a":1}'
    assert "Content-Length: 0\r\n" in bodiless.head  # servers may refuse a POST without one


async def test_a_chunked_reply_is_read_whole(serve, pool: ConnectionPool) -> None:
    async def chunked(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"5\r\n{\"a\":\r\n3\r\n[1]\r\n1\r\n}\r\n0\r\n\r\n")
        await writer.drain()
        return True

    server = await serve(chunked)
    assert await get(pool, server.url + "/") == (200, b'{"a":[1]}')
    assert await get(pool, server.url + "/") == (200, b'{"a":[1]}')
    assert server.connections == 1


async def test_a_body_over_the_cap_is_refused_and_its_connection_dropped(
        serve, pool: ConnectionPool) -> None:
    server = await serve(answer(b"x" * 5000))
    with pytest.raises(BodyTooLarge, match="larger than 1000 bytes"):
        await get(pool, server.url + "/", max_body=1000)
    assert await get(pool, server.url + "/") == (200, b"x" * 5000)
    assert server.connections == 2  # the half-read one was not reused


async def test_connection_close_and_an_expired_idle_connection_are_not_reused(
        serve, pool: ConnectionPool) -> None:
    closing = await serve(answer(b"{}", "200 OK", "Connection: close"))
    await get(pool, closing.url + "/")
    await get(pool, closing.url + "/")
    assert closing.connections == 2

    kept = await serve(answer(b"{}"))
    no_keepalive = ConnectionPool(keepalive_s=0.0)
    try:
        await get(no_keepalive, kept.url + "/")
        await get(no_keepalive, kept.url + "/")
        assert kept.connections == 2
    finally:
        await no_keepalive.aclose()


async def test_a_server_that_never_answers_times_out(serve, pool: ConnectionPool) -> None:
    async def silent(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        await asyncio.Event().wait()
        return False

    server = await serve(silent)
    with pytest.raises(WireTimeout, match="waiting for the reply"):
        await get(pool, server.url + "/", timeout=0.2)


@pytest.mark.parametrize("garbage, reason", [
    (b"HELLO\r\n\r\n", "not valid HTTP"),
    (b"", "closed the connection without replying"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"cut", "not valid HTTP"),
    (b"HTTP/1.1 200 OK\r\nX: " + b"a" * 300_000 + b"\r\n\r\n", "not valid HTTP"),
], ids=["not-http", "hang-up", "cut-body", "endless-head"])
async def test_a_hostile_or_broken_reply_is_one_clear_error(
        serve, pool: ConnectionPool, garbage: bytes, reason: str) -> None:
    async def broken(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        writer.write(garbage)
        await writer.drain()
        return False  # and hang up

    server = await serve(broken)
    with pytest.raises(WireError, match=reason) as caught:
        await get(pool, server.url + "/")
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


async def test_nothing_listening_and_a_closed_pool_say_so(serve, pool: ConnectionPool) -> None:
    server = await serve(answer(b"{}"))
    port = server.port
    await get(pool, server.url + "/")
    await pool.aclose()
    with pytest.raises(WireError, match="closed"):
        await get(pool, server.url + "/")
    fresh = ConnectionPool()
    with pytest.raises(WireError, match="nothing is listening"):
        await get(fresh, f"http://127.0.0.1:{_free_port(port)}/")
    with pytest.raises(WireError, match="not an http"):
        await get(fresh, "ftp://127.0.0.1/")
    await fresh.aclose()


def _free_port(avoid: int) -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    assert port != avoid
    return port


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    crypto = pytest.importorskip("cryptography", reason="cryptography makes the test certificate")
    del crypto
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp / "cert.pem", tmp / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


async def test_https_verifies_the_certificate(serve, tmp_path: Path, monkeypatch) -> None:
    cert_file, key_file = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    server = await serve(answer(b'{"tls":1}'), server_tls)
    url = f"https://127.0.0.1:{server.port}/v1/me"

    untrusting = ConnectionPool()  # certifi's bundle: this certificate is in no bundle
    with pytest.raises(WireError, match="certificate is not trusted"):
        await get(untrusting, url)
    await untrusting.aclose()

    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # as an IT department points at its CA
    trusting = ConnectionPool()
    try:
        assert await get(trusting, url) == (200, b'{"tls":1}')
    finally:
        await trusting.aclose()


async def test_a_token_that_cannot_be_a_header_is_refused_without_being_quoted(serve, pool: ConnectionPool) -> None:
    server = await serve(answer(b"{}"))
    request = WireRequest("GET", server.url + "/", (("api_access_token", "secret\r\nX: 1"),))
    with pytest.raises(WireError) as caught:
        await pool.send(request, timeout=5.0, max_body=1000)
    assert "secret" not in str(caught.value) and "malformed" in str(caught.value)
    assert server.requests == []  # nothing was sent: no header injection


async def test_an_unsendable_request_fails_at_once_instead_of_being_retried(serve) -> None:
    server = await serve(answer(b"{}"))
    api = JsonApi(server.url, retry=RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.002))
    api.token = "pasted\ntoken"
    try:
        with pytest.raises(BackendConnectionError, match="GET /v1/me: cannot send") as caught:
            await api.call("GET", "/v1/me")
        assert "pasted" not in caught.value.message
        assert server.connections == 1  # one try: a retry cannot mend the request
    finally:
        await api.aclose()


def test_an_https_client_loads_its_certificates_when_built_not_at_its_first_request(
        monkeypatch) -> None:
    import agentdesk.backends.http as http

    built: list[str] = []
    monkeypatch.setattr(http, "default_tls", lambda: built.append("tls") or ssl.create_default_context())
    JsonApi("http://127.0.0.1:1")
    assert built == []  # plain http: no TLS set-up at all
    JsonApi("https://cc.example.com")
    assert built == ["tls"]  # in the constructor, which the desk runs in a worker thread
