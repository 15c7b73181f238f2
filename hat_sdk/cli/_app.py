"""The ``hat`` typer application: global options and the command table."""

from __future__ import annotations

from typing import Annotated

import typer

from hat_sdk.cli._cmd_auth import login, whoami
from hat_sdk.cli._cmd_models import models_app
from hat_sdk.cli._cmd_records import delete, get, post, sources
from hat_sdk.cli._cmd_transfer import export, import_
from hat_sdk.cli._settings import Settings

__all__ = ["app"]

app = typer.Typer(
    name="hat",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: re-wraps docstring paragraphs to the terminal and has no box drawing.
    rich_markup_mode=None,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    hat_url: Annotated[
        str | None,
        typer.Option(
            envvar="HAT_URL",
            help="The HAT, e.g. https://alice.hubat.net (default: https://<username>.hubat.net).",
        ),
    ] = None,
    username: Annotated[
        str | None, typer.Option(envvar="HAT_USERNAME", help="The HAT owner's username.")
    ] = None,
    app_id: Annotated[
        str | None,
        typer.Option(
            "--app", envvar="HAT_APP", help="Act as this application (token via the owner)."
        ),
    ] = None,
) -> None:
    """Work with the records of a HAT (Hub of All Things) personal data server.

    Log in once with `hat login --username NAME`; the password is kept in the system keyring.

    Exit codes: 0 ok, 1 failed, 2 bad input, 3 authentication, 4 HAT unreachable,
    5 duplicate data, 6 permission denied, 7 not found, 8 outcome unknown (run again).
    """
    ctx.obj = Settings(hat_url=hat_url, username=username, app=app_id)


def _sandbox(ctx: typer.Context) -> None:
    """Run a local sandbox HAT (options as for `hat-sandbox --help`; needs the `sandbox` extra)."""
    from hat_sdk.sandbox.__main__ import main

    raise typer.Exit(main(ctx.args))


app.command()(login)
app.command()(whoami)
app.command()(get)
app.command()(post)
app.command()(delete)
app.command()(sources)
app.command()(export)
app.command("import")(import_)
app.add_typer(models_app)
app.command(
    "sandbox",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(_sandbox)
