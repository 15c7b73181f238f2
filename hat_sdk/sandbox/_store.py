"""SQLite persistence of the sandbox HAT (records, link groups, application status, blobs).

One ``Store`` wraps one ``sqlite3`` connection (a file or ``:memory:``). It is used only from
the server's event-loop thread and every handler runs its store calls without awaiting in between,
so each request's reads and writes are atomic with respect to other requests.

Tables other modules may use through ``Store.connection`` (or the blob helpers):

- ``records(seq, record_id, source, date, data, hash)``: ``data`` is JSON text in JSONB key order
  and in the form responses use (compact, non-ASCII kept; see ``_jsonb.compact``), so a page can be
  sent without parsing it again; ``hash`` the SHA-256 of the data as sent (unique across the
  HAT), ``date`` epoch seconds.
- ``record_groups(group_id, record_id)``: link groups (a record may be in several groups).
- ``application_status(id, version, enabled)``: applications that were set up.
- ``users(user_id, email, pass, name, enabled)`` and ``user_roles(user_id, position, role,
  detail)``: accounts created through ``/users/user`` (the owner is not stored here; see
  ``_user_store``), like the HAT's ``user_user`` and ``user_role``.
- ``blobs(kind, key, value)``: free-form JSON documents keyed by ``(kind, key)`` for the other
  areas (combinators, bundles, data debits, files, SHE state). Pick a distinct ``kind`` per area;
  the core uses ``auth`` (signing keys, changed password) and ``system`` (last login).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hat_sdk.sandbox import _record_order
from hat_sdk.sandbox._jsonb import JsonValue, Stored, compact, stored

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    date REAL NOT NULL,
    data TEXT NOT NULL,
    hash BLOB NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS records_source_date ON records(source, date, seq);
CREATE TABLE IF NOT EXISTS record_groups (
    group_id TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES records(record_id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, record_id)
);
CREATE TABLE IF NOT EXISTS application_status (
    id TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    enabled INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    user_id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    pass TEXT,
    name TEXT NOT NULL,
    enabled INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS user_roles (
    user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (user_id, position)
);
CREATE TABLE IF NOT EXISTS blobs (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
"""


DUPLICATE = "Duplicate data"
UNSTORABLE = "Unexpected issue with inserting data"


class DuplicateDataError(Exception):
    """A record could not be stored; ``reason`` is the server's ``RichDataDuplicateException``
    message ([HAT] ``hat/app/org/hatdex/hat/api/service/richData/RichDataService.scala:129-140``).

    ``DUPLICATE``: the data hashes to the same value as a record already stored in this
    HAT (the ``data_json_hash_key`` constraint). ``UNSTORABLE``: any other database error,
    here data whose JSON text Postgres refuses once the HAT has deleted its ``\\u0000``s
    (see ``_jsonb.stored``).

    Routes answer it as the server does: ``POST /data/{ns}/{ep}`` 400 "Duplicate data -
    <reason>" (``controllers/RichData.scala:154-156``), ``POST /data-batch`` 400 "Could not
    insert data - <reason>" (l.201-203, 746-752), ``PUT /data`` a 500 (``updateRecords`` only
    recovers missing records, ``RichDataService.scala:290-295``); ``skipErrors=true`` skips
    the record (``RichDataService.scala:113-120``).
    """

    def __init__(self, reason: str = DUPLICATE) -> None:
        super().__init__(reason)
        self.reason = reason


def _storable(data: JsonValue) -> Stored:
    """``data`` as the HAT stores it; raises ``DuplicateDataError`` (UNSTORABLE) for what
    Postgres refuses (see ``_jsonb.stored``)."""
    try:
        return stored(data)
    except ValueError:
        raise DuplicateDataError(UNSTORABLE) from None


#: ``PRAGMA user_version`` of a database whose data is kept ``compact``.
_DATA_FORMAT = 1
#: Page ends remembered for the next page (see ``Store._date_page``): a few readers' worth.
_PAGE_ENDS_KEPT = 64
#: Positions remembered at the end of each page: a next page may start a few records back
#: (``hat export`` reads the last records of the page before again, to check them).
_ENDS_PER_PAGE = 32
#: ``columns`` of the records whose ``seq`` are in the JSON array parameter, in its order.
_PAGE_ROWS = (
    "SELECT {columns} FROM json_each(?) AS page JOIN records ON records.seq = page.value"
    " ORDER BY page.key"
)


