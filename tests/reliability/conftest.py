"""Fixtures of the reliability tests: a sandbox HAT, a logged-in app token, record models."""

from __future__ import annotations

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppToken, HatModel
from hat_sdk.sandbox import Sandbox

NAMESPACE = "sandbox-app"


class Note(HatModel):
    """A small record; ``serial`` keeps each one's data distinct (the HAT refuses duplicates)."""

    serial: int
    text: str


def notes(count: int, endpoint: str = "notes", start: int = 0) -> list[Note]:
    """``count`` distinct notes."""
    return [
        Note(endpoint=endpoint, serial=start + i, text=f"note {start + i}") for i in range(count)
    ]


def owner_token(sandbox: Sandbox) -> ApiOwnerToken:
    """The sandbox owner's token (not logged in yet)."""
    return ApiOwnerToken(SimpleCredential(sandbox.owner, sandbox.password), hat_url=sandbox.url)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def token(hat_sandbox: Sandbox) -> AppToken:
    """A logged-in application token (its logins are not in the tests' request counts)."""
    app = AppToken(owner_token(hat_sandbox), NAMESPACE)
    app.access_token()
    return app
