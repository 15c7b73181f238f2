"""Suite-wide fixtures, and a guard: a run in which no test passed is a failure."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if (
        exitstatus == pytest.ExitCode.OK
        and reporter is not None
        and not reporter.stats.get("passed")
    ):
        # e.g. everything skipped because a dependency or ../shared was missing
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


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
