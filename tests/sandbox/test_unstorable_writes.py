"""Writes the real server fails: empty lists (500) and data holding NUL characters (400/500)."""

from __future__ import annotations

import httpx
import pytest

BATCH = "/api/v2.6/data-batch"
DATA = "/api/v2.6/data"
NOTES = "/api/v2.6/data/sandbox-app/notes"
NUL_CAUSE = "Unexpected issue with inserting data"


def _assert_server_error(response: httpx.Response) -> None:
    assert response.status_code == 500, response.text
    body = response.json()
    assert body["error"] == "Internal Server error"
    assert body["message"].startswith("Server error occurred: ")


def _update_of(saved: dict[str, object], data: object) -> list[dict[str, object]]:
    # Not the saved record itself: the POST answer carries "links": [], itself a 500 in a PUT.
    return [{"endpoint": saved["endpoint"], "recordId": saved["recordId"], "data": data}]


def _stored(client: httpx.Client, owner: dict[str, str], path: str = NOTES) -> list[object]:
    return [r["data"] for r in client.get(path, headers=owner).json()]


def test_empty_batch_is_a_server_error(client: httpx.Client, owner: dict[str, str]) -> None:
    _assert_server_error(client.post(BATCH, json=[], headers=owner))


def test_empty_update_is_a_server_error(client: httpx.Client, owner: dict[str, str]) -> None:
    _assert_server_error(client.put(DATA, json=[], headers=owner))


@pytest.mark.parametrize("nested", [False, True])
def test_batch_record_with_empty_links_is_a_server_error_and_stores_nothing(
    client: httpx.Client, owner: dict[str, str], nested: bool
) -> None:
    empty = {"endpoint": "sandbox-app/notes", "data": {"n": 2}, "links": []}
    record = {"endpoint": "sandbox-app/notes", "data": {"n": 1}, "links": [empty]}
    batch = [{"endpoint": "sandbox-app/notes", "data": {"n": 0}}, record if nested else empty]
    _assert_server_error(client.post(BATCH, json=batch, headers=owner))
    assert _stored(client, owner) == []


def test_update_record_with_empty_links_is_a_server_error(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    saved = client.post(NOTES, json={"n": 1}, headers=owner).json()
    assert client.put(DATA, json=_update_of(saved, {"n": 2}), headers=owner).status_code == 201
    update = [{**_update_of(saved, {"n": 3})[0], "links": []}]
    _assert_server_error(client.put(DATA, json=update, headers=owner))
    assert _stored(client, owner) == [{"n": 2}]


def test_links_field_in_endpoint_data_is_plain_data(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # POST /data/{ns}/{ep} takes the body as data, not EndpointData: "links" is just a key.
    assert client.post(NOTES, json={"links": []}, headers=owner).status_code == 201


@pytest.mark.parametrize(
    "data",
    [{"text": "a\u0000b"}, {"key\u0000": 1}, {"deep": [{"x": ["\u0000"]}]}],
    ids=["value", "key", "nested"],
)
def test_nul_in_data_is_refused_as_duplicate_data(
    client: httpx.Client, owner: dict[str, str], data: object
) -> None:
    response = client.post(NOTES, json=data, headers=owner)
    assert response.status_code == 400
    assert response.json() == {"message": "Bad Request", "cause": f"Duplicate data - {NUL_CAUSE}"}
    assert _stored(client, owner) == []


def test_escaped_backslash_u0000_text_is_stored(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # The six characters \u0000 are ordinary text; only the NUL character is refused.
    assert client.post(NOTES, json={"text": "\\u0000"}, headers=owner).status_code == 201
    assert _stored(client, owner) == [{"text": "\\u0000"}]


def test_nul_fails_the_whole_array_unless_errors_are_skipped(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    values = [{"n": 1}, {"n": "\u0000"}, {"n": 3}]
    assert client.post(NOTES, json=values, headers=owner).status_code == 400
    assert _stored(client, owner) == []
    skipped = client.post(NOTES, params={"skipErrors": "true"}, json=values, headers=owner)
    assert skipped.status_code == 201
    assert [r["data"] for r in skipped.json()] == [{"n": 1}, {"n": 3}]


def test_nul_in_batch_is_refused_and_stores_nothing(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    batch = [
        {"endpoint": "sandbox-app/notes", "data": {"n": 1}},
        {
            "endpoint": "sandbox-app/notes",
            "data": {"n": 2},
            "links": [{"endpoint": "sandbox-app/notes", "data": {"n": "\u0000"}}],
        },
    ]
    response = client.post(BATCH, json=batch, headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Bad Request",
        "cause": f"Could not insert data - {NUL_CAUSE}",
    }
    assert _stored(client, owner) == []


def test_nul_in_update_is_a_server_error(client: httpx.Client, owner: dict[str, str]) -> None:
    saved = client.post(NOTES, json={"n": 1}, headers=owner).json()
    _assert_server_error(client.put(DATA, json=_update_of(saved, {"n": "\u0000"}), headers=owner))
    assert _stored(client, owner) == [{"n": 1}]
