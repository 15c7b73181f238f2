"""Duplicate data: found within the call without asking the HAT, or reported by the HAT."""

from __future__ import annotations

import pytest

from hat_sdk import DuplicateDataError, HatClient
from hat_sdk.sandbox import Sandbox

from .conftest import Location, Visit, locations, requests_since


def test_within_call_duplicates_are_named_before_any_request(
    client: HatClient, hat_sandbox: Sandbox
) -> None:
    records = [
        Location(endpoint="a", latitude=1, longitude=1),
        Location(endpoint="b", latitude=2, longitude=2),
        Location(endpoint="c", latitude=1, longitude=1),  # same data as #0, other endpoint
    ]
    mark = len(hat_sandbox.request_log)
    with pytest.raises(DuplicateDataError) as raised:
        client.post(*records)
    assert requests_since(hat_sandbox, mark) == []
    assert raised.value.duplicates == (records[2],)
    assert "#2 repeats #0" in str(raised.value)
    assert "already stored" in str(raised.value)


def test_stored_duplicate_fails_the_whole_batch(client: HatClient) -> None:
    [stored] = client.post(Location(endpoint="a", latitude=1, longitude=1))
    fresh = Location(endpoint="b", latitude=5, longitude=5)
    with pytest.raises(DuplicateDataError) as raised:
        client.post(fresh, Location(endpoint="c", latitude=1, longitude=1))
    assert raised.value.status_code == 400
    assert "already stores" in str(raised.value)
    assert "skip_duplicates=True" in str(raised.value)
    assert client.get(Location, "b") == []  # nothing of the batch was stored
    assert client.get(Location, "a") == [stored]


def test_a_single_record_refused_as_a_duplicate_is_named(client: HatClient) -> None:
    client.post(Location(endpoint="a", latitude=1, longitude=1))
    again = Location(endpoint="b", latitude=1, longitude=1)
    with pytest.raises(DuplicateDataError) as raised:
        client.post(again)
    assert raised.value.duplicates == (again,)


def test_skip_duplicates_returns_only_what_was_stored_in_input_order(
    client: HatClient, hat_sandbox: Sandbox
) -> None:
    client.post(Location(endpoint="a", latitude=1, longitude=1))
    records = [
        Location(endpoint="a", latitude=0, longitude=0),
        Location(endpoint="b", latitude=1, longitude=1),  # duplicates the stored record
        Location(endpoint="a", latitude=2, longitude=2),
        Visit(endpoint="b", place="home"),
        Location(endpoint="a", latitude=0, longitude=0),  # repeats #0 within the call
    ]
    mark = len(hat_sandbox.request_log)
    saved = client.post(*records, skip_duplicates=True)
    # skipErrors exists only on the per-endpoint POST: one request per endpoint.
    assert requests_since(hat_sandbox, mark) == [
        ("POST", "/api/v2.6/data/sandbox-app/a", 201),
        ("POST", "/api/v2.6/data/sandbox-app/b", 201),
    ]
    assert [(type(s).__name__, s.endpoint) for s in saved] == [
        ("Location", "sandbox-app/a"),
        ("Location", "sandbox-app/a"),
        ("Visit", "sandbox-app/b"),
    ]
    assert [s.record_id is not None for s in saved] == [True, True, True]


def test_put_with_repeated_data_is_refused_locally(client: HatClient, hat_sandbox: Sandbox) -> None:
    saved = client.post(*locations(2))
    mark = len(hat_sandbox.request_log)
    with pytest.raises(DuplicateDataError, match="repeats"):
        client.put(*[s.model_copy(update={"latitude": 7}) for s in saved])
    assert requests_since(hat_sandbox, mark) == []
