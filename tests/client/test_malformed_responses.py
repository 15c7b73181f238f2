"""Responses that break the API's promises map to HatError subclasses, never bare errors."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pydantic_core import to_json

from hat_sdk import (
    AppToken,
    DuplicateDataError,
    GetOpts,
    HatClient,
    HatError,
    InternalServerError,
    LimitedTokenScopeError,
    OutcomeUnknownError,
    OutcomeUnknownServerError,
    RecordNotFoundError,
    RecordValidationError,
    ResponseFormatError,
    UpdateFailedError,
)

from .conftest import Location

RECORD = b'{"endpoint":"sandbox-app/locations","recordId":"8c8c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a11"'


def _answering(
    status: int, body: bytes, content_type: str = "application/json"
) -> Callable[[AppToken], HatClient]:
    def make(token: AppToken) -> HatClient:
        transport = httpx.MockTransport(
            lambda _request: httpx.Response(
                status, content=body, headers={"Content-Type": content_type}
            )
        )
        return HatClient(
            token, "sandbox-app", http_client=httpx.Client(transport=transport), max_retries=0
        )

    return make


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<!doctype html><html><body>HAT dashboard</body></html>", "text/html"),
        (b"[" + RECORD + b',"data":{"latitude":1,', "application/json"),  # truncated
        (b"[" + RECORD + b',"data":{"latitude":"north","longitude":2}}]', "application/json"),
        (b'{"endpoint":"x","data":{}}', "application/json"),  # an object, not a list
        (b'[{"recordId":"not-a-uuid","data":{"latitude":1,"longitude":2}}]', "application/json"),
        (b"", "application/json"),
    ],
)
def test_unusable_get_bodies_raise_response_format_error(
    token: AppToken, body: bytes, content_type: str
) -> None:
    with (
        _answering(200, body, content_type)(token) as hat,
        pytest.raises(ResponseFormatError) as raised,
    ):
        hat.get(Location, "locations")
    assert isinstance(raised.value, HatError)
    assert raised.value.status_code == 200


def test_post_answer_with_wrong_count_leaves_the_outcome_unknown(token: AppToken) -> None:
    body = b"[" + RECORD + b',"data":{"latitude":1,"longitude":2}}]'
    sent = [
        Location(endpoint="locations", latitude=1, longitude=2),
        Location(endpoint="locations", latitude=3, longitude=4),
    ]
    with (
        _answering(201, body)(token) as hat,
        pytest.raises(OutcomeUnknownError, match="1 records for the 2 sent") as unknown,
    ):
        hat.post(*sent)
    assert unknown.value.records == tuple(sent)


def test_post_answer_of_other_records_leaves_the_outcome_unknown(token: AppToken) -> None:
    from .conftest import Visit

    body = b"[" + RECORD + b',"data":{"latitude":1,"longitude":2}},' + RECORD + b',"data":{}}]'
    with (
        _answering(201, body)(token) as hat,
        pytest.raises(OutcomeUnknownError, match="record #1 of the answer is not the one sent"),
    ):
        hat.post(
            Location(endpoint="locations", latitude=1, longitude=2),
            Visit(endpoint="visits", place="home"),
        )


OTHER_ID = b'"recordId":"0e0c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a12"'
LOCATIONS = b'{"endpoint":"sandbox-app/locations",'


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            b"["
            + RECORD
            + b',"data":{"latitude":1,"longitude":2}},'
            + RECORD
            + b',"data":{"latitude":1,"longitude":2}}]',
            "record #1",
        ),  # one id twice
        (
            b"["
            + RECORD
            + b',"data":{"latitude":1,"longitude":2}},'
            + LOCATIONS
            + OTHER_ID
            + b',"data":{"latitude":0,"longitude":0}}]',
            "record #1",
        ),  # other data
        (
            b'[{"endpoint":"sandbox-app/other",' + OTHER_ID + b',"data":{"latitude":1,'
            b'"longitude":2}}]',
            "record #0",
        ),  # another endpoint
        (b"[{not json", "key must be a string"),
        (b"[null]", "record #0 of the answer is not a record"),
    ],
    ids=["one-id-twice", "other-data", "other-endpoint", "not-json", "not-a-record"],
)
def test_a_post_answer_that_is_not_the_records_sent_leaves_them_unknown(
    token: AppToken, body: bytes, problem: str
) -> None:
    sent = [Location(endpoint="locations", latitude=1, longitude=2)]
    if problem == "record #1":
        sent.append(Location(endpoint="locations", latitude=3, longitude=4))
    with _answering(201, body)(token) as hat, pytest.raises(OutcomeUnknownError) as unknown:
        hat.post(*sent)
    assert problem in str(unknown.value)
    assert unknown.value.records == tuple(sent)
    assert unknown.value.status_code == 201


def test_a_put_answer_with_another_record_is_a_format_error(token: AppToken) -> None:
    body = b"[" + LOCATIONS + OTHER_ID + b',"data":{"latitude":1,"longitude":2}}]'
    record = Location(
        endpoint="locations",
        record_id="8c8c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a11",
        latitude=1,
        longitude=2,
    )
    with _answering(201, body)(token) as hat, pytest.raises(ResponseFormatError, match="#0"):
        hat.put(record)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (403, b'{"error":"Forbidden","message":"Access Denied"}', LimitedTokenScopeError),
        (
            400,
            b'{"message":"Data Missing","cause":"Could not delete records"}',
            RecordNotFoundError,
        ),
        (502, b"<html>Bad gateway</html>", HatError),
    ],
)
def test_error_statuses_map_to_typed_errors(
    token: AppToken, status: int, body: bytes, error: type[HatError]
) -> None:
    with _answering(status, body)(token) as hat, pytest.raises(error):
        hat.delete("8c8c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a11")


def test_put_500_is_reported_as_likely_duplicate_data_and_as_a_server_error(
    token: AppToken,
) -> None:
    body = b'{"error":"Internal Server error","message":"Server error occurred: x"}'
    record = Location(
        endpoint="locations",
        record_id="8c8c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a11",
        latitude=1,
        longitude=1,
    )
    with _answering(500, body)(token) as hat, pytest.raises(UpdateFailedError) as raised:
        hat.put(record)
    assert isinstance(raised.value, DuplicateDataError)
    assert isinstance(raised.value, InternalServerError)
    assert raised.value.status_code == 500


def test_post_5xx_leaves_the_outcome_unknown_and_is_a_server_error(token: AppToken) -> None:
    body = b'{"error":"Internal Server error","message":"Server error occurred: x"}'
    record = Location(endpoint="locations", latitude=1, longitude=1)
    with _answering(502, body)(token) as hat, pytest.raises(OutcomeUnknownServerError) as raised:
        hat.post(record)
    assert isinstance(raised.value, OutcomeUnknownError)
    assert isinstance(raised.value, InternalServerError)
    assert raised.value.records == (record,)
    assert raised.value.status_code == 502
    assert raised.value.message == "Server error occurred: x"


@pytest.mark.parametrize("key", ["endpoint", "record_id"])
def test_data_under_a_reserved_key_is_read_and_written_back_unchanged(
    client: HatClient, token: AppToken, key: str
) -> None:
    # Stored by someone else, outside HatModel: the key is named like the model's location
    # fields. Reading must neither fail nor confuse it with the location; a put keeps it.
    value = "mine" if key == "endpoint" else "not-a-uuid"
    with httpx.Client(base_url=token.hat_url, auth=token) as raw:
        stored = raw.post(
            "/api/v2.6/data/sandbox-app/reserved", json={key: value, "latitude": 1, "longitude": 2}
        )
        assert stored.status_code == 201
        (record,) = client.get(Location, "reserved")
        assert record.endpoint == "sandbox-app/reserved"
        assert record.reserved_data == {key: value}
        with pytest.raises(TypeError):  # read-only: what is written back is what was read
            record.reserved_data[key] = "changed"  # type: ignore[index]
        client.put(record.model_copy(update={"latitude": 5.0}))
        (kept,) = raw.get("/api/v2.6/data/sandbox-app/reserved").json()
    assert kept["data"] == {key: value, "latitude": 5.0, "longitude": 2}


def test_one_record_that_does_not_fit_is_named_and_the_others_kept(
    client: HatClient, token: AppToken
) -> None:
    with httpx.Client(base_url=token.hat_url, auth=token) as raw:
        for data in ({"latitude": 1, "longitude": 2}, {"latitude": "north"}):
            assert raw.post("/api/v2.6/data/sandbox-app/mixed", json=data).status_code == 201
    with pytest.raises(RecordValidationError, match="Location") as caught:
        client.get(Location, "mixed")
    assert [getattr(record, "latitude", None) for record in caught.value.records] == [1]
    assert len(caught.value.invalid) == 1
    assert caught.value.invalid[0][0] is not None  # the record id of the misfit
    assert caught.value.invalid[0][0] in str(caught.value)
    # The answer was a JSON array of records, not something unreadable.
    assert "JSON body, an array (application/json" in str(caught.value)
    assert "non-JSON" not in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [
        b"<!doctype html><html><body>HAT dashboard</body></html>",
        b"[" + RECORD + b',"data":{"latitude":1,',  # truncated
        b'{"endpoint":"x","data":{}}',  # an object, not a list
        b'[{"endpoint":"x","recordId":"not-a-uuid","data":{}}]',
        b"[" + RECORD + b"}]",  # no data
        b"[" + RECORD + b',"data":[1,2]}]',  # data not an object
        b'[{"endpoint":1,"recordId":"8c8c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a11","data":{}}]',
        b"[[]]",
    ],
)
def test_records_read_for_copying_are_checked_as_endpoint_data(
    token: AppToken, body: bytes
) -> None:
    # hat export reads records without a model: a body that is not EndpointData is an error,
    # never a line of the export.
    with _answering(200, body)(token) as hat, pytest.raises(ResponseFormatError):
        hat._get_stored("locations", GetOpts()).records()


def test_records_read_for_copying_keep_their_data_as_sent(token: AppToken) -> None:
    data = b'{"z":1,"endpoint":"elsewhere","a":{"record_id":0.00001,"big":12345678901234567890}}'
    body = b"[" + RECORD + b',"data":' + data + b',"links":[]}]'
    with _answering(200, body)(token) as hat:
        (record,) = hat._get_stored("locations", GetOpts()).records()
    assert list(record) == ["endpoint", "recordId", "data"]  # the links of EndpointData dropped
    assert record["recordId"] == "8c8c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a11"
    assert to_json(record["data"]) == data  # keys in order, reserved names and numbers kept


def _redirecting(
    token: AppToken,
    status: int,
    *,
    follow: bool = False,
    location: str = "https://elsewhere.example/api?X-Amz-Signature=deadbeef",
) -> HatClient:
    transport = httpx.MockTransport(
        lambda _request: httpx.Response(status, headers={"Location": location})
    )
    http = httpx.Client(transport=transport, follow_redirects=follow, max_redirects=3)
    return HatClient(token, "sandbox-app", http_client=http, max_retries=0)


@pytest.mark.parametrize("follow", [False, True], ids=["not-followed", "followed-too-often"])
def test_a_redirect_left_unfollowed_says_where_it_leads(token: AppToken, follow: bool) -> None:
    with (
        _redirecting(token, 301, follow=follow) as hat,
        pytest.raises(ResponseFormatError) as raised,
    ):
        hat.get(Location, "locations")
    message = str(raised.value)
    assert "a redirect to https://elsewhere.example/api" in message
    assert "Use the address it redirects to" in message
    assert "deadbeef" not in message


def test_a_redirect_to_no_url_is_a_format_error(token: AppToken) -> None:
    with (
        _redirecting(token, 302, location="https://a]b/") as hat,
        pytest.raises(ResponseFormatError, match="a redirect to <not a URL>"),
    ):
        hat.get(Location, "locations")


def test_a_put_answered_see_other_may_have_been_applied(token: AppToken) -> None:
    record = Location(
        endpoint="locations",
        record_id="8c8c3f0e-7d3c-4a53-9b6a-4c1f2d9e0a11",
        latitude=1,
        longitude=1,
    )
    with (
        _redirecting(token, 303) as hat,
        pytest.raises(ResponseFormatError, match="may have been applied"),
    ):
        hat.put(record)


def test_a_post_redirected_elsewhere_was_not_stored_there(token: AppToken) -> None:
    record = Location(endpoint="locations", latitude=1, longitude=1)
    with _redirecting(token, 308) as hat, pytest.raises(ResponseFormatError) as raised:
        hat.post(record)
    assert not isinstance(raised.value, OutcomeUnknownError)


def test_a_post_answered_see_other_leaves_the_outcome_unknown(token: AppToken) -> None:
    record = Location(endpoint="locations", latitude=1, longitude=1)
    with _redirecting(token, 303) as hat, pytest.raises(OutcomeUnknownError) as raised:
        hat.post(record)
    assert raised.value.records == (record,)
    assert "303 (see other)" in str(raised.value)
