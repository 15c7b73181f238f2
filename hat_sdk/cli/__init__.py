"""The ``hat`` command line: log in, read, write, export and import records, generate models.

Needs the ``cli`` extra (``pip install "hat-sdk[cli]"``: typer and rich). Run ``hat --help``.
"""

try:
    import rich  # noqa: F401
    import typer  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        'The hat command line needs the `cli` extra: pip install "hat-sdk[cli]"'
    ) from exc

from hat_sdk.cli._app import app

__all__ = ["app"]
