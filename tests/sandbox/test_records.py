"""The rich-data record endpoints: POST/GET/PUT/DELETE, sources and error shapes."""

from __future__ import annotations

import uuid

import httpx
import pytest

DATA = "/api/v2.6/data"
DUPLICATE = {"message": "Bad Request", "cause": "Duplicate data - Duplicate data"}


def _post(client: httpx.Client, headers: dict[str, str], path: str, body: object) -> httpx.Response:
    return client.post(f"{DATA}/{path}", json=body, headers=headers)


def test_post_object_returns_single_record(client: httpx.Client, owner: dict[str, str]) -> None:
    response = _post(client, owner, "rumpel/locations/ios", {"lat": 1.5})
    assert response.status_code == 201
    body = response.json()
    assert body["endpoint"] == "rumpel/locations/ios"
    assert body["data"] == {"lat": 1.5}
    assert body["links"] == []
    assert uuid.UUID(body["recordId"]).version == 4


def test_post_array_returns_array(client: httpx.Client, owner: dict[str, str]) -> None:
    response = _post(client, owner, "rumpel/locations", [{"n": 1}, {"n": 2}, "scalar"])
    assert response.status_code == 201
    body = response.json()
    assert [r["data"] for r in body] == [{"n": 1}, {"n": 2}, "scalar"]
    assert all(r["links"] == [] for r in body)
    assert _post(client, owner, "rumpel/empty", []).json() == []


def test_data_comes_back_in_jsonb_key_order(client: httpx.Client, owner: dict[str, str]) -> None:
    sent = {"name": "x", "id": 1, "lastUpdated": "t", "data": {"bb": 1, "a": {"zz": 1, "b": 2}}}
    posted = _post(client, owner, "rumpel/profile", sent).json()
    assert list(posted["data"]) == ["id", "data", "name", "lastUpdated"]
    assert list(posted["data"]["data"]) == ["a", "bb"]
    assert list(posted["data"]["data"]["a"]) == ["b", "zz"]
    fetched = client.get(f"{DATA}/rumpel/profile", headers=owner).json()
    assert list(fetched[0]["data"]) == ["id", "data", "name", "lastUpdated"]


