"""Sample records: reading them from JSON/JSONL files and inferring a JSON Schema from them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from genson import SchemaBuilder  # type: ignore[import-untyped]

from hat_sdk.codegen._errors import CodegenInputError

__all__ = ["read_json_samples", "read_jsonl_samples", "schema_from_samples"]


def _as_records(values: Iterable[Any], where: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for index, value in enumerate(values):
        if not isinstance(value, Mapping):
            raise CodegenInputError(
                f"{where}: sample {index} is a JSON {type(value).__name__}, but a typed record "
                "model needs every record's data to be a JSON object"
            )
        records.append(dict(value))
    if not records:
        raise CodegenInputError(f"{where}: no sample records to infer a model from")
    return records


def read_json_samples(path: Path) -> list[dict[str, Any]]:
    """Records from a JSON file holding one record's data (an object) or an array of them."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CodegenInputError(f"{path.name} is not valid JSON: {exc}") from exc
    return _as_records(document if isinstance(document, list) else [document], path.name)


def read_jsonl_samples(path: Path) -> list[dict[str, Any]]:
    """Records from a JSON Lines file: one record's data per non-blank line."""
    values: list[Any] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise CodegenInputError(f"{path.name}, line {number}: invalid JSON: {exc}") from exc
    return _as_records(values, path.name)


def schema_from_samples(samples: Iterable[Mapping[str, Any]], *, title: str) -> dict[str, Any]:
    """A JSON Schema every sample satisfies; keys missing from some samples are optional."""
    builder = SchemaBuilder()
    for sample in _as_records(samples, "samples"):
        builder.add_object(sample)
    schema: dict[str, Any] = builder.to_schema()
    schema["title"] = title
    return schema
