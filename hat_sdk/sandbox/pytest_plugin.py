"""pytest plugin (auto-registered via the ``pytest11`` entry point): sandbox fixtures.

``hat_sandbox`` is a fresh default sandbox; ``hat_sandbox_factory`` starts sandboxes with any
arguments. A test needing two HATs adds one to a sandbox (``hat_sandbox.add_hat("localhost")``,
the same server on ``http://localhost:PORT``) or starts a second sandbox from the factory.

Loaded for every pytest run of anyone who installs hat-sdk, so it imports nothing heavy at
module level; the sandbox (and Starlette) load only when a test requests a fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, Protocol

import pytest

if TYPE_CHECKING:
    from hat_sdk.sandbox import Sandbox


class SandboxFactory(Protocol):
    """Starts a ``Sandbox`` with the given keyword arguments."""

    def __call__(self, **options: Any) -> Sandbox:
        """A started sandbox, stopped when the test ends."""
        ...


@pytest.fixture
def hat_sandbox_factory() -> Iterator[SandboxFactory]:
    """Starts sandboxes (``Sandbox(**options)``) on demand; all are stopped after the test."""
    from hat_sdk._extras import MissingExtraError
    from hat_sdk.sandbox import Sandbox

    with ExitStack() as running:

        def start(**options: Any) -> Sandbox:
            try:
                sandbox = Sandbox(**options)
            except MissingExtraError as exc:
                pytest.fail(f"hat_sandbox: {exc}", pytrace=False)
            sandbox.start()
            running.callback(sandbox.stop)
            return sandbox

        yield start


@pytest.fixture
def hat_sandbox(hat_sandbox_factory: SandboxFactory) -> Sandbox:
    """A freshly started sandbox HAT (default owner and app), stopped after the test."""
    return hat_sandbox_factory()