def test_duplicates_are_rejected_across_endpoints(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    assert _post(client, owner, "a/one", {"k": 1, "v": 2}).status_code == 201
    duplicate = _post(client, owner, "b/two", {"k": 1, "v": 2})
    assert duplicate.status_code == 400
    assert duplicate.json() == DUPLICATE
    # Same content with another key order hashes differently: not a duplicate.
    assert _post(client, owner, "b/two", {"v": 2, "k": 1}).status_code == 201


def test_array_is_all_or_nothing_unless_skip_errors(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    assert _post(client, owner, "ns/ep", {"x": 1}).status_code == 201
    failed = _post(client, owner, "ns/ep", [{"x": 2}, {"x": 1}])
    assert failed.status_code == 400
    assert failed.json() == DUPLICATE
    assert len(client.get(f"{DATA}/ns/ep", headers=owner).json()) == 1
    skipped = client.post(f"{DATA}/ns/ep?skipErrors=true", json=[{"x": 2}, {"x": 1}], headers=owner)
    assert skipped.status_code == 201
    assert [r["data"] for r in skipped.json()] == [{"x": 2}]


def test_get_paging_ordering_and_filters(client: httpx.Client, owner: dict[str, str]) -> None:
    records = [
        {"n": 3, "tag": "b"},
        {"n": 1, "tag": "a"},
        {"n": 2, "tags": ["a", "c"]},
        {"other": 0},
    ]
    _post(client, owner, "ns/ep", records)

    def values(**params: str) -> list[object]:
        response = client.get(f"{DATA}/ns/ep", params=params, headers=owner)
        assert response.status_code == 200, response.text
        return [r["data"].get("n") for r in response.json()]

    assert values() == [3, 1, 2, None]
    assert values(ordering="descending") == [None, 2, 1, 3]
    assert values(orderBy="n") == [1, 2, 3, None]
    assert values(orderBy="n", ordering="descending") == [3, 2, 1, None]
    assert values(skip="1", take="2") == [1, 2]
    assert values(tag="a") == [1]
    assert values(tags="c") == [2]
    assert values(take="2", tag="a") == [1]  # the filter applies after paging
    assert "links" not in client.get(f"{DATA}/ns/ep", headers=owner).json()[0]


def test_get_rejects_non_integer_paging(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.get(f"{DATA}/ns/ep?take=abc", headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bad Request",
        "message": 'Cannot parse parameter take as Int: For input string: "abc"',
    }


def test_get_without_token_is_401(client: httpx.Client) -> None:
    response = client.get(f"{DATA}/ns/ep")
    assert response.status_code == 401
    assert response.json() == {"error": "Not Authenticated", "message": "Not Authenticated"}


def test_body_errors(client: httpx.Client, owner: dict[str, str]) -> None:
    wrong_type = client.post(
        f"{DATA}/ns/ep", content=b"{}", headers={**owner, "Content-Type": "text/plain"}
    )
    assert wrong_type.status_code == 415
    assert wrong_type.headers["content-type"].startswith("text/html")
    malformed = client.post(
        f"{DATA}/ns/ep", content=b"{", headers={**owner, "Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["message"].startswith("Invalid Json: ")
    too_big = client.post(
        f"{DATA}/ns/ep",
        content=b'"' + b"x" * (10 * 1024 * 1024) + b'"',
        headers={**owner, "Content-Type": "application/json"},
    )
    assert too_big.status_code == 413


def test_delete_endpoint(client: httpx.Client, owner: dict[str, str]) -> None:
    _post(client, owner, "ns/ep", [{"a": 1}, {"a": 2}])
    _post(client, owner, "ns/ep/sub", {"a": 3})
    response = client.delete(f"{DATA}/ns/ep", headers=owner)
    assert response.json() == {"message": "All records deleted"}
    assert client.get(f"{DATA}/ns/ep", headers=owner).json() == []
    assert len(client.get(f"{DATA}/ns/ep/sub", headers=owner).json()) == 1


def test_put_replaces_data_atomically(client: httpx.Client, owner: dict[str, str]) -> None:
    first, second = _post(client, owner, "ns/ep", [{"v": 1}, {"v": 2}]).json()
    update = [{"endpoint": "ns/ep", "recordId": first["recordId"], "data": {"v": 10, "new": True}}]
    response = client.put(DATA, json=update, headers=owner)
    assert response.status_code == 201
    assert response.json() == update
    missing = [
        {"endpoint": "ns/ep", "recordId": second["recordId"], "data": {"v": 20}},
        {"endpoint": "ns/ep", "recordId": str(uuid.uuid4()), "data": {"v": 30}},
    ]
    failed = client.put(DATA, json=missing, headers=owner)
    assert failed.status_code == 400
    assert failed.json() == {
        "message": "Data Missing",
        "cause": "Could not update records: Records missing for updating",
    }
    stored = {r["recordId"]: r["data"] for r in client.get(f"{DATA}/ns/ep", headers=owner).json()}
    assert stored == {first["recordId"]: {"v": 10, "new": True}, second["recordId"]: {"v": 2}}
    clash = [{"endpoint": "ns/ep", "recordId": second["recordId"], "data": {"v": 10, "new": True}}]
    assert client.put(DATA, json=clash, headers=owner).status_code == 500


def test_put_validation_and_permissions(
    client: httpx.Client, owner: dict[str, str], app: dict[str, str]
) -> None:
    invalid = client.put(DATA, json=[{"endpoint": "Bad NS", "data": 1}], headers=owner)
    assert invalid.status_code == 400
    assert invalid.json() == {
        "error": "Bad Request",
        "message": {"obj[0].endpoint": [{"msg": ["Endpoint invalid"], "args": []}]},
    }
    record = _post(client, owner, "rumpel/notes", {"a": 1}).json()
    foreign = [{"endpoint": "rumpel/notes", "recordId": record["recordId"], "data": {"a": 2}}]
    assert client.put(DATA, json=foreign, headers=app).status_code == 500


def test_delete_records(client: httpx.Client, owner: dict[str, str], app: dict[str, str]) -> None:
    ids = [
        r["recordId"] for r in _post(client, owner, "sandbox-app/ep", [{"a": 1}, {"a": 2}]).json()
    ]
    foreign = _post(client, owner, "rumpel/notes", {"a": 3}).json()["recordId"]
    missing = client.delete(DATA, params={"records": [ids[0], str(uuid.uuid4())]}, headers=owner)
    assert missing.status_code == 400
    assert missing.json() == {
        "message": "Data Missing",
        "cause": "Could not delete records: Records missing for deleting",
    }
    denied = client.delete(DATA, params={"records": [ids[0], foreign]}, headers=app)
    assert denied.status_code == 403
    assert denied.json()["cause"].startswith("Access Denied - Permissions to modify records")
    assert len(client.get(f"{DATA}/sandbox-app/ep", headers=owner).json()) == 2
    invalid = client.delete(DATA, params={"records": "nope"}, headers=owner)
    assert invalid.status_code == 400
    assert invalid.json()["message"].startswith("Cannot parse parameter records as UUID")
    assert client.delete(DATA, params={"records": ids}, headers=app).status_code == 200
    assert client.get(f"{DATA}/sandbox-app/ep", headers=owner).json() == []
    assert client.delete(DATA, headers=owner).status_code == 200


def test_sources(client: httpx.Client, owner: dict[str, str]) -> None:
    _post(client, owner, "rumpel/locations/ios", {"a": 1})
    _post(client, owner, "rumpel/notes", {"a": 2})
    _post(client, owner, "spotify/feed", {"a": 3})
    sources = client.get(f"{DATA}/sources", headers=owner).json()
    assert {k: sorted(v) for k, v in sources.items()} == {
        "rumpel": ["locations/ios", "notes"],
        "spotify": ["feed"],
    }


def test_data_record(client: httpx.Client, owner: dict[str, str], app: dict[str, str]) -> None:
    record = _post(client, owner, "rumpel/notes", {"a": 1}).json()
    path = f"/api/v2.6/data-record/{record['recordId']}"
    fetched = client.get(path, headers=app)  # any valid token, no namespace check
    assert fetched.status_code == 200
    assert fetched.json() == {k: record[k] for k in ("endpoint", "recordId", "data")}
    no_token = client.get(path)
    assert no_token.status_code == 403
    assert no_token.content == b""
    missing = client.get(f"/api/v2.6/data-record/{uuid.uuid4()}", headers=owner)
    assert missing.status_code == 400
    assert missing.json()["message"] == "Data Missing"


@pytest.mark.parametrize("path", ["/api/v2.6/data/Bad_NS/x", "/api/v2.6/nope", "/hatlogin"])
def test_unmatched_get_serves_the_dashboard(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_unmatched_other_methods_are_handler_not_found(client: httpx.Client) -> None:
    response = client.post("/api/v2.6/data/Bad_NS/x", json={})
    assert response.status_code == 404
    assert response.json() == {
        "error": "Handler Not Found",
        "message": "Request handler at POST:/api/v2.6/data/Bad_NS/x does not exist",
    }
    assert client.patch("/api/v2.6/data/ns/ep").status_code == 404
