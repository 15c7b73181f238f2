"""Request bodies that violate the spec but that the real server reads anyway.

The HAT reads JSON bodies with Play-JSON formats, which are more lenient than the spec (which
describes what clients should send). Schemathesis's ``negative_data_rejection`` check expects
every schema-violating body to be rejected; these helpers recognise the violations the server
documentedly accepts, so that check can be skipped for exactly those cases.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_SPEC_URI = "urn:hat-sdk:conformance-spec"


@cache
def _spec_validator(spec_path: Path) -> Draft202012Validator:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    resource = Resource.from_contents(spec, default_specification=DRAFT202012)
    return Draft202012Validator({}, registry=Registry().with_resource(_SPEC_URI, resource))


def _without_rejected_nulls(body: Any, errors: list[ValidationError]) -> Any:
    """``body`` without the object fields whose ``null`` is a violation (valid nulls stay)."""
    stripped = copy.deepcopy(body)
    for error in errors:
        if error.instance is not None or not error.absolute_path:
            continue
        *parents, key = error.absolute_path
        if not isinstance(key, str):  # a null array item: not an absent field
            continue
        container = stripped
        for step in parents:
            container = container[step]
        container.pop(key, None)
    return stripped


def _is_read_leniently(error: ValidationError) -> bool:
    """One violation the server's JSON reads accept.

    * a number for a ``date-time``: DateTime reads accept epoch milliseconds too (play-json-joda's
      ``JodaReads``, which hat-client-scala-play ``json/HatJsonFormats.scala:22`` and
      ``json/RichDataJsonFormats.scala:12`` use);
    * a string for a data debit's ``period``: Duration reads accept ISO-8601 durations
      (hat-client-scala-play ``json/RichDataJsonFormats.scala:136-149``).
    """
    if error.validator != "type":
        return False
    value = error.instance
    if isinstance(value, int | float) and not isinstance(value, bool):
        return isinstance(error.schema, Mapping) and error.schema.get("format") == "date-time"
    return isinstance(value, str) and bool(error.path) and error.path[-1] == "period"


def is_read_leniently(spec_path: Path, body_schema_pointer: str, body: Any) -> bool:
    """Whether every violation of ``body`` is one the server reads leniently.

    ``null`` for an optional field is one (Play-JSON reads an ``Option`` field's ``null`` as
    absent; the models in hat-client-scala-play ``models/EndpointData.scala``,
    ``ApiHatFile.scala`` and ``LogRequest.scala`` declare those fields optional): fields whose
    ``null`` is a violation are dropped and the body validated again, so a ``null`` for a
    required field still counts. A body without any violation is not "lenient" (the caller's
    premise was wrong).
    """
    validator = _spec_validator(spec_path).evolve(
        schema={"$ref": f"{_SPEC_URI}#{body_schema_pointer}"}
    )
    errors = list(validator.iter_errors(body))
    remaining = list(validator.iter_errors(_without_rejected_nulls(body, errors)))
    return bool(errors) and all(map(_is_read_leniently, remaining))
