"""Writes the real server fails (empty lists: 500; data Postgres refuses: 400/500), and data it
stores changed (NUL characters deleted, unpaired surrogates as "?")."""

from __future__ import annotations

import json
import logging
import re

import httpx
import pytest

BATCH = "/api/v2.6/data-batch"
DATA = "/api/v2.6/data"
NOTES = "/api/v2.6/data/sandbox-app/notes"
UNSTORABLE_CAUSE = "Unexpected issue with inserting data"


def _assert_server_error(response: httpx.Response) -> None:
    assert response.status_code == 500, response.text
    body = response.json()
    assert body["error"] == "Internal Server error"
    # Play's error id (base 26), nothing of the cause: that goes to the server's log only.
    assert re.fullmatch(r"Server error occurred: [0-9a-p]{9}", body["message"]), body


def test_a_server_error_logs_its_cause_under_the_id_it_answers(
    client: httpx.Client, owner: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="hat_sdk.sandbox"):
        response = client.post(BATCH, json=[], headers=owner)
    _assert_server_error(response)
    error_id = response.json()["message"].rsplit(" ", 1)[1]
    assert f"Server Error {error_id}: empty.reduceLeft" in caplog.messages


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


# The HAT deletes every "\\u0000" from the JSON text it stores (see the sandbox's
# ``_jsonb.stored``): a NUL character vanishes; a backslash before "u0000" is left stray.
@pytest.mark.parametrize(
    ("data", "stored"),
    [
        ({"text": "a\u0000b"}, {"text": "ab"}),
        ({"key\u0000": 1}, {"key": 1}),
        ({"deep": [{"x": ["\u0000"]}]}, {"deep": [{"x": [""]}]}),
        ({"text": "\\\u0000"}, {"text": "\\"}),  # an escaped backslash, then a NUL
        ({"text": "\\u0000n"}, {"text": "\n"}),  # the text \u0000n: a newline is left
        ({"text": "\ud800!"}, {"text": "?!"}),  # an unpaired surrogate is sent as "?"
    ],
    ids=["nul-value", "nul-key", "nul-nested", "backslash-nul", "escape-left", "surrogate"],
)
def test_data_is_stored_as_the_hat_changes_it(
    client: httpx.Client, owner: dict[str, str], data: object, stored: object
) -> None:
    # ASCII JSON: the unpaired surrogate travels as the escape \ud800.
    body = json.dumps(data).encode()
    headers = {**owner, "Content-Type": "application/json"}
    response = client.post(NOTES, content=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["data"] == stored
    assert _stored(client, owner) == [stored]


def test_duplicates_are_found_by_the_data_as_sent(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # The hash is of the data as sent, before any NUL is deleted.
    for data in ({"n": "ab"}, {"n": "a\u0000b"}):
        assert client.post(NOTES, json=data, headers=owner).status_code == 201
    assert _stored(client, owner) == [{"n": "ab"}, {"n": "ab"}]
    response = client.post(NOTES, json={"n": "a\u0000b"}, headers=owner)
    assert response.json()["cause"] == "Duplicate data - Duplicate data"


#: Data the HAT's database refuses: the text \u0000 at the end of a string leaves a backslash
#: escaping the closing quote.
UNSTORABLE = {"n": "\\u0000"}


@pytest.mark.parametrize(
    "data",
    [UNSTORABLE, {"text": "C:\\u0000dir"}, {"text": "\\u0000u0000"}, {"k\\u0000": 1}],
    ids=["unterminated", "bad-escape", "nul-escape-left", "key"],
)
def test_data_postgres_refuses_is_an_unexpected_issue(
    client: httpx.Client, owner: dict[str, str], data: object
) -> None:
    response = client.post(NOTES, json=data, headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Bad Request",
        "cause": f"Duplicate data - {UNSTORABLE_CAUSE}",
    }
    assert _stored(client, owner) == []


def test_unstorable_data_fails_the_whole_array_unless_errors_are_skipped(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    values = [{"n": 1}, UNSTORABLE, {"n": 3}]
    assert client.post(NOTES, json=values, headers=owner).status_code == 400
    assert _stored(client, owner) == []
    skipped = client.post(NOTES, params={"skipErrors": "true"}, json=values, headers=owner)
    assert skipped.status_code == 201
    assert [r["data"] for r in skipped.json()] == [{"n": 1}, {"n": 3}]


def test_unstorable_data_in_batch_is_refused_and_stores_nothing(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    batch = [
        {"endpoint": "sandbox-app/notes", "data": {"n": 1}},
        {
            "endpoint": "sandbox-app/notes",
            "data": {"n": 2},
            "links": [{"endpoint": "sandbox-app/notes", "data": UNSTORABLE}],
        },
    ]
    response = client.post(BATCH, json=batch, headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Bad Request",
        "cause": f"Could not insert data - {UNSTORABLE_CAUSE}",
    }
    assert _stored(client, owner) == []


def test_unstorable_data_in_update_is_a_server_error(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    saved = client.post(NOTES, json={"n": 1}, headers=owner).json()
    _assert_server_error(client.put(DATA, json=_update_of(saved, UNSTORABLE), headers=owner))
    assert _stored(client, owner) == [{"n": 1}]
    update = _update_of(saved, {"n": "2\u0000"})
    assert client.put(DATA, json=update, headers=owner).status_code == 201
    assert _stored(client, owner) == [{"n": "2"}]
