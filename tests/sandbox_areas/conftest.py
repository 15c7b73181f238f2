"""Fixtures for HTTP tests of the sandbox's combinator, bundle, data-debit, file and SHE areas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from hat_sdk.sandbox import Sandbox

Json = Any


def _login(url: str) -> str:
    response = httpx.get(
        f"{url}/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
    )
    response.raise_for_status()
    token: str = response.json()["accessToken"]
    return token


@pytest.fixture
def owner(hat_sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A client sending a fresh owner token."""
    token = _login(hat_sandbox.url)
    with httpx.Client(
        base_url=hat_sandbox.url, headers={"X-Auth-Token": token}, timeout=10
    ) as client:
        yield client


@pytest.fixture
def anonymous(hat_sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A client sending no token."""
    with httpx.Client(base_url=hat_sandbox.url, timeout=10) as client:
        yield client


@pytest.fixture
def app_client(hat_sandbox: Sandbox, owner: httpx.Client) -> Iterator[httpx.Client]:
    """A client with a token of the enabled ``sandbox-app`` (namespace roles only)."""
    response = owner.get("/api/v2.6/applications/sandbox-app/access-token")
    response.raise_for_status()
    token = response.json()["accessToken"]
    with httpx.Client(
        base_url=hat_sandbox.url, headers={"X-Auth-Token": token}, timeout=10
    ) as client:
        yield client


@pytest.fixture
def post_data(owner: httpx.Client) -> Callable[[str, Json], list[str]]:
    """Store records (one per element of a JSON array) at ``ns/ep``; returns their ids."""

    def post(endpoint: str, data: Json) -> list[str]:
        response = owner.post(f"/api/v2.6/data/{endpoint}", json=data)
        assert response.status_code == 201, response.text
        body = response.json()
        return [r["recordId"] for r in (body if isinstance(body, list) else [body])]

    return post
