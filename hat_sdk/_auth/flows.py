"""Sans-I/O steps of the token flows and the two drivers that run them (sync and async).

A flow is a generator shared by sync and async code. It yields

* an ``httpx.Request`` to send (it receives the ``httpx.Response``),
* ``Lock`` / ``Unlock`` to enter or leave a critical section of a ``DualLock``,
* ``hat_sdk._core.exchange.Sleep`` to wait (login rate-limit backoff), the engine's own
  sleep action.

The drivers differ only in how they lock, sleep and read bodies: a ``threading.Lock`` and
``time.sleep`` for sync clients, a per-event-loop ``anyio.Lock`` and ``anyio.sleep`` for async
ones, so async clients run under asyncio and trio alike. Everything else (login, verification,
refresh, retry) lives once, in the flows.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import httpx

from hat_sdk._core.exchange import Sleep
from hat_sdk._core.limits import TOKEN_ANSWER_BYTES, Budget, aread_within, read_within
from hat_sdk.errors import HatNotFoundError

if TYPE_CHECKING:  # anyio is imported by async code only: blocking clients never load it
    import anyio

T = TypeVar("T")


class DualLock:
    """One critical section usable from threads (sync) and from tasks of any event loop (async).

    Sync callers share a ``threading.Lock``; async callers share an ``anyio.Lock`` per event loop
    (asyncio's or trio's: a lock is bound to one loop). Sync and async callers do not exclude
    each other.
    """

    def __init__(self) -> None:
        self.thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[object, anyio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._guard = threading.Lock()

    def loop_lock(self) -> anyio.Lock:
        """The lock of the running event loop (asyncio or trio)."""
        import anyio.lowlevel

        loop = anyio.lowlevel.current_token().native_token
        with self._guard:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = anyio.Lock()
            return lock


@dataclass(frozen=True)
class Lock:
    """Step: enter the critical section of ``lock`` (wait while another caller is inside)."""

    lock: DualLock


@dataclass(frozen=True)
class Unlock:
    """Step: leave the critical section of ``lock``."""

    lock: DualLock


Step = httpx.Request | Lock | Unlock | Sleep
Flow = Generator[Step, httpx.Response, T]
"""A shared flow returning ``T``; send it the response of every request it yields."""


def _bounded_like(request: httpx.Request, user_request: httpx.Request | None) -> None:
    """Give the flow's own ``request`` the timeouts of the call it serves: httpx sets none on
    the requests an auth flow yields, which would wait for a silent HAT for ever."""
    timeout = user_request.extensions.get("timeout") if user_request is not None else None
    if timeout is not None and "timeout" not in request.extensions:
        request.extensions = {**request.extensions, "timeout": timeout}


def drive_sync(
    flow: Flow[object], user_request: httpx.Request | None
) -> Generator[httpx.Request, httpx.Response, None]:
    """Run ``flow`` for a sync client: yields only requests; bodies of the flow's own requests
    (everything but ``user_request``) are read before the flow sees them."""
    held: list[threading.Lock] = []
    try:
        if user_request is not None:
            user_request.read()  # a 401 retry re-sends the body
        step = next(flow)
        while True:
            if isinstance(step, httpx.Request):
                _bounded_like(step, user_request)
                response = yield step
                if step is not user_request or response.status_code == 401:
                    # A 401 is followed by a renewal that may wait for other callers: give
                    # its connection back to the pool first, or waiting callers can hold them all.
                    read_within(response, Budget(response.request, TOKEN_ANSWER_BYTES))
                if step is not user_request:
                    refuse_redirect(response)
                step = flow.send(response)
                continue
            if isinstance(step, Lock):
                step.lock.thread_lock.acquire()
                held.append(step.lock.thread_lock)
            elif isinstance(step, Unlock):
                held.remove(step.lock.thread_lock)
                step.lock.thread_lock.release()
            else:
                time.sleep(step.seconds)
            step = next(flow)
    except StopIteration:
        return
    finally:
        for lock in reversed(held):
            lock.release()
        flow.close()


async def drive_async(
    flow: Flow[object], user_request: httpx.Request | None
) -> AsyncGenerator[httpx.Request, httpx.Response]:
    """Run ``flow`` for an async client; the async twin of ``drive_sync``."""
    import anyio

    held: list[anyio.Lock] = []
    try:
        if user_request is not None:
            await user_request.aread()
        step = next(flow)
        while True:
            if isinstance(step, httpx.Request):
                _bounded_like(step, user_request)
                response = yield step
                if step is not user_request or response.status_code == 401:
                    await aread_within(
                        response, Budget(response.request, TOKEN_ANSWER_BYTES)
                    )  # see drive_sync
                if step is not user_request:
                    refuse_redirect(response)
                step = flow.send(response)
                continue
            if isinstance(step, Lock):
                lock = step.lock.loop_lock()
                await lock.acquire()
                held.append(lock)
            elif isinstance(step, Unlock):
                lock = step.lock.loop_lock()
                held.remove(lock)
                lock.release()
            else:
                await anyio.sleep(step.seconds)
            step = next(flow)
    except StopIteration:
        return
    finally:
        for lock in reversed(held):
            lock.release()
        flow.close()


def refuse_redirect(response: httpx.Response) -> None:
    """Raise if a login or token request was answered with a redirect.

    Such requests carry the password or a token in their headers, which httpx would copy to
    wherever the redirect points; they are sent with ``follow_redirects=False`` and a redirect
    is an error naming the host it pointed to (never the whole URL: it may hold secrets).
    """
    if not response.has_redirect_location:
        return
    target = response.request.url.join(response.headers["Location"]).host
    raise HatNotFoundError(
        f"The HAT answered a login or token request with a redirect (HTTP "
        f"{response.status_code}) to {target or 'an invalid address'}; hat-sdk never sends "
        "passwords or tokens on to a redirect. Use the HAT's own URL.",
        status_code=response.status_code,
        method=response.request.method,
        url=str(response.request.url),
    )


def run_sync(flow: Flow[object], client: httpx.Client) -> None:
    """Run a flow that has no user request (e.g. fetching a token) with ``client``."""
    driver = drive_sync(flow, None)
    try:
        request = next(driver)
        while True:
            # auth=None: the flow's own requests carry exactly the headers it set; they never
            # follow redirects, whatever the client's setting (see refuse_redirect).
            response = client.send(request, auth=None, follow_redirects=False, stream=True)
            request = driver.send(response)
    except StopIteration:
        return
    finally:
        driver.close()


async def run_async(flow: Flow[object], client: httpx.AsyncClient) -> None:
    """Async twin of ``run_sync``."""
    driver = drive_async(flow, None)
    try:
        request = await anext(driver)
        while True:
            response = await client.send(request, auth=None, follow_redirects=False, stream=True)
            request = await driver.asend(response)
    except StopAsyncIteration:
        return
    finally:
        await driver.aclose()
