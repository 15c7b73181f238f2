"""Read caching: token-scoped, generation-stamped keys (pure) and hishel storage set-up.

A key is a hash of the token's identity, a per-endpoint "generation" and the request URL.
A write through the client bumps the generation of each endpoint it touches, so later reads
use fresh keys and stale entries are simply never asked for again (they age out by TTL):
invalidation needs no storage scan. Nothing touches the disk unless ``cache_dir`` is given.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from hat_sdk._extras import require_extra

if TYPE_CHECKING:
    from hishel import AsyncSqliteStorage, SqliteStorage
    from hishel.httpx import AsyncCacheTransport, CacheTransport

__all__ = ["ALL_ENDPOINTS", "CacheKeys", "async_cache", "sync_cache", "token_identity"]

#: A write target meaning "possibly any endpoint" (e.g. a delete by record id alone).
ALL_ENDPOINTS = "*"
_DB_NAME = "hat_sdk_http_cache.db"
_PROCESS_SECRET = secrets.token_hex(16)


class CacheKeys:
    """Cache keys for one token: identity + endpoint generation + URL."""

    def __init__(self, identity: str) -> None:
        self._identity = identity
        self._lock = threading.Lock()
        self._generations: dict[str, int] = {}
        self._everything = 0

    def key_for(self, request: httpx.Request, endpoint: str | None) -> str | None:
        """The cache key of ``request`` reading ``endpoint``, or None if it must not be cached."""
        if endpoint is None or request.method != "GET":
            return None
        with self._lock:
            stamp = f"{self._everything}.{self._generations.get(endpoint, 0)}"
        material = f"{self._identity}\n{endpoint}\n{stamp}\n{request.url}"
        return hashlib.sha256(material.encode()).hexdigest()

    def invalidate(self, endpoints: Iterable[str]) -> None:
        """Make cached reads of ``endpoints`` (``ALL_ENDPOINTS``: of every endpoint) stale."""
        with self._lock:
            for endpoint in endpoints:
                if endpoint == ALL_ENDPOINTS:
                    self._everything += 1
                else:
                    self._generations[endpoint] = self._generations.get(endpoint, 0) + 1


def _require_hishel() -> None:
    require_extra("cache", "cache_ttl")


def sync_cache(
    ttl: float, cache_dir: str | Path | None
) -> Callable[[httpx.BaseTransport], CacheTransport]:
    """A factory stacking a hishel cache over a (sync) next transport."""
    _require_hishel()
    from hishel.httpx import CacheTransport

    storage = _sync_storage(ttl, cache_dir)
    return lambda next_transport: CacheTransport(next_transport=next_transport, storage=storage)


def async_cache(
    ttl: float, cache_dir: str | Path | None
) -> Callable[[httpx.AsyncBaseTransport], AsyncCacheTransport]:
    """A factory stacking a hishel cache over an (async) next transport."""
    _require_hishel()
    from hishel.httpx import AsyncCacheTransport

    storage = _async_storage(ttl, cache_dir)
    return lambda next_transport: AsyncCacheTransport(
        next_transport=next_transport, storage=storage
    )


def _sync_storage(ttl: float, cache_dir: str | Path | None) -> SqliteStorage:
    """A hishel storage for a sync client: in memory, or a file in ``cache_dir``."""
    from hishel import SqliteStorage

    if cache_dir is None:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        return SqliteStorage(connection=connection, default_ttl=ttl)
    return SqliteStorage(database_path=Path(cache_dir) / _DB_NAME, default_ttl=ttl)


def _async_storage(ttl: float, cache_dir: str | Path | None) -> AsyncSqliteStorage:
    """A hishel storage for an async client: in memory, or a file in ``cache_dir``."""
    import anysqlite
    from hishel import AsyncSqliteStorage

    if cache_dir is None:
        connection = anysqlite.Connection(sqlite3.connect(":memory:", check_same_thread=False))
        return AsyncSqliteStorage(connection=connection, default_ttl=ttl)
    return AsyncSqliteStorage(database_path=Path(cache_dir) / _DB_NAME, default_ttl=ttl)


def token_identity(token: object) -> str:
    """Who a token reads as, stable across token refreshes: HAT, kind, user, application.

    A token whose user is unknown without logging in (a web-login token) is identified by the
    object itself plus a per-process secret, so no other token or process can share its entries.
    """
    hat_url = getattr(token, "hat_url", "")
    application = getattr(token, "application_id", None)
    user = getattr(token, "username", None)
    if application:
        who = f"app={application}"
    elif user:
        who = f"user={user}"
    else:
        who = f"object={id(token)}@{_PROCESS_SECRET}"
    return f"{type(token).__qualname__} {hat_url} {who}"
