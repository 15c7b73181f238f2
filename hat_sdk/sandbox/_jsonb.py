"""JSON helpers reproducing Postgres JSONB behaviour and Play's compact serialisation."""

from __future__ import annotations

import hashlib
import json
from typing import Any

JsonValue = Any


def jsonb_order(value: JsonValue) -> JsonValue:
    """Reorder object keys like JSONB does: shorter keys first, then bytewise; recursively."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode("utf-8")), k.encode("utf-8")))
        return {k: jsonb_order(value[k]) for k in keys}
    if isinstance(value, list):
        return [jsonb_order(v) for v in value]
    return value


def compact(value: JsonValue) -> str:
    """Compact JSON text with keys in the given order (Play's ``JsValue.toString``)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def data_hash(value: JsonValue) -> bytes:
    """The server's duplicate-detection hash: SHA-256 of the compact JSON as sent."""
    return hashlib.sha256(compact(value).encode("utf-8")).digest()
