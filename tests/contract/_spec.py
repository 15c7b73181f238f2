"""Load openapi/hat.yaml and validate JSON values against schemas inside it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi" / "hat.yaml"
PAYLOADS_DIR = Path(__file__).resolve().parent / "payloads"
# Where CI checks out the shared research material (beside the repo); optional.
SHARED_PAYLOADS_DIR = REPO_ROOT.parent / "shared" / "hat-payloads"

SPEC_URI = "urn:hat-sdk:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Operation:
    """One operation of the spec with its location."""

    method: str
    path: str
    pointer: str
    body: dict[str, Any]

    @property
    def operation_id(self) -> str:
        """The operationId ("" when missing, which the structure tests report)."""
        value = self.body.get("operationId", "")
        return value if isinstance(value, str) else ""


@cache
def load_spec() -> dict[str, Any]:
    """The parsed spec (cached; treat as read-only)."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(spec, dict), "openapi/hat.yaml must be a YAML mapping"
    return spec


def escape_pointer(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def operations() -> list[Operation]:
    """Every operation of the spec, in file order."""
    found: list[Operation] = []
    for path, item in load_spec()["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                pointer = f"/paths/{escape_pointer(path)}/{method}"
                found.append(Operation(method, path, pointer, item[method]))
    return found


def operation_by_id(operation_id: str) -> Operation:
    """The operation with this operationId (AssertionError if there is none)."""
    matches = [op for op in operations() if op.operation_id == operation_id]
    assert len(matches) == 1, f"expected one operation {operation_id!r}, found {len(matches)}"
    return matches[0]


def resolve_pointer(pointer: str) -> Any:
    """The spec value at a JSON pointer such as `/components/schemas/EndpointData`."""
    value: Any = load_spec()
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


def follow_ref(pointer: str) -> str:
    """Follow `$ref`s (local only) from the object at `pointer`; return the final pointer."""
    target = resolve_pointer(pointer)
    while isinstance(target, dict) and "$ref" in target:
        ref = target["$ref"]
        assert isinstance(ref, str)
        assert ref.startswith("#/"), f"non-local $ref {ref!r}"
        pointer = ref[1:]
        target = resolve_pointer(pointer)
    return pointer


def request_schema_pointer(operation: Operation) -> str:
    """Pointer to the JSON request body schema of an operation."""
    body = follow_ref(f"{operation.pointer}/requestBody")
    return f"{body}/content/application~1json/schema"


def response_schema_pointer(operation: Operation, status: str) -> str:
    """Pointer to the JSON schema of one documented response of an operation."""
    response = follow_ref(f"{operation.pointer}/responses/{status}")
    return f"{response}/content/application~1json/schema"


@cache
def _registry() -> Registry[Any]:
    resource = Resource.from_contents(load_spec(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


def validation_errors(instance: Any, schema_pointer: str) -> list[str]:
    """Messages of every violation of the schema at `schema_pointer` (empty when valid).

    Formats (`uuid`, `date-time`, ...) are asserted, as schemathesis does for responses.
    """
    validator = Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{schema_pointer}"},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


def load_payload(name: str) -> Any:
    """A JSON payload from tests/contract/payloads."""
    return json.loads((PAYLOADS_DIR / name).read_text(encoding="utf-8"))


def walk(value: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping of the spec with its pointer, not descending into example values."""
    if isinstance(value, dict):
        yield pointer, value
        for key, child in value.items():
            if key in ("example", "examples", "default", "enum", "const"):
                continue
            yield from walk(child, f"{pointer}/{escape_pointer(str(key))}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, f"{pointer}/{index}")
