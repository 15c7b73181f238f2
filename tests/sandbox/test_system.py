"""Version, health, status, front-end action logging and persistence across restarts."""

from __future__ import annotations

from pathlib import Path

import httpx

from hat_sdk.sandbox import Sandbox

from .conftest import login


def test_version_and_health(client: httpx.Client) -> None:
    assert client.get("/api/v2.6/version").json() == {"Version": "v2.8.18"}
    assert client.get("/healthz").json() == {"Status": "OK"}
    assert client.get("/api/v2.6/healthz").json() == {"Status": "OK"}


def test_system_status(client: httpx.Client, owner: dict[str, str], app: dict[str, str]) -> None:
    response = client.get("/api/v2.6/system/status", headers=owner)
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()]
    assert titles[:2] == ["Previous Login", "Owner Email"]
    assert "Database Storage Used Share" in titles
    assert client.get("/api/v2.6/system/status", headers=app).status_code == 403


def test_report_frontend_action(client: httpx.Client, app: dict[str, str]) -> None:
    response = client.post(
        "/api/v2.6/report-frontend-action", json={"actionCode": "hmi_opened"}, headers=app
    )
    assert response.status_code == 200
    assert response.json() == {"message": "hmi_opened logged"}
    assert client.post("/api/v2.6/report-frontend-action", json={}, headers=app).status_code == 400


def test_file_database_persists_records_and_keys(tmp_path: Path) -> None:
    database = tmp_path / "hat.sqlite"
    with Sandbox(db_path=database) as url, httpx.Client(base_url=url) as client:
        headers = {"X-Auth-Token": login(client)}
        client.post("/api/v2.6/data/ns/ep", json={"kept": True}, headers=headers)
        port = url.rsplit(":", 1)[1]
    # Same host and port, so the token's issuer matches and the stored key verifies it.
    with Sandbox(db_path=database, port=int(port)) as url, httpx.Client(base_url=url) as client:
        assert [r["data"] for r in client.get("/api/v2.6/data/ns/ep", headers=headers).json()] == [
            {"kept": True}
        ]


def test_destroy_cache_is_refused_without_the_shared_secret(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    path = "/api/v2.6/system/destroy-cache"
    missing = client.delete(path)
    assert missing.status_code == 403
    assert missing.json() == {"message": "Credentials missing", "cause": "Credentials required"}
    invalid = {"message": "Invalid token", "cause": "Not a valid token provided"}
    other = client.delete(path, headers={"X-Auth-Token": "not-the-secret"})
    assert (other.status_code, other.json()) == (403, invalid)
    assert "X-Auth-Token" not in other.headers
    token = client.delete(path, headers=owner)
    assert (token.status_code, token.json()) == (403, invalid)
    assert token.headers["X-Auth-Token"]  # a UserAwareAction refreshes a valid token
    in_query = client.delete(path, params=owner)
    assert in_query.json() == missing.json()
