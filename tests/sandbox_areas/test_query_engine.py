"""Unit tests of the combinator / bundle evaluation engine over an in-memory record source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hat_sdk.sandbox._bundles import (
    QueryEvaluationError,
    apply_mapping,
    bundle_conditions,
    bundle_records,
    jsonb_compare,
    jsonb_contains,
    query_records,
)
from hat_sdk.sandbox._queries import (
    QueryValidationError,
    parse_bundle_properties,
    parse_endpoint_queries,
)

_T0 = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Record:
    seq: int
    record_id: str
    source: str
    date: datetime
    data: Any


class FakeSource:
    """Records in insertion order plus link groups."""

    def __init__(self) -> None:
        self.all: list[Record] = []
        self.groups: list[set[str]] = []

    def add(self, source: str, data: Any) -> str:
        seq = len(self.all)
        record = Record(seq, f"r{seq}", source, _T0 + timedelta(seconds=seq), data)
        self.all.append(record)
        return record.record_id

    def link(self, *record_ids: str) -> None:
        self.groups.append(set(record_ids))

    def records_for_source(self, source: str) -> Sequence[Record]:
        return [r for r in self.all if r.source == source]

    def linked_records(self, record_id: str) -> Sequence[Record]:
        ids = {i for g in self.groups if record_id in g for i in g} - {record_id}
        return [r for r in self.all if r.record_id in ids]


def _run(source: FakeSource, queries: Any, **options: Any) -> list[dict[str, Any]]:
    return query_records(parse_endpoint_queries(queries), source, **options)


def _data(results: list[dict[str, Any]]) -> list[Any]:
    return [r["data"] for r in results]


# --- mapping -------------------------------------------------------------------------------


def test_mapping_copies_paths_with_indexes_and_skips_missing_fields() -> None:
    data = {
        "anotherField": "x",
        "object": {"objectFieldArray": [1, 2], "education": ["school", "uni"]},
    }
    mapping = {
        "data.newField": "anotherField",
        "data.arrayField": "object.objectFieldArray",
        "data.onemore": "object.education[1]",
        "data.absent": "object.nothing",
    }
    assert apply_mapping(mapping, data) == {
        "data": {"newField": "x", "arrayField": [1, 2], "onemore": "uni"}
    }


def test_mapping_keeps_null_values_but_not_missing_ones() -> None:
    assert apply_mapping({"a": "x", "b": "y"}, {"x": None}) == {"a": None}


def test_nested_array_mapping_maps_each_element() -> None:
    data = {"items": [{"n": 1, "extra": True}, {"n": 2}, 5]}
    mapping = {"out[]": {"source": "items[]", "mappings": {"value": "n"}}}
    assert apply_mapping(mapping, data) == {"out": [{"value": 1}, {"value": 2}, {}]}


def test_nested_object_mapping_without_array_marker() -> None:
    data = {"profile": {"name": "Ann", "age": 3}}
    mapping = {"who": {"source": "profile", "mappings": {"n": "name"}}}
    assert apply_mapping(mapping, data) == {"who": {"n": "Ann"}}


def test_invalid_mapping_template_gives_empty_object() -> None:
    assert apply_mapping({"a": 5}, {"a": 1}) == {}


def test_no_mapping_returns_data_unchanged() -> None:
    assert apply_mapping(None, [1, 2]) == [1, 2]


def test_mappings_with_shared_prefix_are_deep_merged() -> None:
    data = {"a": 1, "b": 2}
    assert apply_mapping({"x.a": "a", "x.b": "b"}, data) == {"x": {"a": 1, "b": 2}}


# --- JSONB semantics -----------------------------------------------------------------------


def test_jsonb_containment() -> None:
    assert jsonb_contains({"a": 1, "b": {"c": [1, 2]}}, {"b": {"c": [2]}})
    assert not jsonb_contains({"a": 1}, {"a": 2})
    assert jsonb_contains(["phata", "twitter"], "phata")
    assert jsonb_contains([1, [2, 3]], [[3]])
    assert not jsonb_contains(1, True)
    assert jsonb_contains(7.0, 7)


def test_jsonb_ordering_across_types() -> None:
    assert jsonb_compare(None, "a") < 0
    assert jsonb_compare("z", 1) < 0
    assert jsonb_compare(1, True) < 0
    assert jsonb_compare(True, [1]) < 0
    assert jsonb_compare([1], {"a": 1}) < 0
    assert jsonb_compare(2, 10) < 0
    assert jsonb_compare("b", "a") > 0


# --- filters -------------------------------------------------------------------------------


@pytest.fixture
def people() -> FakeSource:
    source = FakeSource()
    source.add("test/people", {"name": "Ann Smith", "age": 31, "tags": ["a", "b"]})
    source.add("test/people", {"name": "Bob Jones", "age": 45, "tags": ["b"]})
    source.add("test/people", {"name": "Cid", "tags": []})
    source.add("test/other", {"name": "Ann Smith", "age": 31})
    return source


def _filtered(source: FakeSource, *filters: dict[str, Any]) -> list[Any]:
    return _data(_run(source, [{"endpoint": "test/people", "filters": list(filters)}]))


def test_contains_filter(people: FakeSource) -> None:
    result = _filtered(
        people, {"field": "tags", "operator": {"operator": "contains", "value": "a"}}
    )
    assert [d["name"] for d in result] == ["Ann Smith"]


def test_in_filter(people: FakeSource) -> None:
    result = _filtered(people, {"field": "age", "operator": {"operator": "in", "value": [45, 50]}})
    assert [d["name"] for d in result] == ["Bob Jones"]


def test_between_filter_skips_records_without_the_field(people: FakeSource) -> None:
    between = {"operator": "between", "lower": 30, "upper": 40}
    assert [d["name"] for d in _filtered(people, {"field": "age", "operator": between})] == [
        "Ann Smith"
    ]


def test_filters_are_anded(people: FakeSource) -> None:
    result = _filtered(
        people,
        {"field": "tags", "operator": {"operator": "contains", "value": "b"}},
        {"field": "age", "operator": {"operator": "between", "lower": 40, "upper": 50}},
    )
    assert [d["name"] for d in result] == ["Bob Jones"]


def test_find_with_searchable_matches_words_case_insensitively(people: FakeSource) -> None:
    find = {
        "field": "name",
        "transformation": {"transformation": "searchable"},
        "operator": {"operator": "find", "search": "smith ANN"},
    }
    assert [d["name"] for d in _filtered(people, find)] == ["Ann Smith"]


def test_find_without_searchable_is_ignored_like_the_server(people: FakeSource) -> None:
    find = {"field": "name", "operator": {"operator": "find", "search": "nobody"}}
    assert len(_filtered(people, find)) == 3


def test_datetime_extract_between() -> None:
    source = FakeSource()
    for hour in (6, 8, 10):
        source.add("rumpel/locations", {"t": f"2017-04-23T{hour:02d}:11:17+0000"})
    source.add("rumpel/locations", {"t": "2017-04-23T09:30:00+01:00"})
    query = [
        {
            "endpoint": "rumpel/locations",
            "filters": [
                {
                    "field": "t",
                    "transformation": {"transformation": "datetimeExtract", "part": "hour"},
                    "operator": {"operator": "between", "lower": 7, "upper": 9},
                }
            ],
        }
    ]
    assert _data(_run(source, query)) == [
        {"t": "2017-04-23T08:11:17+0000"},
        {"t": "2017-04-23T09:30:00+01:00"},
    ]


def test_timestamp_extract_contains() -> None:
    source = FakeSource()
    source.add("x/y", {"ts": 1514764800})  # 2018-01-01 (Monday) UTC
    source.add("x/y", {"ts": 1517443200})  # 2018-02-01
    query = [
        {
            "endpoint": "x/y",
            "filters": [
                {
                    "field": "ts",
                    "transformation": {"transformation": "timestampExtract", "part": "month"},
                    "operator": {"operator": "contains", "value": 2},
                }
            ],
        }
    ]
    assert _data(_run(source, query)) == [{"ts": 1517443200}]


def test_date_part_of_a_non_date_fails_the_query() -> None:
    source = FakeSource()
    source.add("x/y", {"t": "not a date"})
    query = [
        {
            "endpoint": "x/y",
            "filters": [
                {
                    "field": "t",
                    "transformation": {"transformation": "datetimeExtract", "part": "hour"},
                    "operator": {"operator": "contains", "value": 1},
                }
            ],
        }
    ]
    with pytest.raises(QueryEvaluationError):
        _run(source, query)


# --- links, ordering, limits ---------------------------------------------------------------


def test_links_attach_linked_records_with_their_mapping() -> None:
    source = FakeSource()
    note = source.add("rumpel/notable", {"message": "hi"})
    nudge = source.add("rumpel/nudge", {"nudge": "share", "time": "t"})
    other = source.add("rumpel/other", {"v": 1})
    lonely = source.add("rumpel/notable", {"message": "alone"})
    source.link(note, nudge, other)
    query = [
        {
            "endpoint": "rumpel/notable",
            "links": [{"endpoint": "rumpel/nudge", "mapping": {"what": "nudge"}}],
        }
    ]
    results = _run(source, query)
    assert results[0] == {
        "endpoint": "rumpel/notable",
        "recordId": note,
        "data": {"message": "hi"},
        "links": [{"endpoint": "rumpel/nudge", "recordId": nudge, "data": {"what": "share"}}],
    }
    assert results[1] == {
        "endpoint": "rumpel/notable",
        "recordId": lonely,
        "data": {"message": "alone"},
    }


def test_multiple_endpoints_ordered_by_field_with_limit() -> None:
    source = FakeSource()
    source.add("a/x", {"v": 3})
    source.add("b/y", {"v": 1})
    source.add("a/x", {"v": 2})
    source.add("b/y", {"w": 0})
    bundle = parse_bundle_properties(
        "b",
        {
            "p": {
                "endpoints": [{"endpoint": "a/x"}, {"endpoint": "b/y"}],
                "orderBy": "v",
                "ordering": "descending",
                "limit": 3,
            },
            "all": {"endpoints": [{"endpoint": "a/x"}, {"endpoint": "b/y"}], "orderBy": "v"},
        },
    )
    result = bundle_records(bundle, source)
    assert _data(result["p"]) == [{"v": 3}, {"v": 2}, {"v": 1}]
    # Without a limit every record comes back; records lacking the field sort last.
    assert _data(result["all"]) == [{"v": 1}, {"v": 2}, {"v": 3}, {"w": 0}]


def test_default_order_is_write_order_with_skip_and_take() -> None:
    source = FakeSource()
    for i in range(5):
        source.add("a/x", {"i": i})
    queries = [{"endpoint": "a/x"}]
    assert _data(_run(source, queries, skip=1, take=2)) == [{"i": 1}, {"i": 2}]
    assert _data(_run(source, queries, descending=True, take=2)) == [{"i": 4}, {"i": 3}]


def test_conditions_hold_when_a_property_selects_records(people: FakeSource) -> None:
    conditions = parse_bundle_properties(
        "c",
        {
            "adult": {
                "endpoints": [
                    {
                        "endpoint": "test/people",
                        "filters": [
                            {
                                "field": "age",
                                "operator": {"operator": "between", "lower": 18, "upper": 99},
                            }
                        ],
                    }
                ]
            },
            "robots": {"endpoints": [{"endpoint": "test/robots"}]},
        },
    )
    assert bundle_conditions(conditions, people) == {"adult": True, "robots": False}


# --- parsing -------------------------------------------------------------------------------


def test_invalid_queries_report_play_style_paths() -> None:
    with pytest.raises(QueryValidationError) as caught:
        parse_endpoint_queries([{"endpoint": "Bad_NS"}, {"filters": []}])
    assert caught.value.errors == {
        "obj[0].endpoint": [{"msg": ["Endpoint invalid"], "args": []}],
        "obj[1].endpoint": [{"msg": ["error.path.missing"], "args": []}],
    }


def test_queries_round_trip_to_json() -> None:
    raw = [
        {
            "endpoint": "rumpel/locations",
            "mapping": {"lat": "data.latitude"},
            "filters": [
                {
                    "field": "t",
                    "transformation": {"transformation": "datetimeExtract", "part": "hour"},
                    "operator": {"operator": "between", "lower": 7, "upper": 9},
                }
            ],
            "links": [{"endpoint": "rumpel/nudge"}],
        }
    ]
    assert [q.to_json() for q in parse_endpoint_queries(raw)] == raw
