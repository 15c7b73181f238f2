"""``hat login`` and ``hat whoami``."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import keyring
import typer
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, keyring_service
from hat_sdk.cli._exit import CliInputError, reporting_errors
from hat_sdk.cli._settings import settings_of

__all__ = ["login", "whoami"]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True)
    if not password:
        raise CliInputError("the password is empty")
    return password


def login(
    ctx: typer.Context,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the password from the first line of stdin (scripts)."
        ),
    ] = False,
) -> None:
    """Check the owner's password with the HAT and store it in the system keyring.

    The password is asked for without echo and never written to a file; later commands find
    it in the keyring under the service `hat-sdk:<hat host>`.
    """
    settings = settings_of(ctx)
    with reporting_errors():
        username = settings.require_username()
        password = _read_password(password_stdin)
        token = ApiOwnerToken(SimpleCredential(username, password), hat_url=settings.hat_url)
        token.access_token()  # logs in: proves the password before it is stored
        service = keyring_service(token.hat_url)
        keyring.set_password(service, username, password)
    typer.echo(
        f"Logged in to {token.hat_url} as {username}; "
        f"password stored in the system keyring (service {service})."
    )


def whoami(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the claims as JSON.")] = False,
) -> None:
    """Show who the command line acts as: the verified claims of its token."""
    settings = settings_of(ctx)
    with reporting_errors():
        token = settings.token()
        token.access_token()
        claims = token.claims
    assert claims is not None  # set by the successful login above
    # jti/sub identify the session; they are of no use here and better not shown.
    shown = claims.model_dump(mode="json", by_alias=True, exclude={"jti", "sub"})
    shown = {"hat": token.hat_url, **shown, "expiresAt": claims.expires_at.isoformat()}
    if as_json:
        typer.echo(json.dumps(shown, indent=2))
        return
    for key, value in shown.items():
        typer.echo(f"{key}: {value}")
