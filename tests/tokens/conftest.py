"""Fixtures for the token tests: an in-memory keyring, a clean public-key cache, credentials."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken
from hat_sdk._jwt import PUBLIC_KEYS
from hat_sdk.sandbox import Sandbox

VALIDATE = "/users/access_token/validate"
LOGIN = "/users/access_token"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict (never the system keyring)."""

    priority = 1

    def __init__(self) -> None:  # not calling super().__init__ keeps mypy --strict quiet
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring backend set to a fresh in-memory one for the test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


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
