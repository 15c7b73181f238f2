"""The sync and async drivers: the only code that sends requests and sleeps.

They run an operation through ``with_retries`` and perform its primitive actions; cached
reads go through a hishel cache transport stacked *above* the user's httpx client (so the
client's auth, transport and limits stay in force on a miss).
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from types import ModuleType
from typing import TYPE_CHECKING, Protocol, Self, TypeVar

import httpx

from hat_sdk._core.cache import ALL_ENDPOINTS, CacheKeys
from hat_sdk._core.deadline import answer_by
from hat_sdk._core.exchange import (
    Call,
    Operation,
    Outcome,
    Send,
    Sink,
    Sleep,
    answer,
    stopped_within,
    with_retries,
)
from hat_sdk._core.limits import (
    DEFAULT_MAX_RESPONSE_BYTES,
    Budget,
    aread_within,
    deadline_seconds,
    decoded_length,
    read_within,
    refuse_stacked_encoding,
)
from hat_sdk._core.retry import RetryPolicy, token_request_failed
from hat_sdk._core.scrub import SECRET_HEADERS, scrub_exception
from hat_sdk._core.wire import ANONYMOUS, TOKEN_HEADER

if TYPE_CHECKING:
    from hishel.httpx import AsyncCacheTransport, CacheTransport

__all__ = [
    "AsyncDriver",
    "AsyncDriverTransport",
    "SyncDriver",
    "SyncDriverTransport",
    "TokenAuth",
]

T = TypeVar("T")


class Token(Protocol):
    """What the drivers need of a HAT token (``hat_sdk.HatToken`` is one)."""

    @property
    def claims(self) -> object | None:
        """The verified claims, None before the first login."""

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        """Send ``request`` with the token (httpx auth flow)."""

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Send ``request`` with the token (httpx auth flow)."""

    def access_token(self, client: httpx.Client | None = None) -> str:
        """Log in (or renew) if needed; the token's value."""

    async def aaccess_token(self, client: httpx.AsyncClient | None = None) -> str:
        """Async ``access_token``."""


class TokenAuth(httpx.Auth):
    """The client's token, except on requests marked anonymous (sent with no token at all:
    the HAT refuses a token on some routes, and storage hosts must never see it)."""

    def __init__(self, token: Token) -> None:
        self.token = token

    # Not generators themselves: httpx closes the flow it is given when a send fails, so it
    # must be the token's own, which then releases the locks it holds.
    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        if request.extensions.get(ANONYMOUS):
            return _anonymous(request)
        return self.token.sync_auth_flow(request)

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if request.extensions.get(ANONYMOUS):
            return _anonymous_async(request)
        return self.token.async_auth_flow(request)


