"""The sans-IO request/response protocol shared by the sync and async clients.

Operations are generators that yield ``Call`` s and receive ``Reply`` s. ``with_retries``
turns such an operation into a generator of primitive ``Send``/``Sleep`` actions, which the
small sync and async drivers (``_drivers``) perform. All decisions live here or in the
operations; the drivers only do I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeAlias, TypeVar

import httpx

from hat_sdk._core.cache import CacheKeys
from hat_sdk._core.retry import RetryPolicy, surely_unsent
from hat_sdk.errors import safe_url

T = TypeVar("T")
logger = logging.getLogger("hat_sdk.client")

__all__ = [
    "Action",
    "Call",
    "Flow",
    "Operation",
    "Reply",
    "Send",
    "Sink",
    "Sleep",
    "answer",
    "exchange",
    "stopped_within",
    "with_retries",
]


@dataclass(frozen=True, slots=True)
class Call:
    """One logical HTTP exchange an operation needs.

    ``reads``: the endpoint (``"ns/ep"``) whose cached reads may answer it (None: never
    cached). ``writes``: endpoints whose cached reads it makes stale (``"*"``: all of them).
    ``sink``: where a successful answer's body goes, chunk by chunk, instead of memory.
    """

    request: httpx.Request
    reads: str | None = None
    writes: frozenset[str] = field(default_factory=frozenset)
    sink: Sink | None = None


class Sink(Protocol):
    """Receives a large answer's body as it arrives (e.g. a file on disk)."""

    def start(self, total: int | None) -> None:
        """A new attempt begins (drop anything written before); ``total``: its length."""

    def write(self, chunk: bytes) -> None:
        """The next chunk of the body."""


@dataclass(frozen=True, slots=True)
class Reply:
    """How a ``Call`` ended after retries: a response, or the transport error that ended it.

    ``maybe_applied_before``: an earlier attempt may have taken effect on the server although
    its answer was lost (so e.g. a repeated DELETE can find its records already gone).
    ``attempts``: how many times the request was tried, retries included.
    """

    response: httpx.Response | None
    error: httpx.TransportError | None
    maybe_applied_before: bool
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class Send:
    """Primitive action: send ``request`` once (through the read cache under ``cache_key``;
    a successful answer's body into ``sink`` when given)."""

    request: httpx.Request
    cache_key: str | None = None
    sink: Sink | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    """Primitive action: wait ``seconds`` before the next attempt."""

    seconds: float


Action: TypeAlias = Send | Sleep
#: What performing an action gives back: a fully read response, a transport error, or None.
Outcome: TypeAlias = httpx.Response | httpx.TransportError | None
#: A HAT operation: yields the calls it needs, returns its result.
Operation: TypeAlias = Generator[Call, Reply, T]
#: An operation with retries (and cache keys) applied: yields primitive actions for a driver.
Flow: TypeAlias = Generator[Action, Outcome, T]


def answer(call: Call) -> Operation[Reply]:
    """The operation of one call whose reply is the result, as is (success or not)."""
    return (yield call)


def with_retries(operation: Operation[T], policy: RetryPolicy, keys: CacheKeys | None) -> Flow[T]:
    """Run ``operation``, performing each of its calls with retries; return its result."""
    try:
        call = next(operation)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    while True:
        key = keys.key_for(call.request, call.reads) if keys is not None else None
        try:
            reply = yield from exchange(call, policy, key)
        except GeneratorExit:
            raise
        except BaseException as stopped:  # from the driver (``stopped_within``), or exchange
            with suppress(StopIteration):
                operation.throw(stopped)
            raise
        finally:
            if keys is not None:
                keys.invalidate(call.writes)
        try:
            call = operation.send(reply)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def stopped_within(flow: Flow[Any], stopped: BaseException) -> NoReturn:
    """Raise ``stopped``, which the driver met instead of an HTTP outcome (a local failure,
    a progress callback's error, Ctrl-C, a cancellation), inside ``flow``'s operation first, so
    that it may say what its earlier steps leave done (an upload, its uncompleted entry)."""
    flow.throw(stopped)
    raise stopped  # not reached: ``with_retries`` raises it again whatever the operation does


def exchange(call: Call, policy: RetryPolicy, cache_key: str | None = None) -> Flow[Reply]:
    """Send ``call`` until it succeeds, fails for good, or the retry budget is spent."""
    method = call.request.method
    maybe_applied = False
    attempt = 0
    while True:
        outcome = yield Send(call.request, cache_key, call.sink)
        if isinstance(outcome, httpx.TransportError):
            delay = policy.delay_after_error(method, outcome, attempt)
            if delay is None:
                return Reply(None, outcome, maybe_applied, attempt + 1)
            maybe_applied = maybe_applied or not surely_unsent(outcome)
        elif isinstance(outcome, httpx.Response):
            delay = policy.delay_after_response(method, outcome, attempt)
            if delay is None:
                return Reply(outcome, None, maybe_applied, attempt + 1)
            # A 5xx may come from a proxy after the HAT has already done the work.
            maybe_applied = maybe_applied or outcome.status_code >= 500
        else:  # pragma: no cover - drivers always answer a Send with an outcome
            raise TypeError(f"expected a response or transport error, got {outcome!r}")
        reason = type(outcome).__name__ if isinstance(outcome, Exception) else outcome.status_code
        logger.info(
            "Retrying %s %s in %.2f s after %s (retry %d of %d)",
            method,
            safe_url(call.request.url),
            delay,
            reason,
            attempt + 1,
            policy.max_retries,
        )
        yield Sleep(delay)
        attempt += 1
