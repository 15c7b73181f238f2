"""Fixtures for the ``hat`` tests: an in-memory keyring and a runner bound to a sandbox."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from hat_sdk.cli import app
from hat_sdk.sandbox import Sandbox
from tests.conftest import MemoryKeyring


@dataclass
class Hat:
    """Runs ``hat`` in-process against one sandbox, with HAT_URL/HAT_USERNAME set."""

    sandbox: Sandbox
    keyring: MemoryKeyring

    def __call__(self, *args: str, input: str | None = None, app_id: str | None = None) -> Result:
        env: dict[str, str | None] = {
            "HAT_URL": self.sandbox.url,
            "HAT_USERNAME": "sandbox",
            "HAT_APP": app_id or "",
            "HAT_NAMESPACE": None,
            "HAT_PASSWORD": None,  # the keyring, not the developer's environment
        }
        result = CliRunner().invoke(app, list(args), input=input, env=env)
        return Result(result.exit_code, result.stdout, result.stderr, result.exception)

    def login(self) -> None:
        """Store the sandbox owner's password as `hat login` would."""
        result = self("login", input="sandbox\n")
        assert result.code == 0, result.stderr


@dataclass
class Result:
    """What one ``hat`` invocation printed and returned."""

    code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    def lines(self) -> Sequence[str]:
        """Non-empty stdout lines."""
        return [line for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture
def hat(hat_sandbox: Sandbox, memory_keyring: MemoryKeyring) -> Hat:
    """A ``hat`` runner for a fresh sandbox and an empty in-memory keyring."""
    return Hat(hat_sandbox, memory_keyring)


def default_sigint() -> None:
    """``preexec_fn`` of a child that must react to Ctrl-C: a shell running CI in the background
    starts it with SIGINT ignored, which Python then keeps (no KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
