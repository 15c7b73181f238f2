"""Bounds on every answer: its size once decoded, and a deadline for the whole of it.

httpx's timeouts bound each network operation, so a server that trickles a byte every few
seconds never trips them, and a small gzip body may inflate to gigabytes. A ``Budget``
is taken once per request: the drivers feed it each decoded chunk and it raises as soon as the
answer is too large or too late. It is pure (the clock is passed in), so both drivers share it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from hat_sdk.errors import ResponseTooLargeError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "PROGRESS",
    "TOKEN_ANSWER_BYTES",
    "TRANSFER",
    "Budget",
    "aread_within",
    "deadline_seconds",
    "decoded_length",
    "read_within",
]

#: Far above any HAT answer (a page of 1,000 records is a few MB), far below a memory exhaustion.
DEFAULT_MAX_RESPONSE_BYTES = 100 * 1024 * 1024
#: Login, application-token and public-key answers are a few KB; the key URL comes from the
#: token's own issuer, so its answer is bounded tightly.
TOKEN_ANSWER_BYTES = 1024 * 1024
#: Request extension marking a request that sends file content: a large file may take its
#: time, so its timeouts bound each network operation, not the whole exchange.
TRANSFER = "hat_sdk.transfer"
#: Request extension: ``progress(received, total)``, called as the answer's body arrives
#: (``total`` 0 when the headers do not tell the size); each attempt starts again at 0.
PROGRESS = "hat_sdk.progress"


def deadline_seconds(request: httpx.Request) -> float | None:
    """The read timeout of ``request`` (what ``timeout=`` set), which also bounds its answer;
    None for a ``TRANSFER``."""
    if request.extensions.get(TRANSFER):
        return None
    timeouts = request.extensions.get("timeout") or {}
    read = timeouts.get("read")
    return float(read) if read is not None else None


@dataclass
class Budget:
    """What one answer may still take: ``max_bytes`` decoded bytes, until ``deadline``."""

    request: httpx.Request
    max_bytes: int
    started: float = field(default_factory=time.monotonic)
    received: int = 0

    @property
    def seconds(self) -> float | None:
        """How long the whole answer may take (None: no deadline)."""
        return deadline_seconds(self.request)

    def take(self, chunk: bytes, now: float | None = None) -> None:
        """Account for ``chunk``; raise if the answer is over its size or past its deadline."""
        self.received += len(chunk)
        if self.received > self.max_bytes:
            raise ResponseTooLargeError(
                f"The answer is over {self.max_bytes} bytes once decoded, so it was not read"
                " further. Raise max_response_bytes on the client if this answer is expected.",
                method=self.request.method,
                url=str(self.request.url),
            )
        seconds = self.seconds
        elapsed = (time.monotonic() if now is None else now) - self.started
        if seconds is not None and elapsed > seconds:
            raise httpx.ReadTimeout(
                f"the answer took over {seconds:g} s in all (timeout)", request=self.request
            )


def refuse_stacked_encoding(response: httpx.Response) -> None:
    """Refuse (``httpx.DecodingError``) an answer compressed more than once, e.g.
    ``Content-Encoding: gzip, gzip``: httpx inflates each network read through every layer at
    once, so a few kilobytes can take gigabytes before a budget sees them. The HAT compresses
    once (Play's GzipFilter), and one layer inflates a read at most about a thousand times."""
    codings = [
        coding.strip().lower()
        for coding in response.headers.get_list("content-encoding", split_commas=True)
    ]
    codings = [coding for coding in codings if coding not in ("", "identity")]
    if len(codings) > 1:
        raise httpx.DecodingError(
            f"the answer is compressed {len(codings)} times ({', '.join(codings)}); hat-sdk"
            " reads answers compressed once",
            request=response.request,
        )


def decoded_length(response: httpx.Response) -> int | None:
    """The decoded length of ``response``'s body, when its headers tell it."""
    length = response.headers.get("content-length")
    if length is None or not length.isdigit() or response.headers.get("content-encoding"):
        return None
    return int(length)


def _reporter(response: httpx.Response) -> Callable[[int], None]:
    """What to call with the bytes received so far: the request's ``PROGRESS``, if any."""
    progress = response.request.extensions.get(PROGRESS)
    if progress is None or not response.is_success:  # a redirect's or error's body is not it
        return lambda _received: None
    total = decoded_length(response) or 0
    progress(0, total)
    return lambda received: progress(received, total)


def read_within(response: httpx.Response, budget: Budget) -> None:
    """Read ``response``'s body within ``budget`` (as ``response.read()`` would, bounded,
    reporting the request's ``PROGRESS``), then close it."""
    chunks: list[bytes] = []
    try:
        refuse_stacked_encoding(response)
        report = _reporter(response)
        for chunk in response.iter_bytes():
            budget.take(chunk)
            chunks.append(chunk)
            report(budget.received)
    finally:
        response.close()
    response._content = b"".join(chunks)  # what httpx's own read() sets


async def aread_within(response: httpx.Response, budget: Budget) -> None:
    """Async ``read_within``."""
    chunks: list[bytes] = []
    try:
        refuse_stacked_encoding(response)
        report = _reporter(response)
        async for chunk in response.aiter_bytes():
            budget.take(chunk)
            chunks.append(chunk)
            report(budget.received)
    finally:
        await response.aclose()
    response._content = b"".join(chunks)
