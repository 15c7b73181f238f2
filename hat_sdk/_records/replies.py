"""Interpreting replies: success or the typed error, and parsing records straight from bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

import httpx
from pydantic import Field, TypeAdapter
from pydantic_core import from_json
from typing_extensions import TypedDict

from hat_sdk._core.calls import answered, first_problem, tried
from hat_sdk._core.exchange import Reply
from hat_sdk._core.gc_pause import gc_paused
from hat_sdk._core.retry import surely_unsent
from hat_sdk._records.models import (
    HatModel,
    ModelT,
    one_record,
    record_adapter,
    record_list_adapter,
    unwrap,
)
from hat_sdk.errors import (
    OutcomeUnknownError,
    OutcomeUnknownServerError,
    RecordValidationError,
    ResponseFormatError,
)

__all__ = [
    "StoredPage",
    "StoredRecord",
    "as_inputs",
    "first_problem",
    "format_error",
    "parse_each",
    "parse_records",
    "records_or_error",
    "stored_records",
    "succeeded",
]


def succeeded(reply: Reply, operation: str, unsettled: Sequence[HatModel] = ()) -> httpx.Response:
    """The reply's response if it is a success, else raise the error that describes it.

    ``unsettled``: for POSTs, the records whose storage is not confirmed if this call failed
    in a way that leaves its outcome unknown.
    """
    if reply.error is not None and operation == "post" and not surely_unsent(reply.error):
        raise tried(
            OutcomeUnknownError(
                f"{OutcomeUnknownError.default_summary} {len(unsettled)} record(s) are not known"
                " to be stored (see .records); re-post them with skip_duplicates=True to store"
                " each exactly once.",
                records=unsettled,
                method=reply.error.request.method,
                url=str(reply.error.request.url),
                operation=operation,
            ),
            reply,
        ) from None
    response = reply.response
    if operation == "post" and response is not None and response.status_code >= 500:
        # A 5xx may come from infrastructure after the HAT stored the records.
        error = OutcomeUnknownServerError.from_response(
            response,
            f"The HAT answered HTTP {response.status_code} to a POST, which does not say whether"
            f" the records were stored. {len(unsettled)} record(s) are not known to be stored"
            " (see .records); re-post them with skip_duplicates=True.",
            operation=operation,
            records=unsettled,
        )
        raise tried(error, reply)
    if operation == "post" and response is not None and response.status_code == 303:
        # "See Other" answers a request processed (RFC 9110 15.4.4), by whom is not known.
        unknown = OutcomeUnknownError.from_response(
            response,
            "The HAT answered HTTP 303 (see other) to a POST, which says it was processed"
            f" elsewhere but not what was stored. {len(unsettled)} record(s) are not known to be"
            " stored (see .records): check the HAT's URL, then re-post them with"
            " skip_duplicates=True.",
            operation=operation,
            records=unsettled,
        )
        raise tried(unknown, reply)
    return answered(reply, operation)


def format_error(response: httpx.Response, problem: str) -> ResponseFormatError:
    return ResponseFormatError.from_response(
        response,
        f"The HAT's answer is not a valid list of records ({problem}). Check that the URL"
        " points at a HAT and that the model matches the stored data.",
    )


def parse_records(response: httpx.Response, model: type[ModelT]) -> list[ModelT]:
    """The answer's records as ``model``: in one pass from the bytes, or, when that fails,
    record by record, so one record that does not fit is named with its id rather than
    failing the page (``RecordValidationError`` carries the others)."""
    try:
        with gc_paused():
            return unwrap(record_list_adapter(model).validate_json(response.content))
    except ValueError:  # a record that does not fit, data under reserved keys, bad JSON
        pass
    try:
        items = from_json(response.content)
    except ValueError as invalid:
        raise format_error(response, str(invalid)) from None
    if not isinstance(items, list):
        raise format_error(response, "expected a JSON array")
    return records_or_error(response, items, model)


_RECORD_ID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class StoredRecord(TypedDict):
    """A record as the HAT sends it (``EndpointData`` without links), its data as parsed JSON."""

    endpoint: str
    #: As the HAT writes it (``java.util.UUID.toString``), either case accepted.
    recordId: Annotated[str, Field(pattern=_RECORD_ID)]
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A successful answer to a read of records, parsed when asked (``records()``): a page read
    ahead is parsed by the thread that uses it, and the reading threads only wait on the
    network (parsing in several threads at once, they fought over the GIL)."""

    response: httpx.Response

    def records(self) -> list[StoredRecord]:
        """The page's records, checked as ``EndpointData`` (see ``stored_records``)."""
        return stored_records(self.response)


@cache
def _stored_adapter() -> TypeAdapter[list[StoredRecord]]:
    return TypeAdapter(list[StoredRecord])


def stored_records(response: httpx.Response) -> list[StoredRecord]:
    """The answer's records without a model: each checked to have a string ``endpoint``, a
    ``recordId`` and an object ``data``, and kept as exactly those three keys."""
    try:
        with gc_paused():
            return _stored_adapter().validate_json(response.content)
    except ValueError as invalid:  # JSON syntax errors included
        raise format_error(response, first_problem(invalid)) from None


def records_or_error(
    response: httpx.Response, items: list[Any], model: type[ModelT]
) -> list[ModelT]:
    """``items`` (parsed ``EndpointData``) as ``model`` records, one by one; raise
    ``RecordValidationError``, with the records that fit, if any does not."""
    records: list[ModelT] = []
    invalid: list[tuple[str | None, str]] = []
    for item in items:
        try:
            records.append(one_record(model, item))
        except ValueError as problem:
            record_id = item.get("recordId") if isinstance(item, dict) else None
            invalid.append((None if record_id is None else str(record_id), first_problem(problem)))
    if invalid:
        shown = "; ".join(f"{record_id}: {problem}" for record_id, problem in invalid[:3])
        error = RecordValidationError.from_response(
            response,
            f"{len(invalid)} of {len(items)} records do not fit {model.__name__} ({shown}"
            f"{'; ...' if len(invalid) > 3 else ''}). The {len(records)} that fit are on the"
            " error's .records, the others on .invalid; change the model (e.g. make the field"
            " optional) to read them all.",
        )
        error.records, error.invalid = tuple(records), tuple(invalid)
        raise error
    return records


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
