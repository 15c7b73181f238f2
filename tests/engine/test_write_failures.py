"""Writes split over several requests say, when one fails, what the earlier ones did: stepped
without sockets, the failure raised at the request's ``yield`` as the drivers raise what stops
a call (a token's failure, an answer too large) inside its operation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import uuid4

import httpx
import pytest
from pydantic import Field
from pydantic_core import to_json

from hat_sdk import HatModel
from hat_sdk._core.exchange import Call, Operation, Reply
from hat_sdk._core.wire import Wire
from hat_sdk._records import writes
from hat_sdk._records.requests import RecordRequests
from hat_sdk._records.scope import Scope
from hat_sdk.errors import (
    AuthError,
    OutcomeUnknownError,
    RecordValidationError,
    ResponseTooLargeError,
)


class Reading(HatModel):
    value: int


class Strict(HatModel):
    value: int
    unit: str = Field(exclude=True)  # required but never sent: the answer does not fit


def _scope() -> Scope:
    return Scope(
        "sandbox-app", RecordRequests(Wire("http://hat.test", httpx.Client().build_request))
    )


def _stored(call: Call) -> Reply:
    """The HAT's answer storing every record ``call`` posts (one endpoint's array body)."""
    body = [
        {"endpoint": "sandbox-app/readings", "recordId": str(uuid4()), "data": item}
        for item in json.loads(call.request.content)
    ]
    return Reply(httpx.Response(201, content=to_json(body), request=call.request), None, False)


def _run(operation: Operation[Any], stored: int, then: BaseException | Reply) -> list[Call]:
    """Step ``operation``: ``stored`` requests are answered as stored, then ``then`` is raised
    at the next request's yield (or answered, for a reply)."""
    calls = [next(operation)]
    for _ in range(stored):
        calls.append(operation.send(_stored(calls[-1])))
    if isinstance(then, Reply):
        operation.send(then)
    else:
        operation.throw(then)
    raise AssertionError("the operation went on")


def _split_in_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "MAX_BODY_BYTES", len(b'[{"value":10},{"value":11}]'))


def _readings(count: int) -> Sequence[HatModel]:
    return [Reading(endpoint="readings", value=10 + i) for i in range(count)]


@pytest.mark.parametrize("skip_duplicates", [False, True])
def test_a_token_failure_in_a_later_request_says_what_earlier_ones_stored(
    monkeypatch: pytest.MonkeyPatch, skip_duplicates: bool
) -> None:
    _split_in_pairs(monkeypatch)
    operation = writes.post(_scope(), _readings(5), skip_duplicates=skip_duplicates)
    with pytest.raises(AuthError, match="Note: 2 record\\(s\\) of this call had already been"):
        _run(operation, 1, AuthError("The application token could not be renewed."))


@pytest.mark.parametrize("skip_duplicates", [False, True])
def test_a_post_answer_too_large_to_read_leaves_its_records_unknown(
    monkeypatch: pytest.MonkeyPatch, skip_duplicates: bool
) -> None:
    _split_in_pairs(monkeypatch)
    records = _readings(5)
    operation = writes.post(_scope(), records, skip_duplicates=skip_duplicates)
    with pytest.raises(OutcomeUnknownError, match="larger than max_response_bytes") as unknown:
        _run(operation, 1, ResponseTooLargeError("over 10 bytes"))
    assert unknown.value.records == tuple(records[2:])
    assert "2 record(s) of this call had already been stored" in str(unknown.value)


def test_a_skipping_post_whose_answer_shows_nothing_leaves_its_records_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _split_in_pairs(monkeypatch)
    records = _readings(4)
    operation = writes.post(_scope(), records, skip_duplicates=True)
    garbled = Reply(httpx.Response(201, content=b"[{not json"), None, False)
    with pytest.raises(OutcomeUnknownError) as unknown:
        _run(operation, 1, garbled)
    assert unknown.value.records == tuple(records[2:])


def test_records_stored_but_unreadable_as_their_model_say_what_was_not_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _split_in_pairs(monkeypatch)
    records = [Strict(endpoint="readings", value=10 + i, unit="kg") for i in range(5)]
    operation = writes.post(_scope(), records, skip_duplicates=False)
    with pytest.raises(RecordValidationError) as unreadable:
        operation.send(_stored(next(operation)))
    message = str(unreadable.value)
    assert "The 2 record(s) of this request were stored (the answer shows them)" in message
    assert "The records from #2 on were not sent." in message


def test_a_token_failure_in_a_later_delete_says_what_earlier_ones_deleted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = [uuid4() for _ in range(3)]
    one_id = len(_scope().target.delete_records(ids[:1]).url.raw_path)
    monkeypatch.setattr(writes, "MAX_TARGET_BYTES", one_id + 20)  # room for one id, not two
    operation = writes.delete(_scope(), ids)
    first = next(operation)
    operation.send(Reply(httpx.Response(200, json={}, request=first.request), None, False))
    with pytest.raises(AuthError, match="1 record\\(s\\) of this call had already been deleted"):
        operation.throw(AuthError("The application token could not be renewed."))
