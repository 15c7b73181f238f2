"""HatClient and AsyncHatClient: typed records over the HAT's data API.

Both are thin shells: the sans-IO operations (``_reads``, ``_writes``) decide what to send and
how to read the answers; a driver (``_drivers``) sends, retries and caches. The two classes
only differ in how they drive an operation (blocking or awaiting).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from uuid import UUID

import httpx

from hat_sdk._auth.tokens import HatToken
from hat_sdk._core.cache import CacheKeys, async_cache, sync_cache, token_identity
from hat_sdk._core.drivers import AsyncDriver, AsyncDriverTransport, SyncDriver, SyncDriverTransport
from hat_sdk._core.retry import RetryPolicy
from hat_sdk._core.validation import InvalidInputError, check_namespace
from hat_sdk._core.wire import Target
from hat_sdk._generated.client import AuthenticatedClient as LowLevelClient
from hat_sdk._records import reads as _reads, writes as _writes
from hat_sdk._records.models import HatModel, ModelT
from hat_sdk._records.options import GetOpts
from hat_sdk._records.scope import Scope
from hat_sdk.resources._accessors import AsyncAreas, SyncAreas

__all__ = ["DEFAULT_TIMEOUT", "AsyncHatClient", "HatClient"]

#: Generous for reads of thousands of records, short to notice an unreachable HAT.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
_NO_OPTIONS = GetOpts()


class _Settings:
    """What both clients derive from their arguments (validated before any request)."""

    def __init__(
        self,
        token: HatToken[Any],
        namespace: str,
        max_retries: int,
        retry_backoff: float,
        cache_ttl: float | None,
    ) -> None:
        if not isinstance(token, HatToken):
            raise InvalidInputError(
                f"token must be a hat_sdk token (ApiOwnerToken, WebOwnerToken or AppToken), got"
                f" {type(token).__name__}"
            )
        if max_retries < 0:
            raise InvalidInputError(
                f"max_retries must be >= 0 (0 disables retries), got {max_retries}"
            )
        if retry_backoff < 0:
            raise InvalidInputError(f"retry_backoff must be >= 0 seconds, got {retry_backoff}")
        if cache_ttl is not None and cache_ttl <= 0:
            raise InvalidInputError(
                f"cache_ttl must be > 0 seconds (or None: no cache), got {cache_ttl}"
            )
        self.namespace = check_namespace(namespace)
        self.policy = RetryPolicy(max_retries=max_retries, initial_delay=retry_backoff)
        self.keys = CacheKeys(token_identity(token)) if cache_ttl is not None else None


class HatClient(SyncAreas):
    """A blocking client for the records of one namespace of a HAT.

    The other HAT areas hang off it: ``data_debits``, ``applications``, ``files``,
    ``combinators``, ``bundles``, ``feed``, ``functions``, ``system``, and ``sources()``,
    ``link()``, ``get_record()`` across namespaces (most of them need an owner token).

    Args:
        token: who acts (``AppToken`` for an application, or an owner token).
        namespace: the namespace records are read from and written to (e.g. the app's id).
        http_client: an ``httpx.Client`` to send with (proxies, TLS, transports); the client
            is not closed by ``close()`` when supplied. Default: one with ``timeout``.
        timeout: request timeout when no ``http_client`` is given.
        max_retries: retries of a failed idempotent request (GET, PUT, DELETE); 0 disables.
        retry_backoff: first backoff delay in seconds (doubles per retry, with jitter).
        cache_ttl: cache reads for this many seconds (default: no cache). Needs the
            ``cache`` extra (hishel). Writes through this client drop the stale reads.
        cache_dir: keep the cache in this directory instead of in memory.
    """

    def __init__(
        self,
        token: HatToken[Any],
        namespace: str,
        *,
        http_client: httpx.Client | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        retry_backoff: float = 0.5,
        cache_ttl: float | None = None,
        cache_dir: str | Path | None = None,
    ) -> None:
        settings = _Settings(token, namespace, max_retries, retry_backoff, cache_ttl)
        self.namespace = settings.namespace
        self.token = token
        self._owns_http = http_client is None
        self.http_client = http_client if http_client is not None else httpx.Client(timeout=timeout)
        cache = sync_cache(cache_ttl, cache_dir) if cache_ttl is not None else None
        self._driver = SyncDriver(self.http_client, token, settings.policy, settings.keys, cache)
        self._scope = Scope(self.namespace, Target(token.hat_url, self.http_client.build_request))

    @cached_property
    def lowlevel(self) -> LowLevelClient:
        """The generated client for every HAT operation, sending through this client
        (same httpx client, token, retries). Use its ``sync_detailed`` functions."""
        facade = httpx.Client(
            base_url=self.token.hat_url,
            transport=SyncDriverTransport(self._driver),
            timeout=self.http_client.timeout,
        )
        # The token is applied by the driver (renewed as needed), not as a fixed header.
        return LowLevelClient(base_url=self.token.hat_url, token="").set_httpx_client(facade)

    def get(
        self, model: type[ModelT], endpoint: str | HatModel, opts: GetOpts | None = None
    ) -> list[ModelT]:
        """Read records of ``endpoint`` as ``model`` instances (one request).

        ``endpoint`` is a name (``"locations"`` or ``"<namespace>/locations"``) or a model
        whose ``endpoint`` is used. ``opts`` orders and windows the read; without ``take`` the
        HAT returns at most 1000 records (use ``iter`` for all of them).
        """
        return self._driver.run(_reads.get(self._scope, model, endpoint, opts or _NO_OPTIONS))

    def iter(
        self,
        model: type[ModelT],
        endpoint: str | HatModel,
        opts: GetOpts | None = None,
        *,
        page_size: int = 1000,
    ) -> Iterator[ModelT]:
        """Yield every record of ``endpoint`` (from ``opts.skip``, at most ``opts.take``),
        reading ``page_size`` records per request and holding one page at a time."""
        # Built here, not in the generator, so bad arguments raise at the call.
        pager = _reads.Pager(self._scope, model, endpoint, opts or _NO_OPTIONS, page_size)
        return self._pages(pager)

    def _pages(self, pager: _reads.Pager[ModelT]) -> Iterator[ModelT]:
        while (page := pager.next_page()) is not None:
            yield from self._driver.run(page)

    def post(self, *records: ModelT, skip_duplicates: bool = False) -> list[ModelT]:
        """Store new records (each model's ``endpoint`` says where); return them with
        ``record_id`` set, in input order. The inputs are not modified.

        One request for everything (``/data-batch`` for several endpoints), split only to
        respect the HAT's 10 MB body limit. The HAT refuses data identical to any stored
        record: that raises ``DuplicateDataError`` unless ``skip_duplicates=True``, which
        stores the rest (one request per endpoint) and returns only what was stored.
        """
        return self._driver.run(_writes.post(self._scope, records, skip_duplicates=skip_duplicates))

    def put(self, *records: ModelT) -> list[ModelT]:
        """Replace the data of stored records (models with ``record_id``); return the
        updated records as new models, in input order (one request, split by body size)."""
        return self._driver.run(_writes.put(self._scope, records))

    def delete(self, *records: HatModel | UUID | str | None) -> None:
        """Delete records given as models or record ids (one request, split to keep the
        URL short). Raises ``RecordNotFoundError`` (nothing deleted) if any is missing.

        ``None`` (a ``record_id`` never set) is refused with ``InvalidInputError`` before
        any request; it is accepted by the signature so ``delete(m.record_id)`` type-checks.
        """
        self._driver.run(_writes.delete(self._scope, records))

    def close(self) -> None:
        """Release the cache and the http client (unless it was supplied by the caller)."""
        self._driver.close()
        if "lowlevel" in self.__dict__:
            self.lowlevel.get_httpx_client().close()
        if self._owns_http:
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


class AsyncHatClient(AsyncAreas):
    """The asyncio (anyio) twin of :class:`HatClient`: same arguments, awaitable methods."""

    def __init__(
        self,
        token: HatToken[Any],
        namespace: str,
        *,
        http_client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        retry_backoff: float = 0.5,
        cache_ttl: float | None = None,
        cache_dir: str | Path | None = None,
    ) -> None:
        settings = _Settings(token, namespace, max_retries, retry_backoff, cache_ttl)
        self.namespace = settings.namespace
        self.token = token
        self._owns_http = http_client is None
        self.http_client = (
            http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)
        )
        cache = async_cache(cache_ttl, cache_dir) if cache_ttl is not None else None
        self._driver = AsyncDriver(self.http_client, token, settings.policy, settings.keys, cache)
        self._scope = Scope(self.namespace, Target(token.hat_url, self.http_client.build_request))

    @cached_property
    def lowlevel(self) -> LowLevelClient:
        """The generated client for every HAT operation, sending through this client
        (same httpx client, token, retries). Use its ``asyncio_detailed`` functions."""
        facade = httpx.AsyncClient(
            base_url=self.token.hat_url,
            transport=AsyncDriverTransport(self._driver),
            timeout=self.http_client.timeout,
        )
        # The token is applied by the driver (renewed as needed), not as a fixed header.
        return LowLevelClient(base_url=self.token.hat_url, token="").set_async_httpx_client(facade)

    async def get(
        self, model: type[ModelT], endpoint: str | HatModel, opts: GetOpts | None = None
    ) -> list[ModelT]:
        """Read records of ``endpoint`` as ``model`` instances; see :meth:`HatClient.get`."""
        return await self._driver.run(_reads.get(self._scope, model, endpoint, opts or _NO_OPTIONS))

    def iter(
        self,
        model: type[ModelT],
        endpoint: str | HatModel,
        opts: GetOpts | None = None,
        *,
        page_size: int = 1000,
    ) -> AsyncIterator[ModelT]:
        """Yield every record of ``endpoint`` page by page; see :meth:`HatClient.iter`."""
        pager = _reads.Pager(self._scope, model, endpoint, opts or _NO_OPTIONS, page_size)
        return self._pages(pager)

    async def _pages(self, pager: _reads.Pager[ModelT]) -> AsyncIterator[ModelT]:
        while (page := pager.next_page()) is not None:
            for record in await self._driver.run(page):
                yield record

    async def post(self, *records: ModelT, skip_duplicates: bool = False) -> list[ModelT]:
        """Store new records, batched; see :meth:`HatClient.post`."""
        return await self._driver.run(
            _writes.post(self._scope, records, skip_duplicates=skip_duplicates)
        )

    async def put(self, *records: ModelT) -> list[ModelT]:
        """Replace the data of stored records; see :meth:`HatClient.put`."""
        return await self._driver.run(_writes.put(self._scope, records))

    async def delete(self, *records: HatModel | UUID | str | None) -> None:
        """Delete records given as models or record ids; see :meth:`HatClient.delete`."""
        await self._driver.run(_writes.delete(self._scope, records))

    async def aclose(self) -> None:
        """Release the cache and the http client (unless it was supplied by the caller)."""
        await self._driver.aclose()
        if "lowlevel" in self.__dict__:
            await self.lowlevel.get_async_httpx_client().aclose()
        if self._owns_http:
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
