"""Reading record data from JSON / JSON Lines files and writing records as JSON Lines.

Record data is sent with its keys in the order the HAT stores them (Postgres JSONB: shorter keys
first, then bytewise). The HAT refuses data whose text, as sent, hashes like a stored record's
(``dbDataRow`` in dataswift/HAT2.0 ``hat/app/org/hatdex/hat/api/service/richData/
RichDataService.scala`` hashes ``data.toString`` of the request), and it answers data in that
stored order: so data sent in stored order is recognised as a duplicate when it comes back, e.g.
by ``hat export`` then ``hat import``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from pydantic_core import to_json

from hat_sdk._core.jsonb import jsonb_order
from hat_sdk._records.models import RECORD_FIELDS, HatModel
from hat_sdk._records.replies import StoredRecord
from hat_sdk._records.writes import data_json
from hat_sdk.cli._exit import CliInputError
from hat_sdk.errors import InvalidInputError

__all__ = [
    "batched",
    "check_storable",
    "data_digest",
    "export_line",
    "exported_record",
    "is_jsonl",
    "iter_jsonl",
    "read_json_values",
    "to_model",
]

#: Keys of a line written by ``hat export`` (the HAT's EndpointData shape).
_EXPORT_KEYS = frozenset({"endpoint", "recordId", "data", "links"})

T = TypeVar("T")


def is_jsonl(path: Path) -> bool:
    """Whether ``path`` is JSON Lines (by its suffix), not one JSON document."""
    return path.suffix.lower() in {".jsonl", ".ndjson"}


def read_json_values(path: Path) -> list[Any]:
    """The records of a JSON file: an array's elements, or the one value it holds."""
    try:
        document = _json_value(path.read_bytes())
    except CliInputError as invalid:
        raise CliInputError(f"{path}: {invalid}; JSON Lines files end in .jsonl") from None
    return document if isinstance(document, list) else [document]


def _not_json(constant: str) -> NoReturn:
    """Refuse the constants Python's JSON reader accepts but JSON has not (NaN, Infinity)."""
    raise CliInputError(f"invalid JSON ({constant} is not a JSON number)")


def _json_value(text: bytes) -> Any:
    """The JSON value of UTF-8 ``text``, or a ``CliInputError`` saying why there is none."""
    try:
        return json.loads(text.decode("utf-8"), parse_constant=_not_json)
    except UnicodeDecodeError as exc:
        raise CliInputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise CliInputError(f"invalid JSON ({exc})") from None
    except RecursionError:
        raise CliInputError("JSON nested too deeply to read") from None


def iter_jsonl(path: Path, *, start: int = 0) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` of every non-blank line after the first ``start`` lines.

    Line numbers count from 1 and include blank lines, so they can be used to resume.
    """
    # Bytes split at b"\n", as the progress bar counts lines, and decoded line by line, so
    # that an error names its line.
    with path.open("rb") as lines:
        for number, line in enumerate(islice(lines, start, None), start=start + 1):
            if not line.strip():
                continue
            try:
                value = _json_value(line)
            except CliInputError as invalid:
                raise CliInputError(f"{path}, line {number}: {invalid}") from None
            yield number, value


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def to_model(value: Any, endpoint: str, where: str) -> HatModel:
    """A ``HatModel`` holding ``value`` as the data of a new record for ``endpoint``."""
    if not isinstance(value, dict):
        raise CliInputError(
            f"{where}: a record's data must be a JSON object, got {type(value).__name__}"
        )
    clashes = sorted(RECORD_FIELDS & value.keys())
    if clashes:
        raise CliInputError(
            f"{where}: the keys {clashes} are reserved for the record's location by hat-sdk; "
            "rename them in the data"
        )
    return HatModel.model_validate({**jsonb_order(value), "endpoint": endpoint})


def check_storable(model: HatModel, where: str) -> None:
    """Refuse, as ``post`` would, data the HAT would store changed (run in the pass over the
    whole file, so that nothing is sent when a line is bad)."""
    try:
        data_json(model)
    except InvalidInputError as invalid:
        raise CliInputError(f"{where}: {invalid.summary}") from None


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # JSONB compares numbers by value: 1.0 and 1 are equal
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def data_digest(value: Any) -> bytes:
    """A 16-byte digest equal for record data the HAT stores identically, whatever the key
    order it was sent in (the HAT's own duplicate check sees only data sent in the same order)."""
    text = json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def exported_record(value: Any) -> tuple[str, Any] | None:
    """``(endpoint, data)`` if ``value`` is a line written by ``hat export``, else ``None``."""
    if (
        isinstance(value, dict)
        and {"endpoint", "data"} <= value.keys()
        and value.keys() <= _EXPORT_KEYS
        and isinstance(value["endpoint"], str)
    ):
        return value["endpoint"], value["data"]
    return None


def export_line(record: StoredRecord) -> bytes:
    """One JSON Lines line for a stored record: ``{"endpoint", "recordId", "data"}``, the data
    as the HAT sent it (its keys in their order), serialised by pydantic straight to bytes (a
    third of the cost of ``json.dumps``, whose text differs only in how some numbers are
    written, e.g. ``1e-05`` for pydantic's ``0.00001``)."""
    return to_json(record) + b"\n"
