"""Applications: list, get, setup/disable, hmi definitions."""

from __future__ import annotations

import httpx

from .conftest import APP_ID

APPS = "/api/v2.6/applications"


def test_list_contains_configured_and_builtin_apps(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    for path in (APPS, f"{APPS}/hmi"):
        response = client.get(path, headers=owner)
        assert response.status_code == 200
        apps = {a["application"]["id"]: a for a in response.json()}
        assert {APP_ID, "notables"} <= set(apps)
        mine = apps[APP_ID]
        assert (mine["setup"], mine["enabled"], mine["active"]) == (True, True, True)
        assert {"role": "namespacewrite", "detail": APP_ID} in mine["application"]["permissions"][
            "rolesGranted"
        ]
        assert apps["notables"]["setup"] is False


def test_app_token_cannot_list_without_applicationlist(
    client: httpx.Client, app: dict[str, str]
) -> None:
    assert client.get(APPS, headers=app).status_code == 403


def test_get_setup_disable(client: httpx.Client, owner: dict[str, str]) -> None:
    assert client.get(f"{APPS}/notables", headers=owner).json()["enabled"] is False
    setup = client.get(f"{APPS}/notables/setup", headers=owner)
    assert setup.status_code == 200
    assert setup.json()["enabled"] is True
    assert setup.json()["needsUpdating"] is False
    disabled = client.get(f"{APPS}/notables/disable", headers=owner).json()
    assert (disabled["setup"], disabled["enabled"]) == (True, False)


def test_unknown_application(client: httpx.Client, owner: dict[str, str]) -> None:
    cause = "Application nope does not appear to be a valid application registered with the DEX"
    response = client.get(f"{APPS}/nope", headers=owner)
    assert response.status_code == 404
    assert response.json() == {"message": "Application not Found", "cause": cause}
    assert client.get(f"{APPS}/nope/setup", headers=owner).status_code == 400


def test_hmi_definition_is_unsecured(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.get(f"{APPS}/notables/hmi")
    assert response.status_code == 200
    assert response.json()["id"] == "notables"
    assert client.get(f"{APPS}/notables/hmi", headers=owner).status_code == 403
    missing = client.get(f"{APPS}/nope/hmi")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Not Found"
