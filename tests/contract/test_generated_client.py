"""The generated code matches the spec and puts HAT paths on the wire the way the server needs."""

from __future__ import annotations

import hashlib
from uuid import UUID

import httpx
import pytest

from hat_sdk import HatError, LimitedTokenScopeError, ResponseFormatError, _generated
from hat_sdk._generated.client import AuthenticatedClient
from hat_sdk._generated.client.api.combinators import get_combinator_data
from hat_sdk._generated.client.api.files import get_file
from hat_sdk._generated.client.api.records import delete_records, get_endpoint_data

from ._spec import SPEC_PATH, load_spec

BASE_URL = "http://hat.test"


class _Recorder:
    """An httpx transport that records request URLs and answers 204 (no body to parse)."""

    def __init__(self) -> None:
        self.urls: list[httpx.URL] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(request.url)
        return httpx.Response(204)


def _client(recorder: _Recorder) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=BASE_URL,
        token="not-a-real-token",
        prefix="",
        auth_header_name="X-Auth-Token",
        httpx_args={"transport": httpx.MockTransport(recorder.handle)},
    )


def test_spec_record_matches_the_spec_file() -> None:
    spec_bytes = SPEC_PATH.read_bytes()
    assert load_spec()["info"]["version"] == _generated.SPEC_VERSION
    assert hashlib.sha256(spec_bytes).hexdigest() == _generated.SPEC_SHA256, (
        "hat_sdk/_generated is stale: run `make generate`"
    )


def test_endpoint_with_slashes_is_sent_raw() -> None:
    recorder = _Recorder()
    response = get_endpoint_data.sync_detailed(
        namespace="rumpel", endpoint="locations/ios", client=_client(recorder), take=2
    )
    assert response.status_code == 204
    assert recorder.urls[0].raw_path == b"/api/v2.6/data/rumpel/locations/ios?take=2"


def test_combinator_name_with_slashes_is_sent_raw() -> None:
    recorder = _Recorder()
    get_combinator_data.sync_detailed(name="locations/morningcommute", client=_client(recorder))
    assert recorder.urls[0].raw_path == b"/api/v2.6/combinator/locations/morningcommute"


def test_other_path_parameters_escape_slashes() -> None:
    recorder = _Recorder()
    get_file.sync_detailed(file_id="a/b c", client=_client(recorder))
    assert recorder.urls[0].raw_path == b"/api/v2.6/files/file/a%2Fb%20c"


def test_records_are_sent_as_a_repeated_parameter() -> None:
    recorder = _Recorder()
    first = UUID("e965e022-6613-476a-a0cd-1f587a41b148")
    second = UUID("fcf1a26b-e49f-4457-915b-156e14140f38")
    delete_records.sync_detailed(records=[first, second], client=_client(recorder))
    expected = f"/api/v2.6/data?records={first}&records={second}"
    assert recorder.urls[0].raw_path == expected.encode()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b"<html>HAT</html>", ResponseFormatError),  # a web front end, not the API
        (200, b'{"not": "a list"}', ResponseFormatError),
        (200, b'[{"endpoint": "x"}]', ResponseFormatError),  # a record without its fields
        (403, b"<html>Forbidden</html>", LimitedTokenScopeError),  # a documented error status
    ],
)
def test_an_answer_that_is_not_the_documented_body_is_a_hat_error(
    status: int, body: bytes, error: type[HatError]
) -> None:
    client = AuthenticatedClient(
        base_url=BASE_URL,
        token="not-a-real-token",
        httpx_args={
            "transport": httpx.MockTransport(lambda _: httpx.Response(status, content=body))
        },
    )
    with pytest.raises(error):
        get_endpoint_data.sync_detailed(namespace="ns", endpoint="ep", client=client)
