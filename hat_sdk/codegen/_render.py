"""Turn one JSON Schema of a record's data into Python source with datamodel-code-generator."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hat_sdk.codegen._errors import CodegenInputError

__all__ = ["DEFAULT_BASE_CLASS", "INSTALL_HINT", "render_models"]

DEFAULT_BASE_CLASS = "hat_sdk.HatModel"
INSTALL_HINT = 'pip install "hat-sdk[codegen]"'
# Nested objects are plain pydantic models: only the record itself has an endpoint and a record id.
_NESTED_BASE_CLASS = "pydantic.BaseModel"
# Keys HatModel uses for the record's location; data keys spelled like them would be swallowed.
_RESERVED_KEYS = frozenset({"endpoint", "record_id", "recordId"})


def _ruff_available() -> bool:
    # The same places datamodel-code-generator looks for ruff.
    return (Path(sys.executable).parent / "ruff").exists() or shutil.which("ruff") is not None


def _check_reserved_keys(schema: Mapping[str, Any]) -> None:
    properties = schema.get("properties")
    clashes = sorted(_RESERVED_KEYS & set(properties)) if isinstance(properties, Mapping) else []
    if clashes:
        raise CodegenInputError(
            f"the records' data has the top-level key(s) {clashes}, which HatModel reserves for "
            "the record's endpoint and id; rename the key(s) in the data (or wrap the data in an "
            "object) before generating models"
        )


def _as_stored(node: Any) -> Any:
    """``node`` (a JSON Schema) with types that write a record back as it was read.

    Every ``"number"`` lets integers be integers too: a JSON Schema number includes integers
    (and genson widens integer to number when both occur in samples), but a float field would
    write 1 back as 1.0. Strings lose their ``format``: a ``date-time`` field would write
    ``2024-01-01T00:00:00.000+00:00`` back as ``2024-01-01T00:00:00Z``, a ``uuid`` in lower
    case, a ``uri`` with a slash added, a ``password`` masked. Either would be other JSON, and
    another duplicate hash on the HAT.
    """
    if isinstance(node, dict):
        kept = {key: _as_stored(value) for key, value in node.items()}
        kinds = node.get("type")
        if kinds == "number":
            kept["type"] = ["integer", "number"]
        elif isinstance(kinds, list) and "number" in kinds:
            kept["type"] = sorted({*kinds, "integer"})
        if kinds == "string" or (isinstance(kinds, list) and "string" in kinds):
            kept.pop("format", None)
        return kept
    if isinstance(node, list):
        return [_as_stored(item) for item in node]
    return node


def render_models(
    schema: Mapping[str, Any], *, class_name: str, base_class: str, header: str
) -> str:
    """Python source of pydantic v2 models for ``schema``: ``class_name`` subclasses ``base_class``.

    Keys absent from a record stay absent when it is serialised again (pydantic's ``MISSING``
    sentinel), camelCase keys become snake_case fields with aliases, and the output has no
    timestamp, so the same schema always gives the same text.
    """
    try:
        from datamodel_code_generator import InputFileType, generate
        from datamodel_code_generator.enums import DataModelType, TargetPydanticVersion
        from datamodel_code_generator.format import Formatter, PythonVersion
        from datamodel_code_generator.parser import LiteralType
    except ImportError as exc:
        raise ImportError(
            "Generating record models needs datamodel-code-generator, which hat-sdk installs with "
            f"its `codegen` extra: {INSTALL_HINT}"
        ) from exc
    if not class_name.isidentifier():
        raise CodegenInputError(f"class name {class_name!r} is not a Python identifier")
    _check_reserved_keys(schema)
    formatters = (
        [Formatter.RUFF_CHECK, Formatter.RUFF_FORMAT]
        if _ruff_available()
        else [Formatter.ISORT, Formatter.BLACK]
    )
    code = generate(
        json.dumps(_as_stored(schema)),
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        target_pydantic_version=TargetPydanticVersion.V2_14,
        class_name=class_name,
        base_class=_NESTED_BASE_CLASS,
        base_class_map={class_name: base_class},
        snake_case_field=True,
        use_annotated=True,
        field_constraints=True,
        use_missing_sentinel=True,
        allow_population_by_field_name=True,
        extra_fields="allow",
        enum_field_as_literal=LiteralType.All,
        use_schema_description=True,
        use_double_quotes=True,
        disable_timestamp=True,
        custom_file_header=header,
        formatters=formatters,
    )
    if not isinstance(code, str):  # pragma: no cover - one schema always gives one module
        raise TypeError("datamodel-code-generator returned several modules for one schema")
    return code if code.endswith("\n") else f"{code}\n"
