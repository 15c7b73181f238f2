"""The post-paging query-string filter of ``GET /api/v2.6/data/{ns}/{ep}``.

As in [HAT] ``hat/app/org/hatdex/hat/api/controllers/RichData.scala:621-710`` (``makeData``).

The first query key other than the paging/ordering ones filters the returned page: a plain key
searches the data recursively for string values (or strings inside arrays) equal to one of the
key's values; a dotted key addresses one exact path whose value must be such a string.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hat_sdk.sandbox._errors import internal_error
from hat_sdk.sandbox._jsonb import JsonValue

RESERVED_KEYS = frozenset({"ordering", "orderBy", "skip", "take"})


def _recursive_values(data: JsonValue, key: str) -> Iterator[JsonValue]:
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                yield value
            yield from _recursive_values(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from _recursive_values(item, key)


def _matches_any(value: JsonValue, wanted: Sequence[str]) -> bool:
    if isinstance(value, str):
        return value in wanted
    if not isinstance(value, list):
        return False
    # The server reads every element `as[String]` (HAT2.0 api/controllers/RichData.scala:652-657):
    # an array holding anything else fails the request with a 500.
    if not all(isinstance(v, str) for v in value):
        raise internal_error("filter-array-not-strings")
    return any(v in wanted for v in value)


def _at_path(data: JsonValue, path: str) -> tuple[bool, JsonValue]:
    current = data
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return False, None
        current = current[part]
    return True, current


def record_matches(data: JsonValue, key: str, wanted: Sequence[str]) -> bool:
    """Whether a record's data passes the filter ``key`` = any of ``wanted``.

    A dotted path holding a non-string value fails the whole request with a 500, as on the server.
    """
    if "." not in key:
        return any(_matches_any(v, wanted) for v in _recursive_values(data, key))
    found, value = _at_path(data, key)
    if not found:
        return False
    if not isinstance(value, str):
        raise internal_error("filter-not-a-string")
    return value in wanted


def filter_key(keys: Sequence[str]) -> str | None:
    """The query key acting as a filter: the first one that is not a paging/ordering key."""
    return next((k for k in keys if k not in RESERVED_KEYS), None)
