"""Builders of combinator and bundle queries, producing the spec's (generated) models.

from hat_sdk.queries import between, contains, data_bundle, endpoint_query, property_query

runs = endpoint_query("fitness/runs", filters=[between("km", 5, 10)], mapping={"km": "km"})
bundle = data_bundle("my-runs", {"runs": property_query(runs, order_by="date", limit=10)})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hat_sdk._generated.models import (
    BetweenOperator,
    BundleDefinition,
    ContainsOperator,
    DatetimeExtractTransformation,
    EndpointDataBundle,
    EndpointQuery,
    EndpointQueryFilter,
    FilterOperator,
    FilterTransformation,
    FindOperator,
    IdentityTransformation,
    InOperator,
    PropertyQuery,
    SearchableTransformation,
    TimestampExtractTransformation,
)
from hat_sdk._records.options import Ordering

__all__ = [
    "between",
    "contains",
    "data_bundle",
    "datetime_extract",
    "endpoint_query",
    "find",
    "identity",
    "is_in",
    "property_query",
    "searchable",
    "timestamp_extract",
]


def identity() -> FilterTransformation:
    """Compare the field's value as it is (the default)."""
    return FilterTransformation(IdentityTransformation(transformation="identity"))


def datetime_extract(part: str) -> FilterTransformation:
    """Compare a part (``"hour"``, ``"dow"``, ``"year"``...) of an ISO date-time field."""
    return FilterTransformation(
        DatetimeExtractTransformation(transformation="datetimeExtract", part=part)
    )


def timestamp_extract(part: str) -> FilterTransformation:
    """Compare a part (``"hour"``, ``"dow"``, ``"year"``...) of a Unix-seconds field."""
    return FilterTransformation(
        TimestampExtractTransformation(transformation="timestampExtract", part=part)
    )


def searchable() -> FilterTransformation:
    """Make a text field full-text searchable (what ``find`` needs)."""
    return FilterTransformation(SearchableTransformation(transformation="searchable"))


def _filter(
    field: str, operator: FilterOperator, transformation: FilterTransformation | None
) -> EndpointQueryFilter:
    query_filter = EndpointQueryFilter(field=field, operator=operator)
    if transformation is not None:
        query_filter.transformation = transformation
    return query_filter


def contains(
    field: str, value: Any, *, transformation: FilterTransformation | None = None
) -> EndpointQueryFilter:
    """Keep records whose ``field`` (dot path) contains the JSON ``value`` (e.g. an array
    field containing an element, an object containing some keys with these values)."""
    operator = FilterOperator(ContainsOperator(operator="contains", value=value))
    return _filter(field, operator, transformation)


def is_in(
    field: str, values: Any, *, transformation: FilterTransformation | None = None
) -> EndpointQueryFilter:
    """Keep records whose ``field`` is contained in the JSON ``values`` (e.g. one of a list)."""
    return _filter(field, FilterOperator(InOperator(operator="in", value=values)), transformation)


def between(
    field: str,
    lower: Any,
    upper: Any,
    *,
    transformation: FilterTransformation | None = None,
) -> EndpointQueryFilter:
    """Keep records whose (transformed) ``field`` lies between ``lower`` and ``upper``."""
    operator = FilterOperator(BetweenOperator(operator="between", lower=lower, upper=upper))
    return _filter(field, operator, transformation)


def find(field: str, search: str) -> EndpointQueryFilter:
    """Keep records whose text ``field`` matches the full-text ``search``."""
    operator = FilterOperator(FindOperator(operator="find", search=search))
    return _filter(field, operator, searchable())


def endpoint_query(
    endpoint: str,
    *,
    mapping: Mapping[str, Any] | None = None,
    filters: Sequence[EndpointQueryFilter] = (),
    links: Sequence[EndpointQuery] = (),
) -> EndpointQuery:
    """A query of one endpoint (``"namespace/endpoint"``).

    ``mapping``: ``{destination path: source path}`` - results keep only these fields;
    ``filters``: conditions that must all hold; ``links``: queries of linked records.
    """
    query = EndpointQuery(endpoint=endpoint)
    if mapping is not None:
        query.mapping = dict(mapping)
    if filters:
        query.filters = list(filters)
    if links:
        query.links = list(links)
    return query


def property_query(
    *endpoints: EndpointQuery | str,
    order_by: str | None = None,
    ordering: Ordering | None = None,
    limit: int | None = None,
) -> PropertyQuery:
    """One property of a bundle: the records of these endpoint queries (or endpoint names),
    ordered by a data path, at most ``limit`` of them (all when None)."""
    queries = [endpoint_query(e) if isinstance(e, str) else e for e in endpoints]
    prop = PropertyQuery(endpoints=queries)
    if order_by is not None:
        prop.order_by = order_by
    if ordering is not None:
        prop.ordering = ordering.value
    if limit is not None:
        prop.limit = limit
    return prop


def data_bundle(
    name: str, properties: Mapping[str, PropertyQuery | EndpointQuery | str]
) -> EndpointDataBundle:
    """A named bundle: ``{property name: query}`` (an endpoint query or name is a property
    with every matching record)."""
    bundle = {
        prop: query if isinstance(query, PropertyQuery) else property_query(query)
        for prop, query in properties.items()
    }
    return EndpointDataBundle(name=name, bundle=BundleDefinition(bundle))
