"""A keyring backend for ``hat`` child processes: the password comes from ``HAT_TEST_PASSWORD``.

Selected with ``PYTHON_KEYRING_BACKEND=tests.cli._env_keyring.EnvKeyring``; never the system
keyring.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend
from keyring.errors import PasswordSetError


class EnvKeyring(KeyringBackend):
    """Answers every lookup with ``$HAT_TEST_PASSWORD``; stores nothing."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        del service, username  # one password for every HAT and user
        return os.environ.get("HAT_TEST_PASSWORD")

    def set_password(self, service: str, username: str, password: str) -> None:
        del service, username, password
        raise PasswordSetError("the test keyring stores nothing")

    def delete_password(self, service: str, username: str) -> None:
        del service, username
        raise PasswordSetError("the test keyring stores nothing")
