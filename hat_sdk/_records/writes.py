"""Write operations (sans-IO): batched POST, PUT and DELETE of records.

Each plans as few requests as the HAT's limits allow (10 MB bodies, 2 KiB request targets),
refuses what the HAT would refuse anyway before sending, and returns results in input order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import httpx
from pydantic_core import PydanticSerializationError, from_json

from hat_sdk._core.cache import ALL_ENDPOINTS
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.gc_pause import gc_paused
from hat_sdk._core.wire import json_array
from hat_sdk._records.batching import MAX_BODY_BYTES, MAX_TARGET_BYTES, repeats, split_by_size
from hat_sdk._records.models import HatModel, ModelT, record_adapter, unwrap
from hat_sdk._records.replies import as_inputs, first_problem, format_error, parse_each, succeeded
from hat_sdk._records.scope import Scope
from hat_sdk._records.validation import InvalidInputError, record_uuid
from hat_sdk.errors import (
    DuplicateDataError,
    HatError,
    OutcomeUnknownError,
    RecordNotFoundError,
    ResponseTooLargeError,
    restated,
)

__all__ = ["delete", "post", "put"]

_STORED_DUPLICATE = (
    "The HAT refused the records: at least one has exactly the same data as a record it already"
    " stores (in any endpoint; the HAT does not say which). Nothing of this request was stored."
    " Pass skip_duplicates=True to store the others and skip duplicates."
)
#: ``records=<uuid>`` in a DELETE's query (the "&" between them is counted by the splitter).
_RECORD_PARAMETER_BYTES = len("records=") + 36


@dataclass(frozen=True, slots=True)
class _Write:
    """One input record ready to send: where it goes and its data as compact JSON bytes."""

    record: HatModel
    endpoint: str
    data: bytes


def _prepare(scope: Scope, records: Sequence[HatModel]) -> list[_Write]:
    with gc_paused():  # one kept object per record, as when parsing a page
        return [_prepared(scope, index, record) for index, record in enumerate(records)]


def _prepared(scope: Scope, index: int, record: HatModel) -> _Write:
    """One record checked and serialised for sending (``index`` names it in errors)."""
    if not isinstance(record, HatModel):
        raise InvalidInputError(f"record #{index} is a {type(record).__name__}, not a HatModel")
    try:
        return _Write(record, scope.locate(record.endpoint), data_json(record))
    except InvalidInputError as invalid:
        raise InvalidInputError(f"record #{index}: {invalid.summary}") from None


def data_json(record: HatModel) -> bytes:
    """``record``'s data as the compact JSON to send; ``InvalidInputError`` if the HAT would not
    store it as it is.

    The HAT deletes every ``\\u0000`` (six characters) from the JSON text it stores
    ([slick-postgres-driver 0.2.0] ``HATPostgresProfile.scala:53``, the database profile of
    [HAT] ``hat/app/org/hatdex/hat/dal/Tables.scala:5``) and sends that text in UTF-8, where an
    unpaired surrogate becomes ``?``. So a NUL character would vanish, the text ``\\u0000``
    would leave a stray backslash (another character, or JSON the database refuses with a
    misleading duplicate-data 400), and an unpaired surrogate would be stored as ``?``.
    """
    try:
        data = record.record_data_json()
    except PydanticSerializationError as exc:  # among others, pydantic refuses lone surrogates
        problem = _altered_text(record.model_dump(by_alias=True))
        raise InvalidInputError(problem or f"its data cannot be written as JSON ({exc})") from None
    # Cheap tests, false for most records (NaN and infinities are written as strings).
    if b"\\u0000" in data or b'"NaN"' in data or b'Infinity"' in data:
        problem = _altered_text(record.model_dump(by_alias=True))  # Python values: NaN kept
        if problem is not None:
            raise InvalidInputError(problem)
    return data


def _altered_text(value: object, path: str = "") -> str | None:
    """What in ``value`` (JSON data, or a model's dump) the HAT would store changed, where, and
    how to fix it."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            problem = _altered_text(str(key), f"key {here!r}") or _altered_text(item, here)
            if problem:
                return problem
    elif isinstance(value, list | tuple):
        for position, item in enumerate(value):
            problem = _altered_text(item, f"{path}[{position}]")
            if problem:
                return problem
    elif isinstance(value, float) and not math.isfinite(value):
        return (
            f"its data holds {value!r} at {path or 'the value'}, which is not a JSON number:"
            " store None, or the number as a string"
        )
    elif isinstance(value, str):
        where = path or "the value"
        if "\x00" in value:
            return (
                f"its data holds a NUL character (\\x00) at {where}, which the HAT deletes when it"
                " stores data: remove it (e.g. value.replace('\\x00', ''))"
            )
        if "\\u0000" in value:
            return (
                f"its data holds the text \\u0000 (a backslash, then u0000) at {where}, which"
                " the HAT deletes from the JSON it stores, changing the data or failing the"
                " request: store that text in another form (e.g. encoded)"
            )
        lone = next((char for char in value if "\ud800" <= char <= "\udfff"), None)
        if lone is not None:
            return (
                f"its data holds an unpaired surrogate ({lone!r}) at {where}, which is not valid"
                " Unicode and which the HAT would store as '?': decode the text correctly"
                " (e.g. bytes.decode('utf-8') rather than 'surrogateescape')"
            )
    return None


def _within_call_duplicates(writes: Sequence[_Write], operation: str) -> DuplicateDataError | None:
    repeated = repeats([write.data for write in writes])
    if not repeated:
        return None
    pairs = ", ".join(f"#{later} repeats #{first}" for later, first in list(repeated.items())[:10])
    more = f" (and {len(repeated) - 10} more)" if len(repeated) > 10 else ""
    return DuplicateDataError(
        f"The HAT stores each distinct data only once, and this {operation} repeats data within"
        f" the call itself: {pairs}{more}; nothing was sent. Other records may also duplicate"
        " records already stored. Remove the repeats (or pass skip_duplicates=True to post).",
        duplicates=[writes[index].record for index in repeated],
    )


def _envelope_item(endpoint: str, data: bytes, record_id: UUID | None = None) -> bytes:
    head = b'{"endpoint":' + json.dumps(endpoint).encode()
    if record_id is not None:
        head += b',"recordId":"' + str(record_id).encode() + b'"'
    return head + b',"data":' + data + b"}"


def post(
    scope: Scope, records: Sequence[ModelT], *, skip_duplicates: bool
) -> Operation[list[ModelT]]:
    """Create records, as few requests as the HAT's body limit allows; results in input order."""
    writes = _prepare(scope, records)
    if not writes:
        return []  # the HAT answers an empty batch with a 500: send nothing
    if skip_duplicates:
        return as_inputs(records, (yield from _post_skipping(scope, writes)))
    duplicates = _within_call_duplicates(writes, "post")
    if duplicates is not None:
        raise duplicates
    endpoints = {write.endpoint for write in writes}
    if len(endpoints) == 1:
        # One endpoint: its own POST with an array body (no per-item envelope to send).
        namespace, _, relative = writes[0].endpoint.partition("/")
        items = [write.data for write in writes]

        def request(body: bytes) -> httpx.Request:
            return scope.target.save_endpoint_data(namespace, relative, body, skip_errors=False)
    else:
        items = [_envelope_item(write.endpoint, write.data) for write in writes]
        request = scope.target.save_batch_data
    stored: list[HatModel] = []
    for run in split_by_size([len(item) for item in items], MAX_BODY_BYTES):
        chunk = writes[run.start : run.stop]
        call = Call(request(json_array(items[run.start : run.stop])), writes=frozenset(endpoints))
        unsettled = [write.record for write in writes[run.start :]]
        try:
            reply = yield call  # a token's failure, or an answer too large, is raised here
            response = succeeded(reply, "post", unsettled)
        except DuplicateDataError as refused:
            if len(chunk) == 1:  # the HAT does not say which record; here there is one
                refused.duplicates = (chunk[0].record,)
            _partial(refused, len(stored), _STORED_DUPLICATE)
            raise
        except ResponseTooLargeError as too_large:
            raise _unread(too_large, unsettled, len(stored)) from too_large
        except HatError as failed:
            _partial(failed, len(stored))
            raise
        problem = _unlike_sent(response, chunk, updates=False)
        if problem is not None:
            error = _unconfirmed(response, problem, unsettled)
            _partial(error, len(stored))
            raise error
        try:
            stored.extend(parse_each(response, [type(write.record) for write in chunk]))
        except HatError as unreadable:  # stored, as the answer shows, but not readable
            later = run.stop < len(writes)
            unsent = f" The records from #{run.stop} on were not sent." if later else ""
            restated(
                unreadable,
                f"{unreadable.summary} The {len(chunk)} record(s) of this request were stored"
                f" (the answer shows them), {len(stored)} by earlier requests.{unsent}",
            )
            raise
    return as_inputs(records, stored)


def _unread(
    too_large: ResponseTooLargeError, unsettled: Sequence[HatModel], done: int
) -> OutcomeUnknownError:
    """A POST whose answer was too large to read: it most likely stored the records."""
    unknown = OutcomeUnknownError(
        f"The HAT's answer to a POST was larger than max_response_bytes, so it was not read:"
        f" the HAT most likely stored the records. {len(unsettled)} record(s) are not known to"
        " be stored (see .records): read them back, or re-post them with"
        " skip_duplicates=True (and raise max_response_bytes).",
        records=unsettled,
        method=too_large.method,
        url=too_large.url,
        operation="post",
    )
    _partial(unknown, done)
    return unknown


def _unlike_sent(response: httpx.Response, chunk: Sequence[_Write], *, updates: bool) -> str | None:
    """What shows that a successful write's answer does not hold the records sent (None: it
    does): one per input, in order, each with an id of its own; for new records, at the
    input's endpoint with its data; for updates, with the id sent."""
    try:
        with gc_paused():  # many small objects, none of them kept
            items = from_json(response.content)
    except ValueError as invalid:
        return str(invalid)
    if not isinstance(items, list) or len(items) != len(chunk):
        count = len(items) if isinstance(items, list) else "no list of"
        return f"{count} records for the {len(chunk)} sent"
    ids: set[str] = set()
    for number, (write, item) in enumerate(zip(chunk, items, strict=True)):
        if not isinstance(item, dict):
            return f"record #{number} of the answer is not a record"
        record_id = item.get("recordId")
        if updates:
            sent = record_id == str(write.record.record_id)
        else:
            sent = item.get("endpoint") == write.endpoint and item.get("data") == from_json(
                write.data
            )
        if not isinstance(record_id, str) or record_id in ids or not sent:
            return f"record #{number} of the answer is not the one sent"
        ids.add(record_id)
    return None


def _unconfirmed(
    response: httpx.Response, problem: str, unsettled: Sequence[HatModel]
) -> OutcomeUnknownError:
    """A POST answered with success whose answer does not show the records sent stored."""
    return OutcomeUnknownError.from_response(
        response,
        f"The HAT answered HTTP {response.status_code} to a POST, so it most likely stored the"
        f" records, but its answer does not show them ({problem}). {len(unsettled)} record(s)"
        " are not known to be stored (see .records): read them back, or re-post them with"
        " skip_duplicates=True.",
        operation="post",
        records=unsettled,
    )


def _partial(
    error: HatError, done: int, summary: str | None = None, *, verb: str = "stored"
) -> None:
    """Reword ``error`` (summary replaced if given), noting records ``verb`` by earlier requests.

    The error is changed in place so that re-raising it keeps its cause and traceback.
    """
    text = error.summary if summary is None else summary
    if done:
        text += (
            f" Note: {done} record(s) of this call had already been {verb} by earlier requests"
            " (the call was split to respect the HAT's request size limits)."
        )
    restated(error, text)


def _post_skipping(scope: Scope, writes: Sequence[_Write]) -> Operation[list[HatModel]]:
    """POST per endpoint with ``skipErrors=true``: the HAT stores all but duplicates."""
    repeated = repeats([write.data for write in writes])
    by_endpoint: dict[str, list[int]] = {}
    for index, write in enumerate(writes):
        if index not in repeated:
            by_endpoint.setdefault(write.endpoint, []).append(index)
    stored: dict[int, HatModel] = {}
    for endpoint, indices in by_endpoint.items():
        namespace, _, relative = endpoint.partition("/")
        for run in split_by_size([len(writes[i].data) for i in indices], MAX_BODY_BYTES):
            chunk = indices[run.start : run.stop]
            body = json_array([writes[i].data for i in chunk])
            request = scope.target.save_endpoint_data(namespace, relative, body, skip_errors=True)
            unsettled = [
                writes[i].record
                for i in range(len(writes))
                if i not in stored and i not in repeated
            ]
            try:
                reply = yield Call(request, writes=frozenset({endpoint}))
                response = succeeded(reply, "post", unsettled)
            except ResponseTooLargeError as too_large:
                raise _unread(too_large, unsettled, len(stored)) from too_large
            except HatError as failed:
                _partial(failed, len(stored))
                raise
            try:
                stored.update(_match_stored(response, writes, chunk))
            except ValueError as problem:  # the answer does not show what was stored
                error = _unconfirmed(response, str(problem), unsettled)
                _partial(error, len(stored))
                raise error from None
            except HatError as unreadable:
                _partial(unreadable, len(stored))
                raise
    return [stored[index] for index in sorted(stored)]


def _match_stored(
    response: httpx.Response, writes: Sequence[_Write], chunk: Sequence[int]
) -> dict[int, HatModel]:
    """Pair the records the HAT stored (a subsequence of ``chunk``, in order) with inputs.

    Raises ``ValueError`` saying why when the answer does not show which records were stored,
    a ``ResponseFormatError`` when a stored record does not fit its model.
    """
    items = from_json(response.content)
    if not isinstance(items, list):
        raise ValueError("no list of records")
    matched: dict[int, HatModel] = {}
    position = 0
    for item in items:
        data = item.get("data") if isinstance(item, dict) else None
        while position < len(chunk) and json.loads(writes[chunk[position]].data) != data:
            position += 1
        if position == len(chunk):
            raise ValueError("a returned record matches none of the records sent")
        index = chunk[position]
        model = type(writes[index].record)
        try:
            matched[index] = unwrap([record_adapter(model).validate_python(item)])[0]
        except ValueError as invalid:  # ValidationError and ReservedDataKeyError alike
            raise format_error(response, first_problem(invalid)) from invalid
        position += 1
    return matched


def put(scope: Scope, records: Sequence[ModelT]) -> Operation[list[ModelT]]:
    """Replace the data of stored records; returns new models in input order."""
    writes = _prepare(scope, records)
    if not writes:
        return []  # the HAT answers an empty update with a 500: send nothing
    for index, write in enumerate(writes):
        if write.record.record_id is None:
            raise InvalidInputError(
                f"record #{index} has no record_id: put updates stored records; pass models"
                " returned by get/post (or use post to create records)"
            )
    duplicates = _within_call_duplicates(writes, "put")
    if duplicates is not None:
        raise duplicates
    items = [_envelope_item(w.endpoint, w.data, w.record.record_id) for w in writes]
    updated: list[HatModel] = []
    for run in split_by_size([len(item) for item in items], MAX_BODY_BYTES):
        chunk = writes[run.start : run.stop]
        request = scope.target.update_records(json_array(items[run.start : run.stop]))
        try:
            reply = yield Call(request, writes=frozenset(write.endpoint for write in chunk))
            response = succeeded(reply, "put")
        except RecordNotFoundError as missing:
            # An earlier attempt may have updated them before its answer was lost, and another
            # client deleted one since. The HAT updates all or nothing: read back to know.
            gone: list[UUID] | None = None
            if reply.maybe_applied_before:
                try:
                    gone = yield from _gone_if_updated(scope, chunk)
                except HatError as unknown:  # the read-back failed: the update may be applied
                    _partial(unknown, len(updated), verb="updated")
                    raise
            if gone == []:
                updated.extend(write.record.model_copy() for write in chunk)
                continue
            summary = None
            if gone:
                named = ", ".join(map(str, gone[:5])) + (", ..." if len(gone) > 5 else "")
                summary = (
                    f"{len(gone)} record(s) of this request do not exist (or are not visible to"
                    f" this token): {named}. The other {len(chunk) - len(gone)} hold the data"
                    " sent."
                )
            _partial(missing, len(updated), summary, verb="updated")
            raise
        except HatError as failed:
            _partial(failed, len(updated), verb="updated")
            raise
        problem = _unlike_sent(response, chunk, updates=True)
        if problem is not None:
            unlike = format_error(response, problem)
            _partial(unlike, len(updated), verb="updated")
            raise unlike
        updated.extend(parse_each(response, [type(write.record) for write in chunk]))
    return as_inputs(records, updated)


def _gone_if_updated(scope: Scope, chunk: Sequence[_Write]) -> Operation[list[UUID] | None]:
    """If every record of ``chunk`` still stored holds the data sent (an earlier attempt
    updated them all, the HAT updating all or nothing), the ids of those no longer stored
    (deleted since, or never there: either way not updated now); else None."""
    gone: list[UUID] = []
    for write in chunk:
        assert write.record.record_id is not None  # checked before sending
        reply = yield Call(scope.target.get_record(write.record.record_id))
        try:
            response = succeeded(reply, "get")
        except RecordNotFoundError:
            gone.append(write.record.record_id)
            continue
        try:
            stored = from_json(response.content)
        except ValueError:
            raise format_error(
                response,
                f"record {write.record.record_id} was read back to learn whether an earlier"
                " attempt updated it, and the answer is not JSON: whether the update was"
                " applied is not known",
            ) from None
        if not isinstance(stored, dict) or stored.get("data") != from_json(write.data):
            return None
    return gone


def delete(scope: Scope, items: Sequence[HatModel | UUID | str | None]) -> Operation[None]:
    """Delete records by model or id, in as few requests as the URL length limit allows."""
    ids = list(dict.fromkeys(record_uuid(item) for item in items))
    touched = {
        scope.locate(item.endpoint)
        for item in items
        if isinstance(item, HatModel) and item.endpoint
    }
    if any(not isinstance(item, HatModel) or not item.endpoint for item in items):
        touched = {ALL_ENDPOINTS}
    fixed = len(scope.target.delete_records([]).url.raw_path) + len("?")
    sizes = [_RECORD_PARAMETER_BYTES] * len(ids)
    for run in split_by_size(sizes, MAX_TARGET_BYTES, overhead=fixed):
        request = scope.target.delete_records(ids[run.start : run.stop])
        try:
            reply = yield Call(request, writes=frozenset(touched))
            succeeded(reply, "delete")
        except RecordNotFoundError as missing:
            if reply.maybe_applied_before:
                # An earlier attempt may have deleted them before its answer was lost. The HAT
                # deletes all or nothing, so read back which are still stored to know.
                stored = yield from _still_stored(scope, ids[run.start : run.stop])
                if not stored:
                    continue  # all gone: the earlier attempt deleted them
                missing.summary = (
                    f"Nothing of this request was deleted: {run.stop - run.start - len(stored)}"
                    f" of its {run.stop - run.start} record(s) do not exist (or are not visible to"
                    " this token), and the HAT deletes all or nothing."
                )
            _partial(missing, run.start, verb="deleted")
            raise
        except HatError as failed:
            _partial(failed, run.start, verb="deleted")
            raise


def _still_stored(scope: Scope, ids: Sequence[UUID]) -> Operation[list[UUID]]:
    """The ids among ``ids`` that the HAT still stores (one read each)."""
    stored: list[UUID] = []
    for record_id in ids:
        reply = yield Call(scope.target.get_record(record_id))
        try:
            succeeded(reply, "get")
        except RecordNotFoundError:
            continue
        stored.append(record_id)
    return stored
