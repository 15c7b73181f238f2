"""Every answer is bounded: in size once decoded, and in time as a whole (a trickling server
cannot hold a call past its timeout). Against a hostile server on loopback."""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import (
    ApiOwnerToken,
    AsyncHatClient,
    HatClient,
    HatConnectionError,
    HatModel,
    HatTimeoutError,
)
from hat_sdk.errors import ResponseTooLargeError
from tests.tokens._forge import owner_claims, private_key, public_pem, rs256

BOMB = gzip.compress(b"0" * (20 * 1024 * 1024))  # ~20 KB that inflates to 20 MiB
BOMB_INSIDE = gzip.compress(b"0" * (64 * 1024 * 1024))  # compressed again, a few KB
TRICKLE_BYTES = 60
HUGE_KEY = 16 * 1024 * 1024


class _Hostile(BaseHTTPRequestHandler):
    sent: list[int]  # bytes of the trickled body written, per request

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/users/access_token":  # a token whose issuer is this server
            token = rs256(owner_claims(self.headers["Host"]), private_key("hostile"))
            body = json.dumps({"accessToken": token, "userId": "u"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/publickey":  # far more than any key
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(HUGE_KEY))
            self.end_headers()
            try:
                for _ in range(HUGE_KEY // 65536):
                    self.wfile.write(b"A" * 65536)
            except OSError:
                pass  # the client hung up
            return
        if self.path == "/healthz":  # trickles a JSON body, one byte every 0.2 s
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(TRICKLE_BYTES))
            self.end_headers()
            count = 0
            try:
                for _ in range(TRICKLE_BYTES):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    count += 1
                    time.sleep(0.2)
            except OSError:
                pass  # the client hung up: what the test wants
            finally:
                self.sent.append(count)
            return
        if self.path == "/api/v2.6/phata/profile":
            _trickle_head(self)
            return
        stacked = self.path == "/api/v2.6/version"  # compressed twice: a few KB, 64 MiB inside
        body = gzip.compress(BOMB_INSIDE) if stacked else BOMB
        self.send_response(200)  # /api/v2.6/healthz: a gzip bomb
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Encoding", "gzip, gzip" if stacked else "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _trickle_head(handler: BaseHTTPRequestHandler) -> None:
    """Send a status line and headers a byte every 0.05 s (100 s in all), then no body."""
    head = b"HTTP/1.1 200 OK\r\n" + b"X-Pad: 1\r\n" * 200 + b"Content-Length: 0\r\n\r\n"
    try:
        for byte in head:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.05)
    except OSError:
        pass  # the client hung up: what the tests want
    handler.close_connection = True


class _TricklingLogin(_Hostile):
    def do_GET(self) -> None:
        if self.path == "/users/access_token":
            _trickle_head(self)
            return
        super().do_GET()


@contextlib.contextmanager
def _serving(handler_class: type[_Hostile]) -> Iterator[tuple[str, list[int]]]:
    sent: list[int] = []
    handler = type("Handler", (handler_class,), {"sent": sent})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), port)):
        pass  # listening
    yield f"http://127.0.0.1:{port}", sent
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile() -> Iterator[tuple[str, list[int]]]:
    with _serving(_Hostile) as served:
        yield served


@pytest.fixture
def trickling_login() -> Iterator[str]:
    with _serving(_TricklingLogin) as (url, _):
        yield url


class Note(HatModel):
    text: str


def _owner(url: str) -> ApiOwnerToken:
    return ApiOwnerToken(SimpleCredential("u", "p"), hat_url=url)


def test_a_trickling_answer_cannot_outlast_the_timeout(hostile: tuple[str, list[int]]) -> None:
    url, _ = hostile
    # Without a deadline for the whole answer this would end after 12 s with a format error.
    with HatClient(_owner(url), "ns", max_retries=0) as client, pytest.raises(HatTimeoutError):
        client.with_options(timeout=1).system.health()


@pytest.mark.anyio
async def test_a_trickling_answer_cannot_outlast_the_timeout_async(
    hostile: tuple[str, list[int]],
) -> None:
    url, _ = hostile
    async with AsyncHatClient(_owner(url), "ns", max_retries=0) as client:
        with pytest.raises(HatTimeoutError):
            await client.system.health(timeout=1)


def test_a_server_trickling_its_headers_cannot_outlast_the_timeout(
    hostile: tuple[str, list[int]],
) -> None:
    # httpx's read timeout bounds each read; these headers, a byte at a time, take 100 s.
    url, _ = hostile
    with HatClient(_owner(url), "ns", max_retries=0) as client, pytest.raises(HatTimeoutError):
        client.system.profile(timeout=1)


