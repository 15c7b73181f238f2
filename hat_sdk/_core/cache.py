"""Read caching: token-scoped, generation-stamped keys (pure) and hishel storage set-up.

A key is a hash of the token's identity, a per-endpoint "stamp" and the request URL. A write
through any client replaces the stamp of each endpoint it touches, so later reads use fresh keys
and stale entries are simply never asked for again (they age out by TTL): invalidation needs no
storage scan. Nothing touches the disk unless ``cache_dir`` is given; then the stamps are kept
there too, so clients and processes sharing the cache see each other's writes.

The cache answers only a token that has been verified by the HAT in this process (the drivers
log in first), so a wrong password never reads what a right one cached.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from hat_sdk._extras import require_extra
from hat_sdk.errors import InvalidInputError

if TYPE_CHECKING:
    import sqlite3

    from hishel import AsyncSqliteStorage, SqliteStorage
    from hishel.httpx import AsyncCacheTransport, CacheTransport

__all__ = ["ALL_ENDPOINTS", "API_READS", "CacheKeys", "async_cache", "sync_cache", "token_identity"]

#: A write target meaning "possibly any endpoint" (e.g. a delete by record id alone).
ALL_ENDPOINTS = "*"
#: The scope of cached reads of the generated operations: stale after any write at all.
API_READS = "<api>"
_DB_NAME = "hat_sdk_http_cache.db"
_STAMPS_DB_NAME = "hat_sdk_cache_stamps.db"
_PROCESS_SECRET = secrets.token_hex(16)


class CacheKeys:
    """Cache keys for one token: identity + endpoint stamps + URL.

    A stamp is a random value replaced by every write, so two clients can never produce the
    same stamp for different states. Stamps belong to the HAT, not the token: a write by any
    token makes every token's reads of that endpoint stale. With ``cache_dir`` the stamps live
    beside the cache, in SQLite, so every client and process sharing the cache sees every other
    one's writes.
    """

    def __init__(self, identity: str, hat: str, cache_dir: str | Path | None = None) -> None:
        self._identity = identity
        self._hat = hat
        self._lock = threading.Lock()
        self._stamps: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None
        if cache_dir is not None:
            import sqlite3  # only with a cache directory: not every import pays for it

            self._db = sqlite3.connect(
                private_file(cache_dir, _STAMPS_DB_NAME),
                check_same_thread=False,
                isolation_level=None,
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS hat_stamps"
                " (hat TEXT, scope TEXT, stamp TEXT, PRIMARY KEY (hat, scope))"
            )

    def _stamp(self, scope: str) -> str:
        if self._db is None:
            return self._stamps.get(scope, "0")
        row = self._db.execute(
            "SELECT stamp FROM hat_stamps WHERE hat = ? AND scope = ?", (self._hat, scope)
        ).fetchone()
        return str(row[0]) if row else "0"

    def key_for(self, request: httpx.Request, endpoint: str | None) -> str | None:
        """The cache key of ``request`` reading ``endpoint``, or None if it must not be cached.

        A request asking ``Cache-Control: no-cache``/``no-store`` (e.g.
        ``applications.get(app_id, cache_control="no-cache")``) is never answered from the
        cache: it asks for the HAT's current answer.
        """
        if endpoint is None or request.method != "GET" or _bypasses_cache(request):
            return None
        with self._lock:
            stamp = f"{self._stamp(ALL_ENDPOINTS)}.{self._stamp(endpoint)}"
        material = f"{self._identity}\n{endpoint}\n{stamp}\n{request.url}"
        return hashlib.sha256(material.encode()).hexdigest()

    def invalidate(self, endpoints: Iterable[str]) -> None:
        """Make cached reads of ``endpoints`` (``ALL_ENDPOINTS``: of every endpoint) stale,
        and with any of them the reads of the generated operations (``API_READS``)."""
        scopes = set(endpoints)
        if not scopes:
            return
        scopes.add(API_READS)
        with self._lock:
            for scope in scopes:
                stamp = secrets.token_hex(8)
                if self._db is None:
                    self._stamps[scope] = stamp
                else:
                    self._db.execute(
                        "INSERT INTO hat_stamps VALUES (?, ?, ?) ON CONFLICT (hat, scope)"
                        " DO UPDATE SET stamp = excluded.stamp",
                        (self._hat, scope, stamp),
                    )

    def close(self) -> None:
        """Release the stamps database (if any)."""
        if self._db is not None:
            self._db.close()


def _bypasses_cache(request: httpx.Request) -> bool:
    directives = request.headers.get("cache-control", "").lower()
    return any(part.strip() in {"no-cache", "no-store"} for part in directives.split(","))


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
    import sqlite3

    from hishel import SqliteStorage

    if cache_dir is None:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        return SqliteStorage(connection=connection, default_ttl=ttl)
    return SqliteStorage(database_path=private_file(cache_dir, _DB_NAME), default_ttl=ttl)


def _async_storage(ttl: float, cache_dir: str | Path | None) -> AsyncSqliteStorage:
    """A hishel storage for an async client: in memory, or a file in ``cache_dir``."""
    import sqlite3

    import anysqlite
    from hishel import AsyncSqliteStorage

    if cache_dir is None:
        connection = anysqlite.Connection(sqlite3.connect(":memory:", check_same_thread=False))
        return AsyncSqliteStorage(connection=connection, default_ttl=ttl)
    return AsyncSqliteStorage(database_path=private_file(cache_dir, _DB_NAME), default_ttl=ttl)


def private_file(cache_dir: str | Path, name: str) -> Path:
    """``cache_dir/name``, readable by this user only (the cache holds the HAT's data; SQLite
    gives its journals the database file's permissions). A file there that another user owns,
    or a link, is refused: whoever controls it could read the cache or forge its answers."""
    folder = Path(cache_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    for file in (path, *(path.with_name(path.name + tail) for tail in _SQLITE_SIDE_FILES)):
        _keep_private(file)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
    return path


#: The files SQLite keeps beside a database while it is in use.
_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def _keep_private(file: Path) -> None:
    try:
        status = file.lstat()
    except FileNotFoundError:
        return
    foreign = hasattr(os, "getuid") and status.st_uid != os.getuid()
    if foreign or stat.S_ISLNK(status.st_mode):
        raise InvalidInputError(
            f"cache_dir holds {file}, which is {'owned by another user' if foreign else 'a link'}:"
            " it could be read or changed by others. Give a cache_dir of your own."
        )
    if status.st_mode & 0o077:
        file.chmod(0o600)


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
