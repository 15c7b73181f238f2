"""Records inside area answers (bundles, data debit values, combinators) as user models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic_core import from_json

from hat_sdk._records.models import ModelT, record_list_adapter, unwrap
from hat_sdk._records.replies import format_error, records_or_error
from hat_sdk.errors import InvalidInputError

__all__ = ["ModelChoice", "bundle_records", "json_object", "model_for", "records_of"]

#: One model for every property, or a model per property name.
ModelChoice = type[ModelT] | Mapping[str, type[ModelT]]


def model_for(models: ModelChoice[ModelT], prop: str) -> type[ModelT]:
    """The model that parses the records of property ``prop``."""
    if isinstance(models, Mapping):
        try:
            return models[prop]
        except KeyError:
            raise InvalidInputError(
                f"no model given for property {prop!r}; pass a model for each of the bundle's"
                f" properties ({prop!r} is missing) or one model for all"
            ) from None
    return models


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The response body as a JSON object (ResponseFormatError if it is not one)."""
    try:
        body = from_json(response.content)
    except ValueError as invalid:
        raise format_error(response, str(invalid)) from invalid
    if not isinstance(body, dict):
        raise format_error(response, "expected a JSON object")
    return body


def records_of(
    response: httpx.Response, items: object, model: type[ModelT], where: str = "body"
) -> list[ModelT]:
    """Validate a JSON list of ``EndpointData`` (from ``response``) as ``model`` records,
    with their linked records; one that does not fit is named (``RecordValidationError``)."""
    try:
        return unwrap(record_list_adapter(model).validate_python(items))
    except ValueError:
        pass
    if not isinstance(items, list):
        raise format_error(response, f"{where}: expected a list of records")
    return records_or_error(response, items, model)


def bundle_records(
    response: httpx.Response, bundle: object, models: ModelChoice[ModelT]
) -> dict[str, list[ModelT]]:
    """A bundle's ``{property: EndpointData[]}`` as ``{property: [model, ...]}``."""
    if not isinstance(bundle, dict):
        raise format_error(response, "expected an object of bundle properties")
    return {
        prop: records_of(response, items, model_for(models, prop), prop)
        for prop, items in bundle.items()
    }
