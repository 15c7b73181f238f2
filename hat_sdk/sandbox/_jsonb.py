"""JSON helpers reproducing Postgres JSONB behaviour and Play's compact serialisation."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from hat_sdk._core.jsonb import jsonb_order

JsonValue = Any


def compact(value: JsonValue) -> str:
    """Compact JSON text with keys in the given order (Play's ``JsValue.toString``)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Stored:
    """Record data as the HAT's ``data_json`` table holds it."""

    data: JsonValue
    """In JSONB key order, as the database gives it back."""
    text: str
    """``data`` as compact JSON."""
    hash: bytes
    """The duplicate-detection hash: SHA-256 of the compact JSON as sent, in UTF-8 with an
    unpaired surrogate as ``?`` (Java's ``getBytes``; [HAT]
    ``hat/app/org/hatdex/hat/api/service/richData/RichDataService.scala:56-57``)."""


def stored(value: JsonValue) -> Stored:
    """``value`` as the HAT stores it; ``ValueError`` if Postgres refuses it.

    The HAT's column mapper writes Play's compact JSON text with every ``\\u0000`` (six
    characters) deleted ([slick-postgres-driver 0.2.0] ``HATPostgresProfile.scala:53``, the
    profile of [HAT] ``hat/app/org/hatdex/hat/dal/Tables.scala:5``), and the JDBC driver sends
    that text in UTF-8, where an unpaired surrogate becomes ``?``. So a NUL character vanishes,
    while the text ``\\u0000`` (a backslash before ``u0000``) leaves its backslash behind: the
    start of another escape, or invalid JSON, which Postgres refuses, as it refuses the escape
    of a NUL or of an unpaired surrogate.
    """
    sent = compact(value)
    try:
        encoded, changed = sent.encode("utf-8"), "\\u0000" in sent
    except UnicodeEncodeError:
        encoded, changed = sent.encode("utf-8", "replace"), True
    if changed:
        text = sent.replace("\\u0000", "").encode("utf-8", "replace").decode("utf-8")
        value = json.loads(text, parse_constant=_not_json)
        if not _postgres_accepts(value):
            raise ValueError("a NUL or an unpaired surrogate escaped in jsonb text")
    ordered = jsonb_order(value)
    return Stored(ordered, compact(ordered), hashlib.sha256(encoded).digest())


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _postgres_accepts(value: JsonValue) -> bool:
    """Whether no string or key holds a NUL or a surrogate (only escapes can put them there)."""
    if isinstance(value, str):
        return "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return all(_postgres_accepts(k) and _postgres_accepts(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_postgres_accepts(v) for v in value)
    return True
