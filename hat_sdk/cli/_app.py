"""The ``hat`` typer application: global options and the command table.

``hat --help`` imports this module and the command modules, so they import only typer and
hat-sdk's light modules at the top; the SDK's client and tokens, httpx, pydantic, keyring and
rich are imported inside the functions that use them (a test in tests/cli checks it).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from hat_sdk._env import HatEnv
from hat_sdk._logging import enable_logging, enable_logging_from_env
from hat_sdk._version import __version__
from hat_sdk.cli._cmd_auth import login, logout, whoami
from hat_sdk.cli._cmd_models import models_app
from hat_sdk.cli._cmd_records import delete, get, post, sources
from hat_sdk.cli._cmd_transfer import export, import_
from hat_sdk.cli._exit import CliInputError, reporting_errors
from hat_sdk.cli._settings import Settings

__all__ = ["app"]

app = typer.Typer(
    name="hat",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: re-wraps docstring paragraphs to the terminal and has no box drawing.
    rich_markup_mode=None,
    # Subcommands inherit the help option names from this group.
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"hat (hat-sdk) {__version__}")
        raise typer.Exit()


def _password_from_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliInputError("--password-stdin: the first line of stdin is empty")
    return password


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
    namespace: Annotated[
        str | None,
        typer.Option(
            envvar="HAT_NAMESPACE",
            help="Namespace of an ENDPOINT named without one (default: the --app id).",
        ),
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the owner's password from the first line of stdin (no keyring needed).",
        ),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="Log what hat-sdk does to stderr (-v: info, -vv: debug; or HAT_LOG=info|debug).",
        ),
    ] = 0,
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Work with the records of a HAT (Hub of All Things) personal data server.

    Log in once with `hat login --username NAME`; the password is kept in the system keyring.
    Without a keyring (servers, CI, containers) set HAT_PASSWORD or pass --password-stdin.

    Exit codes: 0 ok, 1 failed, 2 bad input, 3 authentication, 4 HAT unreachable,
    5 duplicate data, 6 permission denied, 7 not found, 8 outcome unknown (run again),
    130 interrupted.
    """
    enable_logging_from_env()
    if verbose:
        enable_logging("debug" if verbose > 1 else "info")
    password = HatEnv.read().password  # read as the library reads it (empty means unset)
    if password_stdin:
        with reporting_errors():
            password = _password_from_stdin()
    ctx.obj = Settings(
        hat_url=hat_url, username=username, app=app_id, password=password, namespace=namespace
    )


def _sandbox(ctx: typer.Context) -> None:
    """Run a local sandbox HAT (`hat sandbox --help`; needs the `sandbox` extra)."""
    from hat_sdk.sandbox.__main__ import main

    raise typer.Exit(main(ctx.args, prog="hat sandbox"))


app.command()(login)
app.command()(logout)
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