def _anonymous(request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
    request.headers.pop(TOKEN_HEADER, None)
    yield request


async def _anonymous_async(request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
    request.headers.pop(TOKEN_HEADER, None)
    yield request


def _anyio() -> ModuleType:
    """anyio, imported by async code only: blocking clients never load it."""
    import anyio

    return anyio


def _sunk(response: httpx.Response) -> httpx.Response:
    """``response`` whose body went to a sink: read, and empty in memory."""
    response._content = b""  # what httpx's own read() sets
    return response


def _with_cache_key(action: Send) -> httpx.Request:
    request = action.request
    request.extensions = {**request.extensions, "caching": {"key": action.cache_key}}
    return request


def _unauthenticated_copy(request: httpx.Request) -> httpx.Request:
    # Auth adds the token to the request it sends; sending a copy keeps it out of the cached
    # request (cached reads are GETs, so there is no body to copy).
    return httpx.Request(
        request.method, request.url, headers=request.headers.copy(), extensions=request.extensions
    )


def _without_secrets(response: httpx.Response) -> httpx.Response:
    # The auth flow has already adopted the refreshed token; the cache must keep no secret
    # header (a session cookie too), as it writes answers to disk.
    for name in SECRET_HEADERS:
        response.headers.pop(name, None)
    return response


def _redirect_to_follow(
    http: httpx.Client | httpx.AsyncClient, response: httpx.Response
) -> httpx.Request | None:
    """The next hop of a redirect, if the http client is set to follow redirects.

    The drivers follow redirects themselves so that every hop goes through the token's auth,
    which sends the token only to its own HAT; httpx would copy ``X-Auth-Token`` onto a
    redirect to any host.
    """
    return response.next_request if http.follow_redirects else None


def _protocol_error(error: httpx.DecodingError) -> httpx.TransportError:
    """A body its ``Content-Encoding`` cannot decode, as the protocol error it is (so that
    retries and unknown POST outcomes treat it like any broken response)."""
    return httpx.RemoteProtocolError(f"undecodable response body: {error}", request=error.request)


class _SendVia(httpx.BaseTransport):
    """Hands requests to a client's ``send`` (the next transport under the cache), keeping
    tokens out of what the cache stores."""

    def __init__(self, send: Callable[[httpx.Request], httpx.Response]) -> None:
        self._send = send

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return _without_secrets(self._send(_unauthenticated_copy(request)))


class _AsyncSendVia(httpx.AsyncBaseTransport):
    """Hands requests to an async client's ``send`` (the next transport under the cache),
    keeping tokens out of what the cache stores."""

    def __init__(self, send: Callable[[httpx.Request], Awaitable[httpx.Response]]) -> None:
        self._send = send

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return _without_secrets(await self._send(_unauthenticated_copy(request)))


class SyncDriver:
    """Performs operations with an ``httpx.Client``: retries, sleeping, the read cache."""

    def __init__(
        self,
        http: httpx.Client,
        auth: TokenAuth,
        policy: RetryPolicy,
        keys: CacheKeys | None = None,
        cache: Callable[[httpx.BaseTransport], CacheTransport] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.http = http
        self.policy = policy
        self.keys = keys
        self.max_response_bytes = max_response_bytes
        self._auth = auth
        self._cache = cache(_SendVia(self._send_uncached)) if cache is not None else None

    def with_policy(self, policy: RetryPolicy) -> Self:
        """A driver like this one (same http client, auth, cache) with another retry policy."""
        clone = copy.copy(self)
        clone.policy = policy
        return clone

    def run(self, operation: Operation[T]) -> T:
        """Run ``operation`` to completion and return its result."""
        flow = with_retries(operation, self.policy, self.keys)
        outcome: Outcome = None
        while True:
            try:
                action = flow.send(outcome)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            try:
                if isinstance(action, Sleep):
                    time.sleep(action.seconds)
                    outcome = None
                else:
                    outcome = self._send(action)
            except BaseException as stopped:
                stopped_within(flow, stopped)

    def _send(self, action: Send) -> Outcome:
        try:
            if action.cache_key is None or self._cache is None:
                return self._send_uncached(action.request, action.sink)
            if self._auth.token.claims is None:  # only a token the HAT verified reads the cache
                with answer_by(deadline_seconds(action.request)):
                    self._auth.token.access_token(self.http)
            response = self._cache.handle_request(_with_cache_key(action))
            response.request = action.request
            response.read()
            return response
        except httpx.DecodingError as error:
            return _protocol_error(error)
        except httpx.TransportError as error:
            return token_request_failed(error)

    def _send_uncached(self, request: httpx.Request, sink: Sink | None = None) -> httpx.Response:
        response = self._send_one(request, sink)
        for _ in range(self.http.max_redirects):
            hop = _redirect_to_follow(self.http, response)
            if hop is None:
                break
            response = self._send_one(hop, sink)
        return response

    def _send_one(self, request: httpx.Request, sink: Sink | None = None) -> httpx.Response:
        """Send ``request`` and read its answer within its size and time budget (a successful
        answer with a ``sink`` goes there instead, in bounded memory). On a client hat-sdk
        created, the deadline also bounds the wait for the answer's headers (``deadline``)."""
        budget = Budget(request, self.max_response_bytes)
        with answer_by(budget.seconds):
            response = self.http.send(request, auth=self._auth, follow_redirects=False, stream=True)
            if sink is None or not response.is_success:
                read_within(response, budget)
                return response
        try:
            refuse_stacked_encoding(response)
            sink.start(decoded_length(response))
            for chunk in response.iter_bytes():
                sink.write(chunk)
        finally:
            response.close()
        return _sunk(response)

    def close(self) -> None:
        """Release the cache storage (the http client is closed by its owner)."""
        if self._cache is not None:
            self._cache.close()
        if self.keys is not None:
            self.keys.close()


class AsyncDriver:
    """Performs operations with an ``httpx.AsyncClient``: retries, sleeping, the read cache."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        auth: TokenAuth,
        policy: RetryPolicy,
        keys: CacheKeys | None = None,
        cache: Callable[[httpx.AsyncBaseTransport], AsyncCacheTransport] | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.http = http
        self.policy = policy
        self.keys = keys
        self.max_response_bytes = max_response_bytes
        self._auth = auth
        self._cache = cache(_AsyncSendVia(self._send_uncached)) if cache is not None else None

    def with_policy(self, policy: RetryPolicy) -> Self:
        """A driver like this one (same http client, auth, cache) with another retry policy."""
        clone = copy.copy(self)
        clone.policy = policy
        return clone

    async def run(self, operation: Operation[T]) -> T:
        """Run ``operation`` to completion and return its result."""
        flow = with_retries(operation, self.policy, self.keys)
        outcome: Outcome = None
        while True:
            try:
                action = flow.send(outcome)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            try:
                if isinstance(action, Sleep):
                    await _anyio().sleep(action.seconds)
                    outcome = None
                else:
                    outcome = await self._send(action)
            except BaseException as stopped:
                stopped_within(flow, stopped)

    async def _send(self, action: Send) -> Outcome:
        try:
            if action.cache_key is None or self._cache is None:
                return await self._send_uncached(action.request, action.sink)
            if self._auth.token.claims is None:  # only a token the HAT verified reads the cache
                await self._logged_in_by(deadline_seconds(action.request), action.request)
            response = await self._cache.handle_async_request(_with_cache_key(action))
            response.request = action.request
            await response.aread()
            return response
        except httpx.DecodingError as error:
            return _protocol_error(error)
        except httpx.TransportError as error:
            return token_request_failed(error)

    async def _logged_in_by(self, seconds: float | None, request: httpx.Request) -> None:
        """Log in (the cache's first read needs a verified token) within ``seconds``."""
        try:
            with _anyio().fail_after(seconds):
                await self._auth.token.aaccess_token(self.http)
        except TimeoutError:
            raise httpx.ReadTimeout(
                f"the login took over {seconds:g} s (timeout)", request=request
            ) from None

    async def _send_uncached(
        self, request: httpx.Request, sink: Sink | None = None
    ) -> httpx.Response:
        response = await self._send_one(request, sink)
        for _ in range(self.http.max_redirects):
            hop = _redirect_to_follow(self.http, response)
            if hop is None:
                break
            response = await self._send_one(hop, sink)
        return response

    async def _send_one(self, request: httpx.Request, sink: Sink | None = None) -> httpx.Response:
        """Send ``request`` and read its answer within its size and time budget (the deadline
        also bounds the wait for the answer's headers, which only async code can cancel; a
        successful answer with a ``sink`` goes there instead, in bounded memory)."""
        budget = Budget(request, self.max_response_bytes)
        try:
            with _anyio().fail_after(budget.seconds) as scope:
                response = await self.http.send(
                    request, auth=self._auth, follow_redirects=False, stream=True
                )
                if sink is None or not response.is_success:
                    await aread_within(response, budget)
                    return response
                scope.deadline = math.inf  # a large file may take its time
                try:
                    refuse_stacked_encoding(response)
                    sink.start(decoded_length(response))
                    async for chunk in response.aiter_bytes():
                        sink.write(chunk)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise httpx.ReadTimeout(
                f"the answer took over {budget.seconds:g} s in all (timeout)", request=request
            ) from None
        return _sunk(response)

    async def aclose(self) -> None:
        """Release the cache storage (the http client is closed by its owner)."""
        if self._cache is not None:
            await self._cache.aclose()
        if self.keys is not None:
            self.keys.close()


def _unknown_call(request: httpx.Request) -> Call:
    """A low-level client's request: which endpoints it changes is not known (the HAT has
    GETs that change state too), so every cached read is stale after it."""
    return Call(request, writes=frozenset({ALL_ENDPOINTS}))


class SyncDriverTransport(httpx.BaseTransport):
    """An httpx transport over a ``SyncDriver``: gives the low-level client auth and retries."""

    def __init__(self, driver: SyncDriver) -> None:
        self._driver = driver

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` with the driver's auth and retries."""
        try:
            reply = self._driver.run(answer(_unknown_call(request)))
        finally:  # httpx hands this request back (in the response, or in its error)
            request.headers.pop(TOKEN_HEADER, None)
        if reply.error is not None:  # httpx's own error, as the low-level client expects
            raise scrub_exception(reply.error)
        assert reply.response is not None
        return reply.response


class AsyncDriverTransport(httpx.AsyncBaseTransport):
    """An httpx transport over an ``AsyncDriver``: gives the low-level client auth and retries."""

    def __init__(self, driver: AsyncDriver) -> None:
        self._driver = driver

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` with the driver's auth and retries."""
        try:
            reply = await self._driver.run(answer(_unknown_call(request)))
        finally:  # see SyncDriverTransport
            request.headers.pop(TOKEN_HEADER, None)
        if reply.error is not None:
            raise scrub_exception(reply.error)
        assert reply.response is not None
        return reply.response
