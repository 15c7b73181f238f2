"""pytest plugin (auto-registered via the ``pytest11`` entry point): the ``hat_sandbox`` fixture.

Loaded for every pytest run of anyone who installs hat-sdk, so it imports nothing heavy at
module level; the sandbox (and Starlette) load only when a test requests the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hat_sdk.sandbox import Sandbox


@pytest.fixture
def hat_sandbox() -> Iterator[Sandbox]:
    """A freshly started sandbox HAT (default owner and app), stopped after the test."""
    from hat_sdk._extras import MissingExtraError
    from hat_sdk.sandbox import Sandbox

    try:
        sandbox = Sandbox()
    except MissingExtraError as exc:
        pytest.fail(f"hat_sandbox: {exc}", pytrace=False)
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()
