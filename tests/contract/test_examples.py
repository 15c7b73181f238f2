"""Every `example`/`examples` in openapi/hat.yaml is valid against its own schema."""

from __future__ import annotations

from typing import Any

import pytest

from ._spec import (
    load_spec,
    operation_by_id,
    resolve_pointer,
    response_schema_pointer,
    validation_errors,
    walk,
)


def _examples() -> list[tuple[str, str, Any]]:
    """(where, schema pointer, example value) for every example in the spec."""
    found: list[tuple[str, str, Any]] = []
    for pointer, node in walk(load_spec()):
        # Media type and parameter objects carry their schema under `schema`; anything else
        # holding an example here is a schema object itself.
        schema_pointer = f"{pointer}/schema" if "schema" in node else pointer
        if "example" in node:
            found.append((f"{pointer}/example", schema_pointer, node["example"]))
        examples = node.get("examples")
        if isinstance(examples, dict):
            for name, example in examples.items():
                found.append((f"{pointer}/examples/{name}", schema_pointer, example["value"]))
        elif isinstance(examples, list):
            for index, value in enumerate(examples):
                found.append((f"{pointer}/examples/{index}", schema_pointer, value))
    return found


EXAMPLES = _examples()


def test_the_spec_has_examples() -> None:
    assert len(EXAMPLES) >= 60


@pytest.mark.parametrize(
    ("where", "schema_pointer", "value"), EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_example_matches_its_schema(where: str, schema_pointer: str, value: Any) -> None:
    assert validation_errors(value, schema_pointer) == [], where


def test_endpoint_data_has_an_explicit_example_with_links() -> None:
    example = load_spec()["components"]["schemas"]["EndpointData"]["example"]
    assert example["links"] == []
    assert validation_errors(example, "/components/schemas/EndpointData") == []


def test_a_batch_response_example_shows_nested_links() -> None:
    # The recursive `links` schema is exercised by a real nesting, not only by `links: []`.
    operation = operation_by_id("saveBatchData")
    pointer = response_schema_pointer(operation, "201")
    example = resolve_pointer(pointer.removesuffix("/schema"))["example"]
    assert any(record["links"] for record in example)
    assert validation_errors(example, pointer) == []


def test_a_broken_example_is_detected() -> None:
    broken = {"endpoint": "Not Valid", "recordId": "not-a-uuid"}
    errors = validation_errors(broken, "/components/schemas/EndpointData")
    assert len(errors) == 3  # endpoint pattern, recordId format, data missing
