"""Captured HAT payloads are valid bodies of the operations they belong to."""

from __future__ import annotations

import filecmp

import pytest

from ._spec import (
    PAYLOADS_DIR,
    SHARED_PAYLOADS_DIR,
    load_payload,
    operation_by_id,
    request_schema_pointer,
    response_schema_pointer,
    validation_errors,
)
from .payload_map import KNOWN_EXCEPTIONS, NOT_BODIES, PAYLOAD_USES, PayloadUse


def _schema_pointer(use: PayloadUse) -> str:
    operation = operation_by_id(use.operation_id)
    if use.direction == "request":
        return request_schema_pointer(operation)
    return response_schema_pointer(operation, use.status)


def test_every_payload_file_is_classified_once() -> None:
    files = sorted(p.name for p in PAYLOADS_DIR.glob("*.json"))
    classified = [u.file for u in PAYLOAD_USES] + list(KNOWN_EXCEPTIONS) + list(NOT_BODIES)
    assert sorted(set(classified)) == files
    assert len({u.file for u in PAYLOAD_USES}) == len(PAYLOAD_USES)
    assert not set(KNOWN_EXCEPTIONS) & set(NOT_BODIES)
    assert not {u.file for u in PAYLOAD_USES} & (set(KNOWN_EXCEPTIONS) | set(NOT_BODIES))


@pytest.mark.parametrize("use", PAYLOAD_USES, ids=lambda u: u.file)
def test_payload_is_valid_for_its_operation(use: PayloadUse) -> None:
    assert validation_errors(load_payload(use.file), _schema_pointer(use)) == []


@pytest.mark.parametrize("file", sorted(KNOWN_EXCEPTIONS))
def test_known_exception_is_really_rejected(file: str) -> None:
    # Keeps the exception list honest: if the spec starts accepting one, move it to PAYLOAD_USES.
    use, reason = KNOWN_EXCEPTIONS[file]
    assert reason
    assert validation_errors(load_payload(file), _schema_pointer(use)) != []


def test_mapping_fragment_is_a_valid_endpoint_query_mapping() -> None:
    mapping = load_payload("server-test-mapping-simple.json")
    pointer = "/components/schemas/EndpointQuery/properties/mapping"
    assert validation_errors(mapping, pointer) == []


def test_derived_error_catalogue_bodies_fit_their_envelopes() -> None:
    catalogue = load_payload("derived-error-catalogue.json")
    envelope_a = [e for e in catalogue["envelopeA_errorHandler"] if isinstance(e["body"], dict)]
    envelope_b = catalogue["envelopeB_errorMessage"]
    assert len(envelope_a) >= 8
    assert len(envelope_b) >= 25
    for entry in envelope_a:
        assert validation_errors(entry["body"], "/components/schemas/ErrorEnvelope") == [], entry
    for entry in envelope_b:
        assert validation_errors(entry["body"], "/components/schemas/ErrorMessage") == [], entry


@pytest.mark.skipif(not SHARED_PAYLOADS_DIR.is_dir(), reason="shared/hat-payloads not checked out")
def test_local_copies_match_shared_payloads() -> None:
    for copy in PAYLOADS_DIR.glob("*.json"):
        assert filecmp.cmp(copy, SHARED_PAYLOADS_DIR / copy.name, shallow=False), copy.name
