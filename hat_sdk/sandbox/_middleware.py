"""ASGI middleware: test knobs, the request-target length limit and sliding token refresh."""

from __future__ import annotations

import asyncio
import contextlib
import json

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hat_sdk.sandbox._knobs import DROPPED, FaultKind, Knobs, LoggedRequest

_TOKEN_HEADER = b"x-auth-token"


async def _discard(message: Message) -> None:
    """Swallow the messages of a response that a fault replaces."""


def _fault_response(kind: FaultKind) -> tuple[int, bytes, bytes]:
    if kind == "500":
        body = json.dumps(
            {"error": "Internal Server error", "message": "Server error occurred: injected"},
            separators=(",", ":"),
        )
        return 500, body.encode(), b"application/json"
    return 503, b"Service Unavailable", b"text/plain; charset=utf-8"


async def _send_fault(kind: FaultKind, send: Send) -> None:
    if kind == "drop":
        # Announce a body that never comes: the server then closes the connection mid-response,
        # which clients see as a protocol error with no usable response.
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]}
        )
        return
    status, body, content_type = _fault_response(kind)
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_stalled(receive: Receive, send: Send, messages: list[Message], hang: float) -> None:
    """Send a response's head and half its body, then hang until the client disconnects or
    ``hang`` seconds pass; the connection then closes without the rest."""
    start, *parts = messages
    body = b"".join(part.get("body", b"") for part in parts)
    await send(start)
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(hang):
            while (await receive())["type"] != "http.disconnect":
                pass


class KnobsMiddleware:
    """Applies latency, stalls and injected faults, and logs every request with the status sent.

    A request is logged as its response starts, so the log is complete by the time a client has
    read the response.
    """

    def __init__(self, app: ASGIApp, knobs: Knobs) -> None:
        self.app = app
        self.knobs = knobs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        def log(status: int) -> None:
            self.knobs.log(LoggedRequest(scope["method"], scope["path"], status))

        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                log(message["status"])
            await send(message)

        latency = self.knobs.latency
        if latency > 0:
            await asyncio.sleep(latency)
        stall = self.knobs.stall
        if stall > 0:
            messages: list[Message] = []

            async def collect(message: Message) -> None:
                messages.append(message)

            await self.app(scope, receive, collect)
            await _send_stalled(receive, logging_send, messages, stall)
            return
        plan = self.knobs.plan_fault()
        if plan is None:
            await self.app(scope, receive, logging_send)
            return
        if plan.after_handler:
            await self.app(scope, receive, _discard)
        if plan.kind == "drop":
            log(DROPPED)
            await _send_fault(plan.kind, send)
        else:
            await _send_fault(plan.kind, logging_send)


MAX_URI_LENGTH = 2048
"""Akka HTTP's default ``akka.http.parsing.max-uri-length = 2k``; the HAT's configuration
(``hat/conf/*.conf``) does not change it."""

_URI_TOO_LONG = f"URI length exceeds the configured limit of {MAX_URI_LENGTH} characters".encode()


def request_target_length(scope: Scope) -> int:
    """Bytes of the request target as sent: the raw path plus ``?`` and the query string."""
    path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    return len(path) + (1 + len(query) if query else 0)


class UriLengthMiddleware:
    """414 for a request target over ``MAX_URI_LENGTH`` bytes, before any route runs.

    Akka HTTP's request parser refuses it with its own plain-text error and closes the
    connection; Play and the HAT never see the request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or request_target_length(scope) <= MAX_URI_LENGTH:
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-type", b"text/plain; charset=UTF-8"),
            (b"content-length", str(len(_URI_TOO_LONG)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 414, "headers": headers})
        await send({"type": "http.response.body", "body": _URI_TOO_LONG})


class HatGzipMiddleware:
    """The HAT runs Play's GzipFilter ([HAT] ``hat/conf/play.conf:91``, which sets no
    play.filters.gzip options): every non-empty answer is gzipped whenever the client accepts
    it (Play's filter has no size threshold), at Play's default compressionLevel -1, zlib's
    level 6. Storage answers (paths under
    ``storage_prefix``, the S3 stand-in) are sent as stored, as S3 sends them: S3 never
    compresses."""

    def __init__(self, app: ASGIApp, *, storage_prefix: str) -> None:
        self.app = app
        self._storage_prefix = storage_prefix
        # starlette's own default level, 9, costs five times the CPU for a 10 % smaller page.
        self._gzip = GZipMiddleware(app, minimum_size=1, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self._storage_prefix + "/"):
            await self.app(scope, receive, send)
        else:
            await self._gzip(scope, receive, send)


class RefreshTokenMiddleware:
    """Adds ``X-Auth-Token: <refreshed token>`` to responses of authenticated requests.

    Handlers (via ``_auth``) leave the re-signed token in ``request.state.refreshed_token``.
    Responses that already carry a token (logins) and 500s (uncaught failures on the real
    server) are left alone.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def refreshing_send(message: Message) -> None:
            token = scope.get("state", {}).get("refreshed_token")
            if message["type"] == "http.response.start" and token and message["status"] != 500:
                headers = list(message.get("headers", []))
                if all(name.lower() != _TOKEN_HEADER for name, _ in headers):
                    headers.append((_TOKEN_HEADER, token.encode("ascii")))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, refreshing_send)
