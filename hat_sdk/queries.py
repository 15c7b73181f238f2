"""Builders of combinator and bundle queries (they produce ``types`` models).

from hat_sdk.queries import between, data_bundle, endpoint_query, property_query

runs = endpoint_query("fitness/runs", filters=[between("km", 5, 10)])
client.combinators.register("long-runs", runs)
client.bundles.register(data_bundle("my-runs", {"runs": property_query(runs, limit=10)}))
"""

from hat_sdk.resources._queries import (
    between,
    contains,
    data_bundle,
    datetime_extract,
    endpoint_query,
    find,
    identity,
    is_in,
    property_query,
    searchable,
    timestamp_extract,
)
from hat_sdk.resources.files import file_template

__all__ = [
    "between",
    "contains",
    "data_bundle",
    "datetime_extract",
    "endpoint_query",
    "file_template",
    "find",
    "identity",
    "is_in",
    "property_query",
    "searchable",
    "timestamp_extract",
]
