"""JSON helpers reproducing Postgres JSONB behaviour and Play's compact serialisation."""

from __future__ import annotations

import hashlib
import json
from typing import Any

JsonValue = Any


def compact(value: JsonValue) -> str:
    """Compact JSON text with keys in the given order (Play's ``JsValue.toString``)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def data_hash(value: JsonValue) -> bytes:
    """The server's duplicate-detection hash: SHA-256 of the compact JSON as sent."""
    return hashlib.sha256(compact(value).encode("utf-8")).digest()
