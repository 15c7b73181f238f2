"""HatClient and AsyncHatClient: every HAT resource and typed records, over one engine.

Both are thin shells over the same parts: the sans-IO operations (the generated resources in
``hat_sdk._generated.client.api``, the handwritten helpers in ``hat_sdk.resources``, the record
operations in ``hat_sdk._records``) decide what to send and how to read the answers; one driver
(``hat_sdk._core.drivers``) sends, retries and caches every call. The two classes only differ
in how they drive an operation (blocking or awaiting).
"""

from __future__ import annotations

import copy
import os
from collections import deque
from collections.abc import AsyncGenerator, Generator, Mapping
from functools import cached_property, partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from hat_sdk._auth.tokens import HatToken
from hat_sdk._core.cache import CacheKeys, async_cache, sync_cache, token_identity
from hat_sdk._core.deadline import with_deadlines
from hat_sdk._core.drivers import (
    AsyncDriver,
    AsyncDriverTransport,
    SyncDriver,
    SyncDriverTransport,
    TokenAuth,
)
from hat_sdk._core.exchange import Reply
from hat_sdk._core.limits import DEFAULT_MAX_RESPONSE_BYTES
from hat_sdk._core.resource import (
    ASYNC_RAW_RESULT,
    ASYNC_RESULT,
    SYNC_RAW_RESULT,
    SYNC_RESULT,
    AsyncMode,
    AsyncRawMode,
    Session,
    SyncMode,
    SyncRawMode,
    with_raw_response,
)
from hat_sdk._core.retry import RetryPolicy
from hat_sdk._core.wire import MAX_TIMEOUT, CallOptions, Wire, check_timeout, is_seconds
from hat_sdk._env import token_from_env
from hat_sdk._logging import enable_logging_from_env
from hat_sdk._records import reads as _reads
from hat_sdk._records.methods import RecordMethods, scope_of
from hat_sdk._records.models import HatModel, ModelT
from hat_sdk._records.options import GetOpts
from hat_sdk._records.scope import Scope
from hat_sdk._records.validation import InvalidInputError, check_namespace
from hat_sdk._version import USER_AGENT
from hat_sdk.resources._accessors import Resources, ResourceView

if TYPE_CHECKING:
    from hat_sdk._generated.client import AuthenticatedClient as LowLevelClient

__all__ = ["DEFAULT_TIMEOUT", "USER_AGENT", "AsyncHatClient", "HatClient"]

#: Generous for reads of thousands of records, short to notice an unreachable HAT.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_NO_OPTIONS = GetOpts()
Headers = Mapping[str, str]
DriverT = TypeVar("DriverT", SyncDriver, AsyncDriver)


def _checked(
    token: HatToken[Any] | None,
    namespace: str | None,
    timeout: object,
    max_retries: int,
    retry_backoff: float,
    cache_ttl: float | None,
    cache_dir: str | Path | None,
) -> tuple[HatToken[Any], str, RetryPolicy, CacheKeys | None]:
    """Validate the arguments both clients share (before any request), taking the token and
    namespace from the environment when not given."""
    enable_logging_from_env()
    if token is None:
        token = token_from_env()
    if namespace is None:
        namespace = os.environ.get("HAT_NAMESPACE") or os.environ.get("HAT_APP")
        if not namespace:
            raise InvalidInputError(
                "no namespace: pass namespace= (e.g. your application's id), or set"
                " HAT_NAMESPACE (or HAT_APP, whose namespace is its id)"
            )
    if not isinstance(token, HatToken):
        raise InvalidInputError(
            f"token must be a hat_sdk token (ApiOwnerToken, WebOwnerToken or AppToken), got"
            f" {type(token).__name__}"
        )
    check_timeout(timeout)
    _check_max_retries(max_retries)
    if not is_seconds(retry_backoff, zero=True):
        raise InvalidInputError(
            f"retry_backoff must be a number of seconds >= 0 and <= {MAX_TIMEOUT:g}, got"
            f" {retry_backoff!r}"
        )
    if cache_ttl is not None and not is_seconds(cache_ttl):
        raise InvalidInputError(
            f"cache_ttl must be a number of seconds > 0 and <= {MAX_TIMEOUT:g} (or None: no"
            f" cache), got {cache_ttl!r}"
        )
    if cache_dir is not None and cache_ttl is None:
        raise InvalidInputError(
            "cache_dir is given but cache_ttl is not, so nothing would be cached: pass"
            " cache_ttl= (seconds a read stays fresh), or leave cache_dir out"
        )
    policy = RetryPolicy(max_retries=max_retries, initial_delay=retry_backoff)
    keys = (
        CacheKeys(token_identity(token), token.hat_url, cache_dir)
        if cache_ttl is not None
        else None
    )
    return token, check_namespace(namespace), policy, keys


