"""data-batch and data-link."""

from __future__ import annotations

import uuid

import httpx

BATCH = "/api/v2.6/data-batch"


def test_batch_with_links(client: httpx.Client, owner: dict[str, str]) -> None:
    batch = [
        {
            "endpoint": "rumpel/notable",
            "data": {"message": "hi"},
            "links": [{"endpoint": "rumpel/locations", "data": {"lat": 1}}],
        },
        {"endpoint": "rumpel/notable", "data": {"message": "bye"}},
    ]
    response = client.post(BATCH, json=batch, headers=owner)
    assert response.status_code == 201, response.text
    first, second = response.json()
    assert first["data"] == {"message": "hi"}
    assert [link["data"] for link in first["links"]] == [{"lat": 1}]
    assert second["links"] == []
    assert len(client.get("/api/v2.6/data/rumpel/locations", headers=owner).json()) == 1


def test_batch_permission_includes_links(client: httpx.Client, app: dict[str, str]) -> None:
    batch = [
        {
            "endpoint": "sandbox-app/notes",
            "data": {"a": 1},
            "links": [{"endpoint": "rumpel/locations", "data": {"lat": 1}}],
        }
    ]
    response = client.post(BATCH, json=batch, headers=app)
    assert response.status_code == 403
    assert response.json() == {
        "message": "Forbidden",
        "cause": "Access Denied - No rights to insert some or all of the data in the batch",
    }
    del batch[0]["links"]  # "links": [] would be a 500 (test_unstorable_writes)
    assert client.post(BATCH, json=batch, headers=app).status_code == 201


def test_batch_duplicate_rolls_back(client: httpx.Client, owner: dict[str, str]) -> None:
    batch = [{"endpoint": "ns/a", "data": {"x": 1}}, {"endpoint": "ns/b", "data": {"x": 1}}]
    response = client.post(BATCH, json=batch, headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Bad Request",
        "cause": "Could not insert data - Duplicate data",
    }
    assert client.get("/api/v2.6/data/ns/a", headers=owner).json() == []


def test_batch_invalid_endpoint(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.post(BATCH, json=[{"endpoint": "Bad", "data": 1}, {"data": 2}], headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bad Request",
        "message": {
            "obj[0].endpoint": [{"msg": ["Endpoint invalid"], "args": []}],
            "obj[1].endpoint": [{"msg": ["error.path.missing"], "args": []}],
        },
    }


def test_data_link(client: httpx.Client, owner: dict[str, str]) -> None:
    ids = [
        r["recordId"]
        for r in client.post("/api/v2.6/data/ns/ep", json=[1, 2], headers=owner).json()
    ]
    response = client.post("/api/v2.6/data-link", params={"records": ids}, headers=owner)
    assert response.status_code == 201
    assert response.json() == {"message": "Grouping registered"}
    unknown = client.post(
        "/api/v2.6/data-link", params={"records": [ids[0], str(uuid.uuid4())]}, headers=owner
    )
    assert unknown.status_code == 500
    assert unknown.json()["error"] == "Internal Server error"
