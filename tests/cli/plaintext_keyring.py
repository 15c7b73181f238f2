"""A keyring backend for ``hat`` subprocesses: JSON in the file named by ``HAT_TEST_KEYRING``.

Plain text on purpose: like ``keyrings.alt``'s PlaintextKeyring it has a ``file_path``, so the
tests can check that ``hat login`` says where the password really is. Selected with
``PYTHON_KEYRING_BACKEND=tests.cli.plaintext_keyring.PlaintextTestKeyring``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class PlaintextTestKeyring(KeyringBackend):
    priority = 1

    @property
    def file_path(self) -> Path:
        return Path(os.environ["HAT_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        try:
            stored: dict[str, str] = json.loads(self.file_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return stored

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service} {username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        stored = self._load()
        stored[f"{service} {username}"] = password
        self.file_path.write_text(json.dumps(stored), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        stored = self._load()
        if stored.pop(f"{service} {username}", None) is None:
            raise PasswordDeleteError("not stored")
        self.file_path.write_text(json.dumps(stored), encoding="utf-8")
