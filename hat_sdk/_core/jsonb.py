"""The key order of Postgres JSONB, in which the HAT stores and answers record data.

Shorter keys first, then bytewise by UTF-8, recursively: data sent in this order is hashed by
the HAT exactly as it will come back, so its duplicate check recognises it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["jsonb_order"]


def jsonb_order(value: Any) -> Any:
    """``value`` with its object keys in JSONB order, recursively."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode("utf-8")), key.encode("utf-8")))
        return {key: jsonb_order(value[key]) for key in keys}
    if isinstance(value, list):
        return [jsonb_order(item) for item in value]
    return value
