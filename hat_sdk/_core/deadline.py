"""A deadline for the whole of a sync call, the wait for its answer's headers included.

httpx's timeouts bound each network operation, so a server that sends its status line and
headers a byte at a time never trips them. Async calls are cancelled at their deadline
(``anyio.fail_after``); a blocking socket cannot be, so the sync client's sockets take their
deadline from the call instead: every read, write and connect waits at most until the
deadline of the call under way in this thread (``answer_by``), then fails as a timeout.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpcore
    import httpx

__all__ = ["answer_by", "with_deadlines", "within"]

_deadline: ContextVar[float | None] = ContextVar("hat_sdk_deadline", default=None)


@contextlib.contextmanager
def answer_by(seconds: float | None) -> Iterator[None]:
    """Bound every socket wait in this block to ``seconds`` in all (None: no deadline)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def within(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    """``timeout`` shortened to what the deadline leaves; ``error`` once it has passed."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the call took longer than its timeout in all")
    return left if timeout is None else min(timeout, left)


def with_deadlines(client: httpx.Client) -> httpx.Client:
    """``client``, its connections (direct and through proxies) keeping ``answer_by``'s
    deadlines. Only for clients hat-sdk creates: it reaches into httpx's transports (httpx
    offers no public way to choose their network backend); a transport of another kind is
    left as it is."""
    from hat_sdk._core.deadline_sockets import DeadlineBackend

    for transport in (client._transport, *client._mounts.values()):
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, DeadlineBackend):
            pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
    return client
