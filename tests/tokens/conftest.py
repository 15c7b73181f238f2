"""Fixtures for the token tests: an in-memory keyring, a clean public-key cache, credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken
from hat_sdk._auth.jwt import PUBLIC_KEYS
from hat_sdk.sandbox import Sandbox

VALIDATE = "/users/access_token/validate"
LOGIN = "/users/access_token"


@pytest.fixture(autouse=True)
def _forget_public_keys() -> Iterator[None]:
    """Each test starts with no cached HAT public key (sandboxes have fresh keys)."""
    PUBLIC_KEYS.clear()
    yield
    PUBLIC_KEYS.clear()


def owner_token(
    sandbox: Sandbox, *, login_backoff: float = 2.0, login_max_wait: float = 30.0
) -> ApiOwnerToken:
    """An owner token for the sandbox's default owner."""
    return ApiOwnerToken(
        SimpleCredential(sandbox.owner, sandbox.password),
        hat_url=sandbox.url,
        login_backoff=login_backoff,
        login_max_wait=login_max_wait,
    )


def count(sandbox: Sandbox, path: str, status: int | None = None) -> int:
    """How many requests to ``path`` (with ``status``, if given) the sandbox served."""
    return sum(
        1
        for entry in sandbox.request_log
        if entry.path == path and (status is None or entry.status == status)
    )
