"""Interpreting replies: success or the typed error, and parsing records straight from bytes."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from pydantic_core import from_json

from hat_sdk._core.calls import answered, first_problem
from hat_sdk._core.exchange import Reply
from hat_sdk._core.retry import surely_unsent
from hat_sdk._records.models import HatModel, ModelT, record_adapter, record_list_adapter, unwrap
from hat_sdk.errors import (
    OutcomeUnknownError,
    ResponseFormatError,
)

__all__ = ["as_inputs", "first_problem", "format_error", "parse_each", "parse_records", "succeeded"]


def succeeded(reply: Reply, operation: str, unsettled: Sequence[HatModel] = ()) -> httpx.Response:
    """The reply's response if it is a success, else raise the error that describes it.

    ``unsettled``: for POSTs, the records whose storage is not confirmed if this call failed
    in a way that leaves its outcome unknown.
    """
    if reply.error is not None and operation == "post" and not surely_unsent(reply.error):
        raise OutcomeUnknownError(
            f"{OutcomeUnknownError.default_summary} {len(unsettled)} record(s) are not known"
            " to be stored (see .records); re-post them with skip_duplicates=True to store"
            " each exactly once.",
            records=unsettled,
            method=reply.error.request.method,
            url=str(reply.error.request.url),
            operation=operation,
        ) from None
    response = reply.response
    if operation == "post" and response is not None and response.status_code >= 500:
        # A 5xx may come from infrastructure after the HAT stored the records.
        raise OutcomeUnknownError(
            f"The HAT answered HTTP {response.status_code} to a POST, which does not say whether"
            f" the records were stored. {len(unsettled)} record(s) are not known to be stored"
            " (see .records); re-post them with skip_duplicates=True.",
            records=unsettled,
            status_code=response.status_code,
            method=response.request.method,
            url=str(response.request.url),
            operation=operation,
        )
    return answered(reply, operation)


def format_error(response: httpx.Response, problem: str) -> ResponseFormatError:
    return ResponseFormatError.from_response(
        response,
        f"The HAT's answer is not a valid list of records ({problem}). Check that the URL"
        " points at a HAT and that the model matches the stored data.",
    )


def parse_records(response: httpx.Response, model: type[ModelT]) -> list[ModelT]:
    try:
        return unwrap(record_list_adapter(model).validate_json(response.content))
    except ValueError as invalid:  # ValidationError and ReservedDataKeyError alike
        raise format_error(response, first_problem(invalid)) from invalid


def parse_each(response: httpx.Response, models: Sequence[type[HatModel]]) -> list[HatModel]:
    """Parse a response holding one record per entry of ``models`` (same order)."""
    if len(set(models)) == 1:
        records: list[HatModel] = list(parse_records(response, models[0]))
    else:
        try:
            items = from_json(response.content)
            if not isinstance(items, list) or len(items) != len(models):
                raise format_error(response, f"expected a list of {len(models)} records")
            records = unwrap(
                [
                    record_adapter(model).validate_python(item)
                    for model, item in zip(models, items, strict=True)
                ]
            )
        except ValueError as invalid:  # ValidationError and JSON syntax errors alike
            raise format_error(response, first_problem(invalid)) from invalid
    if len(records) != len(models):
        raise format_error(response, f"{len(records)} records for {len(models)} sent")
    return records


def as_inputs(_inputs: Sequence[ModelT], results: list[HatModel]) -> list[ModelT]:
    """``results``, typed like the inputs: each was validated with its input's own class."""
    return results  # type: ignore[return-value]
