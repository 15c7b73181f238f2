"""``python -m hat_sdk.cli``: the same as the ``hat`` command."""

from hat_sdk.cli._app import app

app(prog_name="hat")
