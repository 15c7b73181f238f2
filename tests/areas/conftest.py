"""Fixtures of the area tests: an owner-token client in sync and in async mode.

Each test is written once, as an async test taking ``hat`` (parametrised: a ``HatClient``
and an ``AsyncHatClient``); ``done(...)`` turns either mode's result into the value.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeAlias, TypeVar

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AsyncHatClient, HatClient, HatModel
from hat_sdk.sandbox import Sandbox

T = TypeVar("T")
NAMESPACE = "sandbox-app"


AnyClient: TypeAlias = HatClient | AsyncHatClient


async def done(result: T | Awaitable[T]) -> T:
    """The value of a sync call, or of an async call once awaited."""
    if inspect.isawaitable(result):
        return await result
    return result


async def raises(error: type[BaseException], call: Callable[[], Any]) -> pytest.ExceptionInfo[Any]:
    """Assert that ``call()`` (sync, or returning an awaitable) raises ``error``."""
    with pytest.raises(error) as caught:
        await done(call())
    return caught


class Note(HatModel):
    """A notables-like record."""

    message: str
    created_time: str | None = None


class Reading(HatModel):
    """A numeric record for filters."""

    value: float
    label: str = ""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def owner(hat_sandbox: Sandbox) -> ApiOwnerToken:
    token = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=hat_sandbox.url)
    token.access_token()
    return token


Store: TypeAlias = Callable[[str, list[Any]], list[str]]


@pytest.fixture
def store(hat_sandbox: Sandbox, owner: ApiOwnerToken) -> Store:
    """Store records (data items) at ``"namespace/endpoint"`` with the owner token; returns
    their record ids (for endpoints outside the clients' namespace)."""

    def post(endpoint: str, items: list[Any]) -> list[str]:
        response = httpx.post(
            f"{hat_sandbox.url}/api/v2.6/data/{endpoint}",
            json=items,
            headers={"X-Auth-Token": owner.access_token()},
        )
        assert response.status_code == 201, response.text
        return [record["recordId"] for record in response.json()]

    return post


@pytest.fixture(params=["sync", "async"])
async def hat(request: pytest.FixtureRequest, owner: ApiOwnerToken) -> AsyncIterator[AnyClient]:
    """An owner-token client (sync, then async) on the sandbox."""
    if request.param == "sync":
        with HatClient(owner, NAMESPACE, retry_backoff=0.001) as client:
            yield client
    else:
        async with AsyncHatClient(owner, NAMESPACE, retry_backoff=0.001) as aclient:
            yield aclient
