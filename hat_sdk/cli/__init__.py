"""The ``hat`` command line: log in, read, write, export and import records, generate models.

Needs the ``cli`` extra (``pip install "hat-sdk[cli]"``: typer and rich). Run ``hat --help``.
This module imports neither, so the ``hat`` entry point can say which extra is missing.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from hat_sdk._extras import MissingExtraError, require_extra

if TYPE_CHECKING:
    from hat_sdk.cli._app import app as app

__all__ = ["app", "main"]


def main() -> None:
    """The ``hat`` entry point: run the command line, or say which extra to install."""
    try:
        require_extra("cli", "The hat command line")
    except MissingExtraError as exc:
        sys.exit(f"hat: {exc}")
    from hat_sdk.cli._app import app

    app(prog_name="hat")


def __getattr__(name: str) -> Any:
    if name == "app":
        require_extra("cli", "The hat command line")
        from hat_sdk.cli._app import app

        return app
    raise AttributeError(f"module 'hat_sdk.cli' has no attribute {name!r}")