class _Client(Generic[DriverT]):
    """What both clients hold, and the conventions they share (options, copies, sessions)."""

    namespace: str
    token: HatToken[Any]
    _driver: DriverT
    _owns_http: bool
    _wire: Wire

    def _setup(
        self,
        namespace: str,
        token: HatToken[Any],
        driver: DriverT,
        build: Any,
        timeout: float | httpx.Timeout | None,
    ) -> None:
        self.namespace = namespace
        self.token = token
        self._driver = driver
        defaults = CallOptions(timeout, extra_headers={"User-Agent": USER_AGENT})
        self._wire = Wire(token.hat_url, build, defaults, namespace)

    def _scope(
        self, timeout: float | httpx.Timeout | None = None, extra_headers: Headers | None = None
    ) -> Scope:
        """Where record operations work: this namespace, with this call's options."""
        return scope_of(self._wire, timeout, extra_headers)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy of this client with other defaults for every call (sharing its connections,
        token and cache): ``client.with_options(timeout=5).files.get(file_id)``."""
        if max_retries is not None:
            _check_max_retries(max_retries)
        clone = copy.copy(self)
        clone.__dict__ = {
            key: value for key, value in self.__dict__.items() if not _is_cached(type(self), key)
        }
        clone._owns_http = False
        clone._wire = self._wire.with_options(CallOptions(timeout, extra_headers))
        if max_retries is not None:
            clone._driver = self._driver.with_policy(
                RetryPolicy(
                    max_retries=max_retries, initial_delay=self._driver.policy.initial_delay
                )
            )
        return clone


def _check_max_retries(max_retries: object) -> None:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise InvalidInputError(
            f"max_retries must be a whole number >= 0 (0 disables retries), got {max_retries!r}"
        )


def _checked_prefetch(prefetch: int) -> int:
    if not isinstance(prefetch, int) or isinstance(prefetch, bool) or prefetch < 0:
        raise InvalidInputError(
            f"prefetch must be >= 0 (pages read ahead; 0 reads page after page), got {prefetch!r}"
        )
    return prefetch


def _is_cached(cls: type, name: str) -> bool:
    return isinstance(getattr(cls, name, None), cached_property)


class HatClient(_Client[SyncDriver], RecordMethods[SyncMode], Resources[SyncMode]):
    """A blocking client for a HAT: every resource of the API, and the records of one
    namespace as your pydantic models.

    Resources (one per tag of the API spec): ``records``, ``data_debits``, ``applications``,
    ``files``, ``combinators``, ``bundles``, ``feed``, ``functions``, ``system``, ``auth``.
    Every method takes ``timeout=`` and ``extra_headers=`` for one call; ``with_options(...)``
    changes them for many; ``with_raw_response`` gives the HTTP answer with the result.

    Args:
        token: who acts (``AppToken`` for an application, or an owner token). Default: from
            the environment: ``HAT_USERNAME`` logs in (``HAT_PASSWORD``, else the keyring) at
            ``HAT_URL``, and with ``HAT_APP`` the token is that application's.
        namespace: the namespace records are read from and written to (e.g. the app's id).
            Default: ``HAT_NAMESPACE``, else ``HAT_APP``.
        http_client: an ``httpx.Client`` to send with (proxies, TLS, transports); the client
            is not closed by ``close()`` when supplied. Default: one whose sockets also keep
            each call's timeout as a deadline for its whole answer, headers included (a
            supplied client bounds the wait for headers per read only).
        timeout: every call's timeout, in seconds or as an ``httpx.Timeout`` (a call's own
            ``timeout=`` wins). Default: ``http_client``'s own when one is given, else 60 s
            (10 s to connect).
        max_retries: retries of a failed request that may be sent again (GET, PUT, DELETE; a
            POST only when it was surely not acted on); 0 disables.
        retry_backoff: first backoff delay in seconds (doubles per retry, with jitter).
        cache_ttl: cache reads for this many seconds (default: no cache). Needs the
            ``cache`` extra (hishel). Writes through this client drop the stale reads.
        cache_dir: keep the cache in this directory instead of in memory.
        max_response_bytes: the largest answer read (decoded); a larger one raises
            ``ResponseTooLargeError``. Every answer must also arrive within the read timeout
            in all, however slowly it trickles.
    """

    def __init__(
        self,
        token: HatToken[Any] | None = None,
        namespace: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int = 2,
        retry_backoff: float = 0.5,
        cache_ttl: float | None = None,
        cache_dir: str | Path | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        token, namespace, policy, keys = _checked(
            token, namespace, timeout, max_retries, retry_backoff, cache_ttl, cache_dir
        )
        if max_response_bytes <= 0:
            raise InvalidInputError(f"max_response_bytes must be > 0, got {max_response_bytes}")
        self._owns_http = http_client is None
        if http_client is None:  # one hat-sdk creates bounds the wait for headers too
            http_client = with_deadlines(httpx.Client(timeout=timeout or DEFAULT_TIMEOUT))
        self.http_client = http_client
        cache = sync_cache(cache_ttl, cache_dir) if cache_ttl is not None else None
        driver = SyncDriver(
            self.http_client, TokenAuth(token), policy, keys, cache, max_response_bytes
        )
        self._setup(namespace, token, driver, self.http_client.build_request, timeout)

    def _op_session(self) -> Session[SyncMode]:
        return Session(self._wire, self._driver.run, SYNC_RESULT)

    @property
    def with_raw_response(self) -> ResourceView[SyncRawMode]:
        """The resources, each method returning a ``hat_sdk.RawResponse`` (the HTTP
        answer, with the typed result at ``.parse()``)."""
        run = self._driver.run
        return ResourceView(
            Session(
                self._wire, lambda operation: run(with_raw_response(operation)), SYNC_RAW_RESULT
            )
        )

    @cached_property
    def lowlevel(self) -> LowLevelClient:
        """The generated low-level client (attrs + httpx) for every HAT operation, sending
        through this client (same httpx client, token, retries): pass it as ``client=`` to the
        ``sync_detailed`` functions of ``hat_sdk.lowlevel.api``."""
        from hat_sdk._generated.client import AuthenticatedClient as LowLevelClient

        facade = httpx.Client(
            base_url=self.token.hat_url,
            transport=SyncDriverTransport(self._driver),
            timeout=self.http_client.timeout,
        )
        # The token is applied by the driver (renewed as needed), not as a fixed header.
        return LowLevelClient(base_url=self.token.hat_url, token="").set_httpx_client(facade)

    def iter(
        self,
        model: type[ModelT],
        endpoint: str | HatModel,
        opts: GetOpts | None = None,
        *,
        page_size: int = 1000,
        prefetch: int = 4,
        timeout: float | httpx.Timeout | None = None,
        extra_headers: Headers | None = None,
    ) -> Generator[ModelT, None, None]:
        """Yield every record of ``endpoint`` (from ``opts.skip``, at most ``opts.take``), in
        order, ``page_size`` records per request, reading up to ``prefetch`` pages ahead of
        the one being yielded.

        The read-ahead starts at one page and doubles with each full page, so a short endpoint
        costs at most one request past its end; ``prefetch=0`` reads page after page. Memory
        holds the page being yielded and the answers read ahead: ``prefetch + 1`` pages.

        Pages are windows by position (skip/take): records added or deleted while the
        iteration runs may shift others between pages, so they can be missed or seen twice.
        Order by a field that new records extend (``GetOpts(order_by=...)``) and avoid
        concurrent deletes for an exact read; ``hat export`` checks for shifts and re-reads.
        """
        # Built here, not in the generator, so bad arguments raise at the call.
        scope = self._scope(timeout, extra_headers)
        pager = _reads.Pager(scope, model, endpoint, opts or _NO_OPTIONS, page_size)
        return self._pages(pager, _checked_prefetch(prefetch))

    def _pages(self, pager: _reads.Pager[ModelT], prefetch: int) -> Generator[ModelT, None, None]:
        from concurrent.futures import Future, ThreadPoolExecutor  # only iterations need threads

        ahead: deque[Future[Reply]] = deque()
        with ThreadPoolExecutor(prefetch + 1, thread_name_prefix="hat-sdk-iter") as pool:
            try:
                while True:
                    reads = pager.reads_to_start(prefetch)
                    ahead.extend(pool.submit(self._driver.run, read) for read in reads)
                    if not ahead:
                        return
                    records = pager.parse(ahead.popleft().result())
                    going_on = pager.settle(records)
                    yield from records
                    if not going_on:
                        return
                    del records  # released before the next page is parsed
            finally:
                for future in ahead:  # reads past the end, or after an error
                    future.cancel()

    def close(self) -> None:
        """Release the cache and the http client (unless it was supplied by the caller)."""
        if not self._owns_http:
            return
        self._driver.close()
        if "lowlevel" in self.__dict__:
            self.lowlevel.get_httpx_client().close()
        self.http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HatClient(hat_url={self.token.hat_url!r}, namespace={self.namespace!r})"


class AsyncHatClient(_Client[AsyncDriver], RecordMethods[AsyncMode], Resources[AsyncMode]):
    """An async client for a HAT: the same resources, records and arguments as ``HatClient``,
    with awaitable methods and ``async for`` iteration (asyncio or trio).

    Args:
        token: who acts (``AppToken`` for an application, or an owner token). Default: from
            the environment, as for ``HatClient``.
        namespace: the namespace records are read from and written to (e.g. the app's id).
            Default: ``HAT_NAMESPACE``, else ``HAT_APP``.
        http_client: an ``httpx.AsyncClient`` to send with; not closed by ``aclose()`` when
            supplied. Each call is cancelled at its timeout, whichever client sends it.
        timeout: every call's timeout, in seconds or as an ``httpx.Timeout`` (a call's own
            ``timeout=`` wins). Default: ``http_client``'s own when one is given, else 60 s
            (10 s to connect).
        max_retries: retries of a failed request that may be sent again (GET, PUT, DELETE; a
            POST only when it was surely not acted on); 0 disables.
        retry_backoff: first backoff delay in seconds (doubles per retry, with jitter).
        cache_ttl: cache reads for this many seconds (default: no cache; needs the ``cache``
            extra).
        cache_dir: keep the cache in this directory instead of in memory.
        max_response_bytes: the largest answer read (decoded); a larger one raises
            ``ResponseTooLargeError``.
    """

    def __init__(
        self,
        token: HatToken[Any] | None = None,
        namespace: str | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int = 2,
        retry_backoff: float = 0.5,
        cache_ttl: float | None = None,
        cache_dir: str | Path | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        token, namespace, policy, keys = _checked(
            token, namespace, timeout, max_retries, retry_backoff, cache_ttl, cache_dir
        )
        if max_response_bytes <= 0:
            raise InvalidInputError(f"max_response_bytes must be > 0, got {max_response_bytes}")
        self._owns_http = http_client is None
        self.http_client = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=timeout or DEFAULT_TIMEOUT)
        )
        cache = async_cache(cache_ttl, cache_dir) if cache_ttl is not None else None
        driver = AsyncDriver(
            self.http_client, TokenAuth(token), policy, keys, cache, max_response_bytes
        )
        self._setup(namespace, token, driver, self.http_client.build_request, timeout)

    def _op_session(self) -> Session[AsyncMode]:
        return Session(self._wire, self._driver.run, ASYNC_RESULT)

    @property
    def with_raw_response(self) -> ResourceView[AsyncRawMode]:
        """The resources, each method returning an awaitable ``hat_sdk.RawResponse``."""
        run = self._driver.run
        return ResourceView(
            Session(
                self._wire, lambda operation: run(with_raw_response(operation)), ASYNC_RAW_RESULT
            )
        )

    @cached_property
    def lowlevel(self) -> LowLevelClient:
        """The generated low-level client, sending through this client: pass it as
        ``client=`` to the ``asyncio_detailed`` functions of ``hat_sdk.lowlevel.api``."""
        from hat_sdk._generated.client import AuthenticatedClient as LowLevelClient

        facade = httpx.AsyncClient(
            base_url=self.token.hat_url,
            transport=AsyncDriverTransport(self._driver),
            timeout=self.http_client.timeout,
        )
        # The token is applied by the driver (renewed as needed), not as a fixed header.
        return LowLevelClient(base_url=self.token.hat_url, token="").set_async_httpx_client(facade)

    def iter(
        self,
        model: type[ModelT],
        endpoint: str | HatModel,
        opts: GetOpts | None = None,
        *,
        page_size: int = 1000,
        prefetch: int = 4,
        timeout: float | httpx.Timeout | None = None,
        extra_headers: Headers | None = None,
    ) -> AsyncGenerator[ModelT, None]:
        """Yield every record of ``endpoint`` in order, reading up to ``prefetch`` pages ahead
        of the one being yielded; see ``HatClient.iter``.

        Pages are parsed in a worker thread, so the event loop goes on meanwhile. Leaving the
        loop early (or the generator being closed) cancels the reads still in flight.
        """
        scope = self._scope(timeout, extra_headers)
        pager = _reads.Pager(scope, model, endpoint, opts or _NO_OPTIONS, page_size)
        return self._pages(pager, _checked_prefetch(prefetch))

    async def _pages(
        self, pager: _reads.Pager[ModelT], prefetch: int
    ) -> AsyncGenerator[ModelT, None]:
        from anyio import CancelScope, to_thread  # async only: blocking clients never load it

        from hat_sdk._core.detached import Detached

        # The reads ahead run as detached tasks: a generator left at a yield must not be
        # inside a task group.
        ahead: deque[Detached[Reply]] = deque()
        try:
            while True:
                reads = pager.reads_to_start(prefetch)
                ahead.extend(Detached(partial(self._driver.run, read)) for read in reads)
                if not ahead:
                    return
                reply = await ahead[0].outcome()  # kept in `ahead` until then: cancelled with it
                ahead.popleft()
                # In a worker thread: the event loop goes on sending and reading meanwhile.
                records = await to_thread.run_sync(pager.parse, reply)
                going_on = pager.settle(records)
                for record in records:
                    yield record
                if not going_on:
                    return
                del records  # released before the next page is parsed
        finally:
            for detached in ahead:  # reads past the end, or after an error
                detached.cancel()
            with CancelScope(shield=True):  # nothing of the iteration outlives it
                for detached in ahead:
                    await detached.finished()

    async def aclose(self) -> None:
        """Release the cache and the http client (unless it was supplied by the caller)."""
        if not self._owns_http:
            return
        await self._driver.aclose()
        if "lowlevel" in self.__dict__:
            await self.lowlevel.get_async_httpx_client().aclose()
        await self.http_client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncHatClient(hat_url={self.token.hat_url!r}, namespace={self.namespace!r})"
