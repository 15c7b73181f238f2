"""Deletes and updates whose answer was lost, stepped without sockets.

The HAT deletes all of a request's records or none. When a retried DELETE answers "Data Missing"
after an attempt that may have been applied, the operation reads back which records are still
stored before it says anything: all gone means done; any still there means nothing was deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from hat_sdk import HatModel, RecordNotFoundError, ResponseFormatError
from hat_sdk._core.exchange import Call, Operation, Reply
from hat_sdk._core.wire import Wire
from hat_sdk._records import writes
from hat_sdk._records.requests import RecordRequests
from hat_sdk._records.scope import Scope


class Location(HatModel):
    latitude: float
    longitude: float


MISSING = {"message": "Data Missing", "cause": "Could not delete records: Records missing"}


def _scope() -> Scope:
    return Scope(
        "sandbox-app", RecordRequests(Wire("http://hat.test", httpx.Client().build_request))
    )


def _answer(call: Call, status: int, body: object, *, maybe_applied: bool = False) -> Reply:
    response = httpx.Response(status, json=body, request=call.request)
    return Reply(response, None, maybe_applied)


def _run(operation: Operation[Any], answers: Sequence[tuple[int, object, bool]]) -> list[Call]:
    """Step ``operation`` with ``answers`` in order; return the calls it made."""
    calls = [next(operation)]
    for status, body, maybe_applied in answers:
        try:
            calls.append(
                operation.send(_answer(calls[-1], status, body, maybe_applied=maybe_applied))
            )
        except StopIteration:
            return calls
    raise AssertionError(f"the operation wanted more than {len(answers)} answers")


def _ids(count: int) -> list[UUID]:
    return [uuid4() for _ in range(count)]


def test_all_gone_after_a_lost_answer_means_deleted() -> None:
    ids = _ids(3)
    calls = _run(
        writes.delete(_scope(), ids),
        [(400, MISSING, True)] + [(400, {"message": "Data Missing", "cause": "x"}, False)] * 3,
    )
    assert [call.request.method for call in calls] == ["DELETE", "GET", "GET", "GET"]
    assert {call.request.url.path.rsplit("/", 1)[1] for call in calls[1:]} == {str(i) for i in ids}


def test_any_still_stored_after_a_lost_answer_means_nothing_deleted() -> None:
    ids = _ids(3)
    stored = {"endpoint": "sandbox-app/x", "recordId": str(ids[1]), "data": {}}
    with pytest.raises(RecordNotFoundError, match="Nothing of this request was deleted"):
        _run(
            writes.delete(_scope(), ids),
            [
                (400, MISSING, True),
                (400, MISSING, False),
                (200, stored, False),
                (400, MISSING, False),
            ],
        )


def test_missing_without_an_earlier_attempt_raises_at_once() -> None:
    with pytest.raises(RecordNotFoundError):
        _run(writes.delete(_scope(), _ids(2)), [(400, MISSING, False)])


def _location(record_id: UUID, latitude: float) -> Location:
    return Location(endpoint="x", record_id=record_id, latitude=latitude, longitude=0.0)


def _stored(record_id: UUID, latitude: float) -> dict[str, object]:
    data = {"latitude": latitude, "longitude": 0.0}
    return {"endpoint": "sandbox-app/x", "recordId": str(record_id), "data": data}


def _result(operation: Operation[list[Location]], answers: list[tuple[int, object]]) -> object:
    """Step ``operation`` (the first answer after a lost one) and return its result."""
    call = next(operation)
    for position, (status, body) in enumerate(answers):
        try:
            call = operation.send(_answer(call, status, body, maybe_applied=position == 0))
        except StopIteration as done:
            return done.value
    raise AssertionError(f"the operation wanted more than {len(answers)} answers")


def test_put_missing_after_a_lost_answer_names_the_missing_and_says_the_rest_is_updated() -> None:
    ids = _ids(3)
    records = [_location(record_id, float(i)) for i, record_id in enumerate(ids)]
    # The retry says one is missing (deleted since, or never there); two hold what was sent.
    answers = [
        (400, MISSING),
        (400, MISSING),
        (200, _stored(ids[1], 1.0)),
        (200, _stored(ids[2], 2.0)),
    ]
    with pytest.raises(RecordNotFoundError, match=f"do not exist .*: {ids[0]}. The other 2 hold"):
        _result(writes.put(_scope(), records), answers)


def test_put_of_a_deleted_record_is_not_reported_updated_after_a_transient_failure() -> None:
    [record_id] = _ids(1)
    with pytest.raises(RecordNotFoundError, match=str(record_id)):
        _result(writes.put(_scope(), [_location(record_id, 1.0)]), [(400, MISSING), (400, MISSING)])


def test_put_missing_after_a_lost_answer_with_all_updated_returns_the_updates() -> None:
    ids = _ids(2)
    records = [_location(record_id, float(i)) for i, record_id in enumerate(ids)]
    answers = [(400, MISSING), (200, _stored(ids[0], 0.0)), (200, _stored(ids[1], 1.0))]
    result = _result(writes.put(_scope(), records), answers)
    assert isinstance(result, list)
    assert [record.latitude for record in result] == [0.0, 1.0]


def test_put_missing_with_old_data_stored_means_nothing_updated() -> None:
    ids = _ids(2)
    records = [_location(record_id, 5.0 + i) for i, record_id in enumerate(ids)]
    answers = [(400, MISSING), (400, MISSING), (200, _stored(ids[1], 1.0))]
    with pytest.raises(RecordNotFoundError, match="Some of the records do not exist"):
        _result(writes.put(_scope(), records), answers)


def test_put_whose_read_back_is_unreadable_says_the_update_is_unknown() -> None:
    record = _location(uuid4(), 1.0)
    operation = writes.put(_scope(), [record])
    call = operation.send(_answer(next(operation), 400, MISSING, maybe_applied=True))
    page = httpx.Response(200, text="<html>maintenance</html>", request=call.request)
    with pytest.raises(ResponseFormatError, match="whether the update was applied is not known"):
        operation.send(Reply(page, None, False))
