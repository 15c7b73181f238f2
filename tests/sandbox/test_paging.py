"""Pages of ``GET /data/{ns}/{ep}`` are cut in SQL in exactly the query engine's order."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hat_sdk.sandbox._bundles import query_records
from hat_sdk.sandbox._http import json_response
from hat_sdk.sandbox._queries import EndpointQuery
from hat_sdk.sandbox._store import Store

SOURCE = "sandbox-app/mixed"
NOW = datetime(2026, 1, 1, tzinfo=UTC)

# Every JSONB type, ties, numbers of both kinds, strings beyond ASCII, arrays and objects of
# different sizes, and records without the field.
VALUES: list[object] = [
    "b",
    3,
    None,
    [1, 2],
    {"k": 1},
    True,
    "a",
    2.5,
    False,
    [1],
    {"a": 1, "b": 0},
    "é",
    "Z",
    -1,
    3.0,
    [0, 9],
    {"k": 0},
    "",
    [[1]],
    {"k": [1]},
    10**12,
    "a",
    3,
    "\U0001f600",
    0.1,
]
FIELDS = ["v", "nest.v", "items[0]", "items.0", "odd-key", "list[]"]


def _data(index: int, value: object) -> dict[str, object]:
    data: dict[str, object] = {"i": index}
    if index % 7 != 3:  # some records lack every field
        data |= {"v": value, "nest": {"v": value}, "odd-key": value}
        data |= {"items": [value, index], "list": value}
    return data


@pytest.fixture
def store() -> Iterator[Store]:
    db = Store()
    for index, value in enumerate(VALUES * 2):
        # Dates repeat so that ordering by date has ties too.
        db.insert_record(SOURCE, _data(index, value), NOW + timedelta(seconds=index // 3))
    db.insert_record("sandbox-app/other", {"v": "elsewhere"}, NOW)
    yield db
    db.close()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("order_by", [None, *FIELDS])
def test_sql_page_matches_the_query_engine(
    store: Store, order_by: str | None, descending: bool
) -> None:
    everything = query_records(
        [EndpointQuery(SOURCE)], store, order_by=order_by, descending=descending
    )
    expected = [r["recordId"] for r in everything]
    assert len(expected) == 2 * len(VALUES)
    for skip, take in [(0, 1000), (0, 7), (7, 7), (45, 10), (49, 1), (50, 5), (3, 0), (-2, 4)]:
        page = store.page_of_source(
            SOURCE, order_by=order_by, descending=descending, skip=skip, take=take
        )
        assert [r.record_id for r in page] == expected[max(skip, 0) :][:take], (skip, take)


def test_field_order_puts_missing_last_both_ways(store: Store) -> None:
    for descending in (False, True):
        page = store.page_of_source(SOURCE, order_by="v", descending=descending, skip=0, take=100)
        missing = [r for r in page if isinstance(r.data, dict) and "v" not in r.data]
        assert missing
        assert page[-len(missing) :] == missing


def test_pages_over_http_concatenate_to_the_whole_order(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    path = "/api/v2.6/data/sandbox-app/pages"
    values = [{"n": (i * 7) % 20, "i": i} for i in range(20)]
    assert client.post(path, json=values, headers=owner).status_code == 201
    query = {"orderBy": "n", "ordering": "descending"}
    pages = [
        client.get(path, params={**query, "skip": skip, "take": 6}, headers=owner).json()
        for skip in range(0, 20, 6)
    ]
    assert [len(p) for p in pages] == [6, 6, 6, 2]
    assert [r["data"]["n"] for p in pages for r in p] == list(range(19, -1, -1))
    # The query-string filter still applies to the page it is given.
    filtered = client.get(path, params={**query, "take": 6, "i": "x"}, headers=owner).json()
    assert filtered == []


@pytest.mark.parametrize("descending", [False, True])
def test_page_after_page_follows_offsets_when_records_change_between_pages(
    store: Store, descending: bool
) -> None:
    def page(skip: int) -> list[str]:
        records = store.page_of_source(
            SOURCE, order_by=None, descending=descending, skip=skip, take=5
        )
        return [r.record_id for r in records]

    def by_offset(skip: int) -> list[str]:
        everything = query_records([EndpointQuery(SOURCE)], store, descending=descending)
        return [r["recordId"] for r in everything][skip : skip + 5]

    assert page(0) == by_offset(0)
    assert page(5) == by_offset(5)  # continues where the first page ended
    [gone] = store.page_of_source(SOURCE, order_by=None, descending=descending, skip=2, take=1)
    store.delete_records([gone.record_id])
    assert page(10) == by_offset(10)  # shifted by the delete, as an offset is
    store.insert_record(SOURCE, {"i": "new"}, NOW - timedelta(days=1 if descending else -1))
    assert page(15) == by_offset(15)
    assert page(20) == by_offset(20)


@pytest.mark.parametrize("descending", [False, True])
def test_pages_that_start_a_few_records_back_follow_offsets(store: Store, descending: bool) -> None:
    # hat export reads the last records of the page before again, to check them.
    def page(skip: int, take: int) -> list[str]:
        records = store.page_of_source(
            SOURCE, order_by=None, descending=descending, skip=skip, take=take
        )
        return [r.record_id for r in records]

    def by_offset(skip: int, take: int) -> list[str]:
        everything = query_records([EndpointQuery(SOURCE)], store, descending=descending)
        return [r["recordId"] for r in everything][skip : skip + take]

    assert page(0, 10) == by_offset(0, 10)
    assert page(7, 13) == by_offset(7, 13)  # from 3 records before the end of the last page
    assert page(7, 13) == by_offset(7, 13)  # the same page again
    assert page(17, 6) == by_offset(17, 6)
    [gone] = store.page_of_source(SOURCE, order_by=None, descending=descending, skip=1, take=1)
    store.delete_records([gone.record_id])
    assert page(20, 10) == by_offset(20, 10)  # shifted by the delete, as an offset is


def test_a_page_is_sent_exactly_as_its_records_would_be_encoded(store: Store) -> None:
    data = {"text": "caf\u00e9 \U0001f600", "n": 1.5, "s": 'a"\\'}
    store.insert_record(SOURCE, data, NOW + timedelta(days=1))  # last in date order
    count = 2 * len(VALUES) + 1
    records = store.page_of_source(SOURCE, order_by=None, descending=False, skip=0, take=count)
    sent = store.page_of_source_json(SOURCE, order_by=None, descending=False, skip=0, take=count)
    assert sent == json_response([r.to_json() for r in records]).body
    assert json.loads(sent)[-1]["data"] == data


def test_pages_follow_offsets_when_another_connection_writes_between_them(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "hat.db")
    reader, writer = Store(path), Store(path)
    try:
        for index in range(12):
            writer.insert_record(SOURCE, {"i": index}, NOW + timedelta(seconds=index))

        def page(skip: int) -> list[object]:
            records = reader.page_of_source(
                SOURCE, order_by=None, descending=False, skip=skip, take=4
            )
            return [r.data for r in records]

        assert page(0) == [{"i": i} for i in range(4)]
        [first] = writer.page_of_source(SOURCE, order_by=None, descending=False, skip=0, take=1)
        writer.delete_records([first.record_id])
        assert page(4) == [{"i": i} for i in range(5, 9)]  # shifted, as offsets are
    finally:
        reader.close()
        writer.close()


def test_a_database_written_by_an_older_sandbox_sends_pages_as_they_are_encoded(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "old.db")
    Store(path).close()
    data = {"text": "caf\u00e9", "n": [1, 2.5]}
    with closing(sqlite3.connect(path)) as old:  # as before: json.dumps defaults, version 0
        old.execute(
            "INSERT INTO records (record_id, source, date, data, hash) VALUES (?, ?, ?, ?, ?)",
            ("00000000-0000-4000-8000-000000000001", SOURCE, 0.0, json.dumps(data), b"h"),
        )
        old.execute("PRAGMA user_version = 0")
        old.commit()
    store = Store(path)
    try:
        window = {"order_by": None, "descending": False, "skip": 0, "take": 5}
        records = store.page_of_source(SOURCE, **window)  # type: ignore[arg-type]
        sent = store.page_of_source_json(SOURCE, **window)  # type: ignore[arg-type]
        assert [r.data for r in records] == [data]
        assert sent == json_response([r.to_json() for r in records]).body
    finally:
        store.close()
