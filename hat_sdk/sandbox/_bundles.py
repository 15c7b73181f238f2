"""Evaluation of combinators and data bundles over stored records.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/service/richData/RichDataService.scala``
(``generatedDataQuery``, ``propertyData``, ``bundleData``), ``FieldTransformable.scala`` and
``JsonDataTransformer.scala`` (mappings) beside it.

Pure functions over plain Python data. The real server compiles queries to Postgres JSONB SQL;
this module reproduces its observable semantics: ``contains``/``in`` are JSONB ``@>``/``<@``,
``between`` uses JSONB ordering, date parts follow Postgres ``date_part`` in UTC, a missing field
never matches, ``find`` only filters with the ``searchable`` transformation (and other operators
ignore it), and a mapping that cannot be applied yields ``{}``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cmp_to_key
from typing import Protocol

from hat_sdk.sandbox._queries import (
    Bundle,
    EndpointQuery,
    Json,
    PropertyQuery,
    QueryFilter,
    Transformation,
)


class QueryEvaluationError(Exception):
    """A query failed at evaluation time (e.g. a date part of a value that is not a date)."""


class RecordLike(Protocol):
    """A stored record as the engine reads it (the sandbox store's records fit)."""

    @property
    def seq(self) -> int:
        """Insertion sequence number (tie-break of equal dates)."""
        ...

    @property
    def record_id(self) -> str:
        """The record UUID."""
        ...

    @property
    def source(self) -> str:
        """``namespace/endpoint``."""
        ...

    @property
    def date(self) -> datetime:
        """Last write time (insertion or update): the default ordering."""
        ...

    @property
    def data(self) -> Json:
        """The record's JSON data."""
        ...


class RecordSource(Protocol):
    """Read access to stored records (the sandbox ``Store`` satisfies it)."""

    def records_for_source(self, source: str) -> Sequence[RecordLike]:
        """Records whose source is exactly ``source``."""
        ...

    def linked_records(self, record_id: str) -> Sequence[RecordLike]:
        """Records sharing a link group with ``record_id`` (excluding itself)."""
        ...


# --- paths ---------------------------------------------------------------------------------

_NODE_RE = re.compile(r"^(\w+)(\[([0-9]*)\])?$")
_MISSING = object()


def _path_nodes(path: str) -> list[str | int]:
    """``a.b[2].c`` → ``["a", "b", 2, "c"]``; ``name[]`` is ``name``."""
    nodes: list[str | int] = []
    for part in path.split("."):
        match = _NODE_RE.match(part)
        if match is None:
            nodes.append(part)
            continue
        nodes.append(match.group(1))
        if match.group(3):
            nodes.append(int(match.group(3)))
    return nodes


def pick(data: Json, path: str) -> object:
    """The value at ``path`` in ``data`` or the module sentinel when absent (see ``has``)."""
    current: object = data
    for node in _path_nodes(path):
        if isinstance(current, dict) and str(node) in current:
            current = current[str(node)]
            continue
        index = _as_index(node) if isinstance(current, list) else None
        if not isinstance(current, list) or index is None or not 0 <= index < len(current):
            return _MISSING
        current = current[index]
    return current


def has(value: object) -> bool:
    """Whether a ``pick`` result is a real value."""
    return value is not _MISSING


def _as_index(node: str | int) -> int | None:
    if isinstance(node, int):
        return node
    return int(node) if node.isdigit() else None


# --- mapping -------------------------------------------------------------------------------


class _MappingInvalid(Exception):
    """A mapping template value is neither a path string nor a ``{source, mappings}`` object."""


def _deep_merge(base: dict[str, Json], extra: dict[str, Json]) -> dict[str, Json]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _placed(destination: str, value: Json) -> dict[str, Json]:
    """``{"a": {"b": value}}`` for destination ``a.b`` (array indexes are not destinations)."""
    keys = [str(node) for node in _path_nodes(destination.removesuffix("[]"))]
    result: Json = value
    for key in reversed(keys):
        result = {key: result}
    placed: dict[str, Json] = result
    return placed


def _map_one(destination: str, source: Json, data: Json) -> dict[str, Json]:
    if isinstance(source, str):
        value = pick(data, source)
        return _placed(destination, value) if has(value) else {}
    if isinstance(source, dict) and isinstance(source.get("source"), str):
        nested = source.get("mappings")
        if not isinstance(nested, dict) or not nested:
            raise _MappingInvalid
        picked = pick(data, source["source"].removesuffix("[]"))
        if not has(picked):
            return {}
        if destination.endswith("[]"):
            if not isinstance(picked, list):
                return {}
            return _placed(destination, [_apply(nested, item) for item in picked])
        return _placed(destination, _apply(nested, picked))
    raise _MappingInvalid


def _apply(mapping: dict[str, Json], data: Json) -> dict[str, Json]:
    result: dict[str, Json] = {}
    for destination, source in mapping.items():
        result = _deep_merge(result, _map_one(destination, source, data))
    return result


def apply_mapping(mapping: dict[str, Json] | None, data: Json) -> Json:
    """Remap ``data`` with a destination→source ``mapping``; no mapping returns ``data`` as is.

    Missing source fields are skipped; an invalid template quietly gives ``{}`` like the server.
    """
    if mapping is None:
        return data
    try:
        return _apply(mapping, data)
    except _MappingInvalid:
        return {}


# --- JSONB semantics -----------------------------------------------------------------------


def _is_number(value: Json) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _scalar_equal(left: Json, right: Json) -> bool:
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    return type(left) is type(right) and left == right


def jsonb_contains(container: Json, contained: Json, *, top: bool = True) -> bool:
    """Postgres ``container @> contained`` for JSONB values."""
    if isinstance(container, dict):
        return isinstance(contained, dict) and all(
            key in container and jsonb_contains(container[key], value, top=False)
            for key, value in contained.items()
        )
    if isinstance(container, list):
        if isinstance(contained, list):
            return all(
                any(jsonb_contains(item, wanted, top=False) for item in container)
                for wanted in contained
            )
        # A top-level array contains a primitive it has as an element.
        if top and not isinstance(contained, dict):
            return any(_scalar_equal(item, contained) for item in container)
        return False
    return not isinstance(contained, dict | list) and _scalar_equal(container, contained)


def _type_rank(value: Json) -> int:
    # Postgres JSONB btree order: Object > Array > Boolean > Number > String > Null.
    if value is None:
        return 0
    if isinstance(value, str):
        return 1
    if _is_number(value):
        return 2
    if isinstance(value, bool):
        return 3
    if isinstance(value, list):
        return 4
    return 5


def jsonb_compare(left: Json, right: Json) -> int:
    """Postgres JSONB ordering of two values: negative, zero or positive."""
    left_rank, right_rank = _type_rank(left), _type_rank(right)
    if left_rank != right_rank:
        return -1 if left_rank < right_rank else 1
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return -1 if len(left) < len(right) else 1
        for a, b in zip(left, right, strict=True):
            outcome = jsonb_compare(a, b)
            if outcome:
                return outcome
        return 0
    if isinstance(left, dict) and isinstance(right, dict):
        if len(left) != len(right):
            return -1 if len(left) < len(right) else 1
        left_items = sorted(left.items(), key=lambda kv: (len(kv[0]), kv[0]))
        right_items = sorted(right.items(), key=lambda kv: (len(kv[0]), kv[0]))
        for (lk, lv), (rk, rv) in zip(left_items, right_items, strict=True):
            if lk != rk:
                return -1 if (len(lk), lk) < (len(rk), rk) else 1
            outcome = jsonb_compare(lv, rv)
            if outcome:
                return outcome
        return 0
    if left == right:
        return 0
    return -1 if left < right else 1


# --- transformations -----------------------------------------------------------------------


def _parse_datetime(value: Json) -> datetime:
    if not isinstance(value, str):
        raise QueryEvaluationError("Invalid bundle format - cannot cast between types")
    text = value.strip().replace(" ", "T", 1)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise QueryEvaluationError(f"cannot cast {value!r} to a timestamp") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_timestamp(value: Json) -> datetime:
    try:
        seconds = float(value)
    except (TypeError, ValueError) as exc:
        raise QueryEvaluationError(f"cannot cast {value!r} to a number") from exc
    if isinstance(value, bool) or not math.isfinite(seconds):
        raise QueryEvaluationError(f"cannot cast {value!r} to a number")
    return datetime.fromtimestamp(seconds, tz=UTC)


def _seconds_with_fraction(moment: datetime) -> float:
    return moment.second + moment.microsecond / 1_000_000


_DATE_PARTS: dict[str, Callable[[datetime], float]] = {
    "year": lambda d: d.year,
    "month": lambda d: d.month,
    "day": lambda d: d.day,
    "hour": lambda d: d.hour,
    "minute": lambda d: d.minute,
    "second": _seconds_with_fraction,
    "milliseconds": lambda d: _seconds_with_fraction(d) * 1000,
    "microseconds": lambda d: d.second * 1_000_000 + d.microsecond,
    "dow": lambda d: d.isoweekday() % 7,
    "isodow": lambda d: d.isoweekday(),
    "doy": lambda d: d.timetuple().tm_yday,
    "week": lambda d: d.isocalendar().week,
    "isoyear": lambda d: d.isocalendar().year,
    "quarter": lambda d: (d.month - 1) // 3 + 1,
    "decade": lambda d: d.year // 10,
    "century": lambda d: (d.year + 99) // 100,
    "millennium": lambda d: (d.year + 999) // 1000,
    "epoch": lambda d: d.timestamp(),
}


def date_part(part: str, moment: datetime) -> float:
    """Postgres ``date_part(part, moment)`` in UTC."""
    extractor = _DATE_PARTS.get(part.lower())
    if extractor is None:
        raise QueryEvaluationError(f'timestamp units "{part}" not recognized')
    return extractor(moment)


def _number(value: float) -> Json:
    return int(value) if float(value).is_integer() else value


def _transform(transformation: Transformation | None, value: Json) -> Json:
    if transformation is None or transformation.kind == "identity":
        return value
    part = transformation.part or ""
    if transformation.kind == "datetimeExtract":
        return _number(date_part(part, _parse_datetime(value)))
    if transformation.kind == "timestampExtract":
        return _number(date_part(part, _parse_timestamp(value)))
    return value


_WORD_RE = re.compile(r"\w+")


def _tokens(value: Json) -> set[str]:
    text = value if isinstance(value, str) else json.dumps(value)
    return {token.lower() for token in _WORD_RE.findall(text)}


def matches_filter(query_filter: QueryFilter, data: Json) -> bool:
    """Whether ``data`` passes one filter (a missing field never passes)."""
    value = pick(data, query_filter.field)
    searchable = (
        query_filter.transformation is not None and query_filter.transformation.kind == "searchable"
    )
    operator = query_filter.operator
    if operator.kind == "find":
        if not searchable:
            return True  # the server ignores find without the searchable transformation
        if not has(value) or value is None:
            return False
        return _tokens(operator.search) <= _tokens(value)
    if searchable:
        return True  # contains/in/between ignore a searchable transformation
    if not has(value) or value is None:
        return False
    transformed = _transform(query_filter.transformation, value)
    if operator.kind == "contains":
        return jsonb_contains(transformed, operator.value)
    if operator.kind == "in":
        return jsonb_contains(operator.value, transformed)
    return (
        jsonb_compare(operator.lower, transformed) <= 0
        and jsonb_compare(transformed, operator.upper) <= 0
    )


def matches(query: EndpointQuery, record: RecordLike) -> bool:
    """Whether ``record`` is selected by ``query`` (source equality and all filters)."""
    if record.source != query.endpoint:
        return False
    return all(matches_filter(f, record.data) for f in query.filters or ())


# --- evaluation ----------------------------------------------------------------------------


def _endpoint_data(record: RecordLike, mapping: dict[str, Json] | None) -> dict[str, Json]:
    return {
        "endpoint": record.source,
        "recordId": record.record_id,
        "data": apply_mapping(mapping, record.data),
    }


def _with_links(record: RecordLike, query: EndpointQuery, source: RecordSource) -> dict[str, Json]:
    result = _endpoint_data(record, query.mapping)
    linked: list[dict[str, Json]] = []
    if query.links:
        neighbours = source.linked_records(record.record_id)
        for link in query.links:
            linked.extend(
                _endpoint_data(other, link.mapping) for other in neighbours if matches(link, other)
            )
    if linked:
        result["links"] = linked
    return result


def _ordered(
    selected: list[tuple[RecordLike, EndpointQuery]], order_by: str | None, descending: bool
) -> list[tuple[RecordLike, EndpointQuery]]:
    if order_by is None:
        keyed = sorted(selected, key=lambda item: (item[0].date, item[0].seq))
        return keyed[::-1] if descending else keyed

    def compare(a: tuple[RecordLike, EndpointQuery], b: tuple[RecordLike, EndpointQuery]) -> int:
        left, right = pick(a[0].data, order_by), pick(b[0].data, order_by)
        # Records without the field sort last in both directions.
        if not has(left) or not has(right):
            return (not has(left)) - (not has(right))
        outcome = jsonb_compare(left, right)
        return -outcome if descending else outcome

    return sorted(selected, key=cmp_to_key(compare))


def query_records(
    queries: Sequence[EndpointQuery],
    source: RecordSource,
    *,
    order_by: str | None = None,
    descending: bool = False,
    skip: int = 0,
    take: int | None = None,
) -> list[dict[str, Json]]:
    """Evaluate endpoint queries as one union: filter, order, page, map, attach links.

    Without ``order_by`` records come in write order (oldest first unless ``descending``).
    Returns ``EndpointData`` JSON objects. Raises ``QueryEvaluationError``.
    """
    selected = [
        (record, query)
        for query in queries
        for record in source.records_for_source(query.endpoint)
        if matches(query, record)
    ]
    page = _ordered(selected, order_by, descending)[max(skip, 0) :]
    if take is not None:
        page = page[: max(take, 0)]
    return [_with_links(record, query, source) for record, query in page]


def property_records(query: PropertyQuery, source: RecordSource) -> list[dict[str, Json]]:
    """Evaluate one bundle property; no ``limit`` means every matching record."""
    return query_records(
        query.endpoints,
        source,
        order_by=query.order_by,
        descending=query.ordering == "descending",
        take=query.limit,
    )


def bundle_records(bundle: Bundle, source: RecordSource) -> dict[str, list[dict[str, Json]]]:
    """Evaluate every property of ``bundle``: ``{property: EndpointData[]}``."""
    return {prop: property_records(q, source) for prop, q in bundle.properties.items()}


def bundle_conditions(bundle: Bundle, source: RecordSource) -> dict[str, bool]:
    """Evaluate a conditions bundle: a property holds when it selects at least one record."""
    return {prop: bool(records) for prop, records in bundle_records(bundle, source).items()}
