"""Fixtures for the sandbox-core tests: an HTTP client on a fresh sandbox, owner and app tokens."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from hat_sdk.sandbox import Sandbox

APP_ID = "sandbox-app"


def login(client: httpx.Client, username: str = "sandbox", password: str = "sandbox") -> str:
    """Log in as the owner and return the access token."""
    response = client.get(
        "/users/access_token", headers={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["accessToken"]
    return token


def app_token_for(client: httpx.Client, owner_token: str, app_id: str = APP_ID) -> str:
    """An application token fetched with the owner token."""
    response = client.get(
        f"/api/v2.6/applications/{app_id}/access-token", headers={"X-Auth-Token": owner_token}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["accessToken"]
    return token


@pytest.fixture
def client(hat_sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A client bound to a fresh sandbox."""
    with httpx.Client(base_url=hat_sandbox.url) as http:
        yield http


@pytest.fixture
def owner(client: httpx.Client) -> dict[str, str]:
    """Headers carrying an owner token."""
    return {"X-Auth-Token": login(client)}


@pytest.fixture
def app(client: httpx.Client, owner: dict[str, str]) -> dict[str, str]:
    """Headers carrying a token of the enabled default application ``sandbox-app``."""
    return {"X-Auth-Token": app_token_for(client, owner["X-Auth-Token"])}
