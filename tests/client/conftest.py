"""Fixtures of the client tests: a sandbox HAT, an app token and clients bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppToken, AsyncHatClient, HatClient, HatModel
from hat_sdk.sandbox import Sandbox

NAMESPACE = "sandbox-app"


class Location(HatModel):
    """The record type most tests use."""

    latitude: float
    longitude: float


class Visit(HatModel):
    """A second record type, for mixed-type calls."""

    place: str


def requests_since(sandbox: Sandbox, mark: int) -> list[tuple[str, str, int]]:
    """(method, path, status) of the requests served after the log had ``mark`` entries."""
    return [(entry.method, entry.path, entry.status) for entry in sandbox.request_log[mark:]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def owner(hat_sandbox: Sandbox) -> ApiOwnerToken:
    return ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=hat_sandbox.url)


@pytest.fixture
def offline_token() -> AppToken:
    """A token that is never used to send anything (no server behind it)."""
    owner = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url="http://127.0.0.1:9")
    return AppToken(owner, NAMESPACE)


@pytest.fixture
def token(owner: ApiOwnerToken) -> AppToken:
    app = AppToken(owner, NAMESPACE)
    app.access_token()  # log in now, so tests count only their own requests
    return app


@pytest.fixture
def client(token: AppToken) -> Iterator[HatClient]:
    with HatClient(token, NAMESPACE, retry_backoff=0.001) as hat:
        yield hat


@pytest.fixture
async def aclient(token: AppToken) -> AsyncIterator[AsyncHatClient]:
    async with AsyncHatClient(token, NAMESPACE, retry_backoff=0.001) as hat:
        yield hat


def locations(count: int, endpoint: str = "locations", start: int = 0) -> list[Location]:
    """``count`` distinct Location records (distinct data: the HAT refuses duplicates)."""
    return [Location(endpoint=endpoint, latitude=start + i, longitude=0.5) for i in range(count)]
