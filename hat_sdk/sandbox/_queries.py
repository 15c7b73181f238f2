"""Combinator / data-bundle query models: parsing from and writing to HAT JSON.

The models and their Play formats: [MODELS]
``src/main/scala/org/hatdex/hat/api/models/EndpointData.scala:16-87`` and
``json/RichDataJsonFormats.scala:31-110``.

Parsing failures are reported like Play-JSON validation errors: a mapping from a JSON path
(``obj[0].endpoint``) to ``[{"msg": [...], "args": []}]`` so routes can embed them in a 400 body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Json = Any
"""Any JSON value as produced by ``json.loads``."""

ENDPOINT_RE = re.compile(r"^[0-9a-z-/]+$")
BUNDLE_NAME_RE = re.compile(r"^[0-9a-zA-Z-]+$")

_TRANSFORMATIONS = ("identity", "datetimeExtract", "timestampExtract", "searchable")
_OPERATORS = ("contains", "in", "between", "find")
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class QueryValidationError(Exception):
    """The JSON does not describe a valid query; ``errors`` is a Play ``JsError`` JSON object."""

    def __init__(self, errors: dict[str, Json]) -> None:
        super().__init__("invalid query JSON")
        self.errors = errors


@dataclass(frozen=True)
class Transformation:
    """A filter field transformation (``identity``, ``datetimeExtract`` ...)."""

    kind: str
    part: str | None = None

    def to_json(self) -> dict[str, Json]:
        """The HAT JSON form."""
        out: dict[str, Json] = {"transformation": self.kind}
        if self.part is not None:
            out["part"] = self.part
        return out


@dataclass(frozen=True)
class Operator:
    """A filter operator; ``value`` for contains/in, ``lower``/``upper`` for between."""

    kind: str
    value: Json = None
    lower: Json = None
    upper: Json = None
    search: Json = None

    def to_json(self) -> dict[str, Json]:
        """The HAT JSON form."""
        if self.kind == "between":
            return {"operator": "between", "lower": self.lower, "upper": self.upper}
        if self.kind == "find":
            return {"operator": "find", "search": self.search}
        return {"operator": self.kind, "value": self.value}


@dataclass(frozen=True)
class QueryFilter:
    """One ``EndpointQueryFilter``."""

    field: str
    operator: Operator
    transformation: Transformation | None = None

    def to_json(self) -> dict[str, Json]:
        """The HAT JSON form."""
        out: dict[str, Json] = {"field": self.field}
        if self.transformation is not None:
            out["transformation"] = self.transformation.to_json()
        out["operator"] = self.operator.to_json()
        return out


@dataclass(frozen=True)
class EndpointQuery:
    """One ``EndpointQuery``: records of ``endpoint``, filtered, mapped, with linked records."""

    endpoint: str
    mapping: dict[str, Json] | None = None
    filters: tuple[QueryFilter, ...] | None = None
    links: tuple[EndpointQuery, ...] | None = None

    def to_json(self) -> dict[str, Json]:
        """The HAT JSON form (absent optional fields omitted)."""
        out: dict[str, Json] = {"endpoint": self.endpoint}
        if self.mapping is not None:
            out["mapping"] = self.mapping
        if self.filters is not None:
            out["filters"] = [f.to_json() for f in self.filters]
        if self.links is not None:
            out["links"] = [link.to_json() for link in self.links]
        return out


@dataclass(frozen=True)
class PropertyQuery:
    """One bundle property: the union of several endpoint queries, ordered and limited."""

    endpoints: tuple[EndpointQuery, ...]
    order_by: str | None = None
    ordering: str | None = None
    limit: int | None = None

    def to_json(self) -> dict[str, Json]:
        """The HAT JSON form."""
        out: dict[str, Json] = {"endpoints": [e.to_json() for e in self.endpoints]}
        if self.order_by is not None:
            out["orderBy"] = self.order_by
        if self.ordering is not None:
            out["ordering"] = self.ordering
        if self.limit is not None:
            out["limit"] = self.limit
        return out


@dataclass(frozen=True)
class Bundle:
    """An ``EndpointDataBundle``: a name and its property queries."""

    name: str
    properties: dict[str, PropertyQuery] = field(default_factory=dict)

    def bundle_json(self) -> dict[str, Json]:
        """The property map alone (the body of ``POST /data-bundle/{id}``)."""
        return {prop: query.to_json() for prop, query in self.properties.items()}

    def to_json(self) -> dict[str, Json]:
        """The ``{"name", "bundle"}`` form."""
        return {"name": self.name, "bundle": self.bundle_json()}


class _Errors:
    """Collects Play-style validation errors keyed by JSON path."""

    def __init__(self) -> None:
        self.found: dict[str, Json] = {}

    def add(self, path: str, message: str) -> None:
        self.found.setdefault(path, []).append({"msg": [message], "args": []})

    def raise_if_any(self) -> None:
        if self.found:
            raise QueryValidationError(self.found)


def _expect_object(value: Json, path: str, errors: _Errors) -> dict[str, Json] | None:
    if isinstance(value, dict):
        return value
    errors.add(path, "error.expected.jsobject")
    return None


def _expect_array(value: Json, path: str, errors: _Errors) -> list[Json] | None:
    if isinstance(value, list):
        return value
    errors.add(path, "error.expected.jsarray")
    return None


def _required_string(obj: dict[str, Json], key: str, path: str, errors: _Errors) -> str | None:
    if key not in obj:
        errors.add(f"{path}.{key}", "error.path.missing")
        return None
    value = obj[key]
    if not isinstance(value, str):
        errors.add(f"{path}.{key}", "error.expected.jsstring")
        return None
    return value


def _parse_transformation(value: Json, path: str, errors: _Errors) -> Transformation | None:
    obj = _expect_object(value, path, errors)
    if obj is None:
        return None
    kind = _required_string(obj, "transformation", path, errors)
    if kind is None:
        return None
    if kind not in _TRANSFORMATIONS:
        errors.add(f"{path}.transformation", f"Unknown transformation {kind}")
        return None
    if kind in ("datetimeExtract", "timestampExtract"):
        part = _required_string(obj, "part", path, errors)
        return None if part is None else Transformation(kind, part)
    return Transformation(kind)


def _parse_operator(value: Json, path: str, errors: _Errors) -> Operator | None:
    obj = _expect_object(value, path, errors)
    if obj is None:
        return None
    kind = _required_string(obj, "operator", path, errors)
    if kind is None:
        return None
    if kind not in _OPERATORS:
        errors.add(f"{path}.operator", f"Unknown operator {kind}")
        return None
    required = {"contains": ("value",), "in": ("value",), "between": ("lower", "upper")}
    required_keys = required.get(kind, ("search",))
    missing = [key for key in required_keys if key not in obj]
    for key in missing:
        errors.add(f"{path}.{key}", "error.path.missing")
    if missing:
        return None
    return Operator(
        kind,
        value=obj.get("value"),
        lower=obj.get("lower"),
        upper=obj.get("upper"),
        search=obj.get("search"),
    )


def _parse_filter(value: Json, path: str, errors: _Errors) -> QueryFilter | None:
    obj = _expect_object(value, path, errors)
    if obj is None:
        return None
    field_path = _required_string(obj, "field", path, errors)
    transformation = None
    if obj.get("transformation") is not None:
        transformation = _parse_transformation(
            obj["transformation"], f"{path}.transformation", errors
        )
    if "operator" not in obj:
        errors.add(f"{path}.operator", "error.path.missing")
        return None
    operator = _parse_operator(obj["operator"], f"{path}.operator", errors)
    if field_path is None or operator is None:
        return None
    return QueryFilter(field_path, operator, transformation)


def _parse_endpoint_query(value: Json, path: str, errors: _Errors) -> EndpointQuery | None:
    obj = _expect_object(value, path, errors)
    if obj is None:
        return None
    endpoint = _required_string(obj, "endpoint", path, errors)
    if endpoint is not None and not ENDPOINT_RE.match(endpoint):
        errors.add(f"{path}.endpoint", "Endpoint invalid")
        endpoint = None
    mapping = None
    if obj.get("mapping") is not None:
        mapping = _expect_object(obj["mapping"], f"{path}.mapping", errors)
    filters: tuple[QueryFilter, ...] | None = None
    if obj.get("filters") is not None:
        raw_filters = _expect_array(obj["filters"], f"{path}.filters", errors) or []
        parsed = [
            _parse_filter(f, f"{path}.filters[{i}]", errors) for i, f in enumerate(raw_filters)
        ]
        filters = tuple(f for f in parsed if f is not None)
    links: tuple[EndpointQuery, ...] | None = None
    if obj.get("links") is not None:
        raw_links = _expect_array(obj["links"], f"{path}.links", errors) or []
        parsed_links = [
            _parse_endpoint_query(q, f"{path}.links[{i}]", errors) for i, q in enumerate(raw_links)
        ]
        links = tuple(q for q in parsed_links if q is not None)
    if endpoint is None:
        return None
    return EndpointQuery(endpoint, mapping, filters, links)


def _parse_endpoint_list(value: Json, path: str, errors: _Errors) -> tuple[EndpointQuery, ...]:
    items = _expect_array(value, path, errors) or []
    parsed = [_parse_endpoint_query(q, f"{path}[{i}]", errors) for i, q in enumerate(items)]
    return tuple(q for q in parsed if q is not None)


def parse_endpoint_queries(value: Json) -> tuple[EndpointQuery, ...]:
    """Parse a combinator body (``EndpointQuery[]``); raises ``QueryValidationError``."""
    errors = _Errors()
    queries = _parse_endpoint_list(value, "obj", errors)
    errors.raise_if_any()
    return queries


def _parse_property_query(value: Json, path: str, errors: _Errors) -> PropertyQuery | None:
    obj = _expect_object(value, path, errors)
    if obj is None:
        return None
    if "endpoints" not in obj:
        errors.add(f"{path}.endpoints", "error.path.missing")
        return None
    endpoints = _parse_endpoint_list(obj["endpoints"], f"{path}.endpoints", errors)
    order_by = obj.get("orderBy")
    if order_by is not None and not isinstance(order_by, str):
        errors.add(f"{path}.orderBy", "error.expected.jsstring")
    ordering = obj.get("ordering")
    if ordering is not None and not isinstance(ordering, str):
        errors.add(f"{path}.ordering", "error.expected.jsstring")
    limit = obj.get("limit")
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or not _INT_MIN <= limit <= _INT_MAX
    ):
        # Play's Reads[Int] rejects numbers outside the 32-bit range too.
        errors.add(f"{path}.limit", "error.expected.int")
    return PropertyQuery(endpoints, order_by, ordering, limit)


def _parse_properties(value: Json, path: str, errors: _Errors) -> dict[str, PropertyQuery]:
    obj = _expect_object(value, path, errors)
    if obj is None:
        return {}
    parsed = {prop: _parse_property_query(q, f"{path}.{prop}", errors) for prop, q in obj.items()}
    return {prop: q for prop, q in parsed.items() if q is not None}


def parse_bundle_properties(name: str, value: Json) -> Bundle:
    """Parse a bundle property map (``{"<prop>": PropertyQuery}``) registered under ``name``."""
    errors = _Errors()
    properties = _parse_properties(value, "obj", errors)
    errors.raise_if_any()
    return Bundle(name, properties)


def parse_bundle_at(value: Json, path: str, errors_out: dict[str, Json]) -> Bundle | None:
    """Parse an ``EndpointDataBundle`` (``{"name","bundle"}``) nested at ``path`` of a larger body.

    Errors are added to ``errors_out``; returns ``None`` when the bundle is invalid.
    """
    errors = _Errors()
    obj = _expect_object(value, path, errors)
    bundle = None
    if obj is not None:
        name = _required_string(obj, "name", path, errors)
        if name is not None and not BUNDLE_NAME_RE.match(name):
            errors.add(f"{path}.name", "error.pattern")
        properties: dict[str, PropertyQuery] = {}
        if "bundle" not in obj:
            errors.add(f"{path}.bundle", "error.path.missing")
        else:
            properties = _parse_properties(obj["bundle"], f"{path}.bundle", errors)
        if name is not None:
            bundle = Bundle(name, properties)
    errors_out.update(errors.found)
    return None if errors.found else bundle