@pytest.mark.anyio
async def test_a_server_trickling_its_headers_cannot_outlast_the_timeout_async(
    hostile: tuple[str, list[int]],
) -> None:
    url, _ = hostile
    async with AsyncHatClient(_owner(url), "ns", max_retries=0) as client:
        with pytest.raises(HatTimeoutError):
            await client.system.profile(timeout=1)


@pytest.mark.parametrize("cache_ttl", [None, 60.0], ids=["login", "login-for-the-cache"])
def test_a_login_trickling_its_headers_cannot_outlast_the_timeout(
    trickling_login: str, cache_ttl: float | None
) -> None:
    with (
        HatClient(_owner(trickling_login), "ns", max_retries=0, cache_ttl=cache_ttl) as client,
        pytest.raises(HatTimeoutError),
    ):
        client.data_debits.list(timeout=1)


@pytest.mark.anyio
@pytest.mark.parametrize("cache_ttl", [None, 60.0], ids=["login", "login-for-the-cache"])
async def test_a_login_trickling_its_headers_cannot_outlast_the_timeout_async(
    trickling_login: str, cache_ttl: float | None
) -> None:
    async with AsyncHatClient(
        _owner(trickling_login), "ns", max_retries=0, cache_ttl=cache_ttl
    ) as client:
        with pytest.raises(HatTimeoutError):
            await client.data_debits.list(timeout=1)


def test_the_cli_s_http_client_keeps_the_call_s_deadline(hostile: tuple[str, list[int]]) -> None:
    from hat_sdk._core.deadline import answer_by
    from hat_sdk.cli._settings import http_client

    url, _ = hostile
    with http_client() as http, answer_by(1), pytest.raises(httpx.ReadTimeout):
        http.get(f"{url}/api/v2.6/phata/profile")


def test_a_decompression_bomb_is_not_inflated(hostile: tuple[str, list[int]]) -> None:
    url, _ = hostile
    with (
        HatClient(_owner(url), "ns", max_response_bytes=1024 * 1024) as client,
        pytest.raises(ResponseTooLargeError),
    ):
        client.system.api_health()


@pytest.mark.anyio
async def test_a_decompression_bomb_is_not_inflated_async(hostile: tuple[str, list[int]]) -> None:
    url, _ = hostile
    async with AsyncHatClient(_owner(url), "ns", max_response_bytes=1024 * 1024) as client:
        with pytest.raises(ResponseTooLargeError):
            await client.system.api_health()


@pytest.mark.anyio
async def test_an_answer_compressed_twice_is_refused_before_inflating(
    hostile: tuple[str, list[int]],
) -> None:
    # httpx would inflate each read through both layers at once, past any size budget.
    url, _ = hostile
    tracemalloc.start()
    try:
        with (
            HatClient(_owner(url), "ns", max_retries=0) as client,
            pytest.raises(HatConnectionError, match="compressed 2 times"),
        ):
            client.system.version()
        async with AsyncHatClient(_owner(url), "ns", max_retries=0) as aclient:
            with pytest.raises(HatConnectionError, match="compressed 2 times"):
                await aclient.system.version()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_the_cli_s_own_calls_are_bounded_as_the_client_s() -> None:
    from hat_sdk.cli._raw import list_sources

    key = private_key("hat")

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/users/access_token":
            token = rs256(owner_claims("127.0.0.1:9"), key)
            return httpx.Response(200, json={"accessToken": token})
        if request.url.path == "/publickey":
            return httpx.Response(200, text=public_pem(key))
        body = gzip.compress(BOMB_INSIDE)  # /api/v2.6/data/sources, compressed twice
        return httpx.Response(200, content=body, headers={"Content-Encoding": "gzip, gzip"})

    owner = ApiOwnerToken(SimpleCredential("u", "p"), hat_url="http://127.0.0.1:9")
    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        pytest.raises(HatConnectionError, match="compressed 2 times"),
    ):
        list_sources(http, owner)


def test_a_huge_public_key_answer_is_not_read_whole(hostile: tuple[str, list[int]]) -> None:
    # The key's URL comes from the token's own issuer: its answer is bounded tightly.
    url, _ = hostile
    with pytest.raises(ResponseTooLargeError):
        _owner(url).access_token()


@pytest.mark.anyio
async def test_a_huge_public_key_answer_is_not_read_whole_async(
    hostile: tuple[str, list[int]],
) -> None:
    url, _ = hostile
    async with AsyncHatClient(_owner(url), "ns") as client:
        with pytest.raises(ResponseTooLargeError):
            await client.get(Note, "notes")
