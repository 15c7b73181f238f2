"""Splitting writes: only when a body would pass the HAT's limit, results still in order."""

from __future__ import annotations

import pytest

from hat_sdk import DuplicateDataError, HatClient, InvalidInputError
from hat_sdk._records.batching import repeats, split_by_size
from hat_sdk.sandbox import Sandbox

from .conftest import Location, requests_since


def test_split_by_size_packs_greedily_within_the_limit() -> None:
    # "[aaa,bbb,ccc]" is 13 bytes: brackets, three items and two commas.
    assert split_by_size([3, 3, 3], limit=13) == [range(3)]
    assert split_by_size([3, 3, 3], limit=12) == [range(2), range(2, 3)]
    assert split_by_size([], limit=10) == []
    assert split_by_size([8], limit=10) == [range(1)]
    with pytest.raises(InvalidInputError, match="record #1"):
        split_by_size([1, 9], limit=10)


def test_repeats_maps_later_copies_to_the_first() -> None:
    assert repeats([b"a", b"b", b"a", b"a"]) == {2: 0, 3: 0}
    assert repeats([b"a", b"b"]) == {}


def test_large_batches_split_by_body_size_keep_order(
    client: HatClient, hat_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hat_sdk._records.writes.MAX_BODY_BYTES", 2000)
    records = [Location(endpoint=f"e-{i % 3}", latitude=i, longitude=1) for i in range(100)]
    mark = len(hat_sandbox.request_log)
    saved = client.post(*records)
    posts = requests_since(hat_sandbox, mark)
    assert len(posts) > 1
    assert set(posts) == {("POST", "/api/v2.6/data-batch", 201)}
    assert [s.latitude for s in saved] == list(range(100))

    mark = len(hat_sandbox.request_log)
    updated = client.put(*[s.model_copy(update={"longitude": 2}) for s in saved])
    assert len(requests_since(hat_sandbox, mark)) > 1
    assert [(u.record_id, u.longitude) for u in updated] == [(s.record_id, 2) for s in saved]


def test_duplicate_in_a_later_request_says_what_was_stored(
    client: HatClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.post(Location(endpoint="old", latitude=99, longitude=1))
    monkeypatch.setattr("hat_sdk._records.writes.MAX_BODY_BYTES", 400)
    records = [Location(endpoint="new", latitude=i, longitude=1) for i in range(40)]
    records.append(Location(endpoint="new", latitude=99, longitude=1))
    with pytest.raises(
        DuplicateDataError, match=r"record\(s\) of this call had already been stored"
    ):
        client.post(*records)
