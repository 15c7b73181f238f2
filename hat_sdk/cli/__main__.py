"""``python -m hat_sdk.cli``: the same as the ``hat`` command."""

from hat_sdk.cli import main

main()