class UnknownRecordError(Exception):
    """A referenced record id does not exist."""


@dataclass(frozen=True)
class StoredRecord:
    """One stored record. ``data`` is already in JSONB key order."""

    seq: int
    record_id: str
    source: str
    date: datetime
    data: JsonValue

    @property
    def namespace(self) -> str:
        """The namespace part of ``source`` (before the first ``/``)."""
        return self.source.split("/", 1)[0]

    def to_json(self, *, links: list[dict[str, JsonValue]] | None = None) -> dict[str, JsonValue]:
        """The ``EndpointData`` JSON (``links`` only when given)."""
        body: dict[str, JsonValue] = {
            "endpoint": self.source,
            "recordId": self.record_id,
            "data": self.data,
        }
        if links is not None:
            body["links"] = links
        return body


def _row(row: sqlite3.Row) -> StoredRecord:
    return StoredRecord(
        seq=row["seq"],
        record_id=row["record_id"],
        source=row["source"],
        date=datetime.fromtimestamp(row["date"], UTC),
        data=json.loads(row["data"]),
    )


class Store:
    """The sandbox database; see the module docstring for the tables."""

    def __init__(self, path: str = ":memory:") -> None:
        # The connection is created by the thread that builds the app but used by the server
        # thread only; the event loop serialises all access.
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.connection.row_factory = sqlite3.Row
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.executescript(_SCHEMA)
        _record_order.register(self.connection)
        self._depth = 0
        #: (source, descending, offset) -> (writes seen, date, seq) of the record before it.
        self._page_ends: dict[tuple[str, bool, int], tuple[tuple[int, int], float, int]] = {}
        self._store_data_as_sent()

    def _store_data_as_sent(self) -> None:
        """Rewrite the data of a database file from before it was kept ``compact``, so that its
        pages too are sent as they would be encoded (``PRAGMA user_version`` 1)."""
        (version,) = self.connection.execute("PRAGMA user_version").fetchone()
        if version >= _DATA_FORMAT:
            return
        with self.transaction():
            rows = self.connection.execute("SELECT seq, data FROM records").fetchall()
            self.connection.executemany(
                "UPDATE records SET data = ? WHERE seq = ?",
                [(compact(json.loads(data)), seq) for seq, data in rows],
            )
            self.connection.execute(f"PRAGMA user_version = {_DATA_FORMAT}")

    def close(self) -> None:
        """Close the underlying connection."""
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all (nests with savepoints)."""
        name = f"sp{self._depth}"
        self.connection.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self.connection.execute(f"ROLLBACK TO {name}")
            self.connection.execute(f"RELEASE {name}")
            raise
        else:
            self.connection.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    # Records -------------------------------------------------------------------------------

    def insert_record(self, source: str, data: JsonValue, now: datetime) -> StoredRecord:
        """Store ``data`` (as sent) under ``source``; raises ``DuplicateDataError``."""
        record_id = str(uuid.uuid4())
        form = _storable(data)
        try:
            cursor = self.connection.execute(
                "INSERT INTO records (record_id, source, date, data, hash) VALUES (?, ?, ?, ?, ?)",
                (record_id, source, now.timestamp(), form.text, form.hash),
            )
        except sqlite3.IntegrityError as exc:
            raise DuplicateDataError() from exc
        assert cursor.lastrowid is not None
        return StoredRecord(cursor.lastrowid, record_id, source, now, form.data)

    def update_record(self, record_id: str, data: JsonValue, now: datetime) -> bool:
        """Replace a record's data (source unchanged); ``False`` if the id is unknown.

        Raises ``DuplicateDataError`` when another record already holds identical data or
        the data cannot be stored.
        """
        form = _storable(data)
        try:
            cursor = self.connection.execute(
                "UPDATE records SET data = ?, hash = ?, date = ? WHERE record_id = ?",
                (form.text, form.hash, now.timestamp(), record_id),
            )
        except sqlite3.IntegrityError as exc:
            raise DuplicateDataError() from exc
        return cursor.rowcount == 1

    def get_record(self, record_id: str) -> StoredRecord | None:
        """The record with this id, if any."""
        row = self.connection.execute(
            "SELECT * FROM records WHERE record_id = ?", (record_id,)
        ).fetchone()
        return _row(row) if row is not None else None

    def get_records(self, record_ids: Iterable[str]) -> list[StoredRecord]:
        """The existing records among ``record_ids`` (unknown ids are skipped), insertion order."""
        ids = list(dict.fromkeys(record_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.connection.execute(
            f"SELECT * FROM records WHERE record_id IN ({marks}) ORDER BY seq", ids
        )
        return [_row(r) for r in rows]

    def records_for_source(self, source: str) -> list[StoredRecord]:
        """All records stored under exactly ``source`` (``ns/ep``), oldest first."""
        rows = self.connection.execute(
            "SELECT * FROM records WHERE source = ? ORDER BY seq", (source,)
        )
        return [_row(r) for r in rows]

    def page_of_source(
        self, source: str, *, order_by: str | None, descending: bool, skip: int, take: int
    ) -> list[StoredRecord]:
        """Records ``skip`` to ``skip + take`` of ``source`` in the HAT's order (see
        ``_record_order``): by the data field ``order_by``, else by date. Cut in SQL, so a page
        costs about its own size, not the endpoint's."""
        return [_row(row) for row in self._page_rows(source, order_by, descending, skip, take)]

    def page_of_source_json(
        self, source: str, *, order_by: str | None, descending: bool, skip: int, take: int
    ) -> bytes:
        """The same page as the JSON array of ``EndpointData`` that ``json_response`` would
        send, built from the stored text: the records are not parsed and encoded again."""
        endpoint = compact(source)
        cursor = self.connection.cursor()
        cursor.row_factory = None
        page = self._page_seqs(source, order_by, descending, skip, take)
        rows = cursor.execute(_PAGE_ROWS.format(columns="record_id, data"), (page,))
        items = ",".join(
            f'{{"endpoint":{endpoint},"recordId":"{record_id}","data":{data}}}'
            for record_id, data in rows
        )
        return f"[{items}]".encode()

    def _page_rows(
        self, source: str, order_by: str | None, descending: bool, skip: int, take: int
    ) -> list[sqlite3.Row]:
        page = self._page_seqs(source, order_by, descending, skip, take)
        return list(self.connection.execute(_PAGE_ROWS.format(columns="records.*"), (page,)))

    def _page_seqs(
        self, source: str, order_by: str | None, descending: bool, skip: int, take: int
    ) -> str:
        """The ``seq`` of the page's records, in order, as a JSON array (one SQL parameter,
        however long the page: SQL variables are limited)."""
        bounds = {"source": source, "take": max(take, 0), "skip": max(skip, 0)}
        if order_by is None:
            return json.dumps(self._date_page(descending, bounds))
        query, params = _record_order.page_query(order_by, descending)
        seqs = self.connection.execute(query, {**params, **bounds})
        return json.dumps([seq for (seq,) in seqs])

    def _date_page(self, descending: bool, bounds: dict[str, Any]) -> list[int]:
        # Reading an endpoint page after page is the common case: the page that starts where
        # the last one ended (or a few records before) continues from the record before it
        # (keyset) instead of stepping over every record before it again, while nothing was
        # written since: by this connection (total_changes) or another one on the same file
        # (data_version).
        start = (bounds["source"], descending, bounds["skip"])
        (version,) = self.connection.execute("PRAGMA data_version").fetchone()
        changes = (self.connection.total_changes, version)
        last = self._page_ends.get(start)
        if last is not None and last[0] == changes:
            query = _record_order.date_page_query(descending, after=True)
            params = {**bounds, "date": last[1], "seq": last[2]}
        else:
            query, params = _record_order.date_page_query(descending, after=False), bounds
        rows = self.connection.execute(query, params).fetchall()
        first_kept = max(len(rows) - _ENDS_PER_PAGE, 0)
        for position, (seq, date) in enumerate(rows[first_kept:], bounds["skip"] + first_kept + 1):
            key = (bounds["source"], descending, position)
            self._page_ends.pop(key, None)  # re-inserted last: the newest are evicted last
            self._page_ends[key] = (changes, date, seq)
        while len(self._page_ends) > _PAGE_ENDS_KEPT * _ENDS_PER_PAGE:
            del self._page_ends[next(iter(self._page_ends))]
        return [seq for seq, _ in rows]

    def delete_records(self, record_ids: Sequence[str]) -> None:
        """Delete these records, their link rows and groups left with fewer than two members."""
        marks = ",".join("?" * len(record_ids))
        self.connection.execute(f"DELETE FROM records WHERE record_id IN ({marks})", record_ids)
        self._drop_lonely_groups()

    def delete_source(self, source: str) -> None:
        """Delete every record stored under exactly ``source``."""
        self.connection.execute("DELETE FROM records WHERE source = ?", (source,))
        self._drop_lonely_groups()

    def sources(self) -> list[str]:
        """Distinct ``ns/ep`` sources that hold records."""
        rows = self.connection.execute("SELECT DISTINCT source FROM records ORDER BY source")
        return [r["source"] for r in rows]

    def count_records(self) -> int:
        """How many records the HAT holds."""
        return int(self.connection.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    # Links ---------------------------------------------------------------------------------

    def link(self, record_ids: Sequence[str]) -> str:
        """Create a group linking ``record_ids``; raises ``UnknownRecordError``."""
        group_id = str(uuid.uuid4())
        try:
            self.connection.executemany(
                "INSERT INTO record_groups (group_id, record_id) VALUES (?, ?)",
                [(group_id, r) for r in dict.fromkeys(record_ids)],
            )
        except sqlite3.IntegrityError as exc:
            raise UnknownRecordError(group_id) from exc
        return group_id

    def linked_records(self, record_id: str) -> list[StoredRecord]:
        """Records sharing a link group with ``record_id`` (itself excluded), insertion order."""
        rows = self.connection.execute(
            "SELECT DISTINCT r.* FROM record_groups g1"
            " JOIN record_groups g2 ON g1.group_id = g2.group_id"
            " JOIN records r ON r.record_id = g2.record_id"
            " WHERE g1.record_id = ? AND g2.record_id != ? ORDER BY r.seq",
            (record_id, record_id),
        )
        return [_row(r) for r in rows]

    def _drop_lonely_groups(self) -> None:
        self.connection.execute(
            "DELETE FROM record_groups WHERE group_id IN (SELECT group_id FROM record_groups"
            " GROUP BY group_id HAVING COUNT(*) < 2)"
        )

    # Applications --------------------------------------------------------------------------

    def application_status(self, app_id: str) -> tuple[str, bool] | None:
        """``(version, enabled)`` of an application that was ever set up, else ``None``."""
        row = self.connection.execute(
            "SELECT version, enabled FROM application_status WHERE id = ?", (app_id,)
        ).fetchone()
        return (row["version"], bool(row["enabled"])) if row is not None else None

    def set_application_status(self, app_id: str, version: str, enabled: bool) -> None:
        """Record that an application is set up (``enabled``) or disabled."""
        self.connection.execute(
            "INSERT INTO application_status (id, version, enabled) VALUES (?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET version = excluded.version,"
            " enabled = excluded.enabled",
            (app_id, version, int(enabled)),
        )

    # Blobs ---------------------------------------------------------------------------------

    def put_blob(self, kind: str, key: str, value: JsonValue) -> None:
        """Insert or replace the JSON document ``(kind, key)``."""
        self.connection.execute(
            "INSERT INTO blobs (kind, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value",
            (kind, key, json.dumps(value)),
        )

    def get_blob(self, kind: str, key: str) -> JsonValue | None:
        """The JSON document ``(kind, key)``, or ``None``."""
        row = self.connection.execute(
            "SELECT value FROM blobs WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return json.loads(row["value"]) if row is not None else None

    def list_blobs(self, kind: str) -> list[tuple[str, Any]]:
        """All ``(key, document)`` pairs of one kind, ordered by key."""
        rows = self.connection.execute(
            "SELECT key, value FROM blobs WHERE kind = ? ORDER BY key", (kind,)
        )
        return [(r["key"], json.loads(r["value"])) for r in rows]

    def delete_blob(self, kind: str, key: str) -> None:
        """Remove the document ``(kind, key)`` if present."""
        self.connection.execute("DELETE FROM blobs WHERE kind = ? AND key = ?", (kind, key))
