"""``hat login``, ``hat logout`` and ``hat whoami``.

keyring and the SDK's tokens are imported in the commands that use them: ``hat --help`` imports
this module, and starts faster without them.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from hat_sdk.cli._exit import CliInputError, ExitCode, fail, reporting_errors
from hat_sdk.cli._settings import Settings, http_client, settings_of

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = ["login", "logout", "whoami"]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True)
    if not password:
        raise CliInputError("the password is empty")
    return password


def _backend_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _where_stored(backend: KeyringBackend, service: str) -> str:
    """Where the backend keeps passwords, in words a user can check (never 'safe' if not)."""
    name = _backend_name(backend)
    path = getattr(backend, "file_path", None)
    if path is None:
        return f"the keyring backend {name} (service {service})"
    unencrypted = "plaintext" in type(backend).__name__.lower()
    warning = " NOT encrypted: anyone who can read that file can read it" if unencrypted else ""
    return f"the file {path} by keyring backend {name} (service {service});{warning}"


def _usable_keyring(service: str, username: str) -> KeyringBackend:
    """The keyring backend, if it can be read at all; else the advice for keyring-less hosts."""
    import keyring  # on use (see the module docstring)
    from keyring.errors import KeyringError

    backend = keyring.get_keyring()
    try:
        backend.get_password(service, username)
    except KeyringError as exc:
        raise fail(
            f"no usable keyring to store the password in ({type(exc).__name__}: {exc})",
            ExitCode.AUTH,
            "`hat login` only stores the password in a keyring; without one, skip it and give"
            " the password to each command instead: set HAT_PASSWORD, or pipe it with"
            " `hat --password-stdin COMMAND ...`; or install a keyring backend.",
        ) from None
    return backend


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

    The password is asked for without echo (or read from HAT_PASSWORD / stdin) and kept by the
    keyring backend under the service `hat-sdk:<hat host>`. Where no keyring works, skip
    `hat login`: give HAT_PASSWORD or --password-stdin to each command instead.
    """
    from hat_sdk import keyring_service  # on use (see the module docstring)

    settings = settings_of(ctx)
    with reporting_errors():
        username = settings.require_username()
        service = keyring_service(settings.resolved_hat_url())
        backend = _usable_keyring(service, username)  # before asking: no password wasted
        password = settings.password or _read_password(password_stdin)
        token = Settings(settings.hat_url, username, None, password).owner_token()
        with http_client() as http:
            token.access_token(http)  # logs in: proves the password before it is stored
        backend.set_password(service, username, password)
    typer.echo(
        f"Logged in to {token.hat_url} as {username}; password stored in "
        f"{_where_stored(backend, service)}."
    )


def logout(ctx: typer.Context) -> None:
    """Forget the owner's password stored by `hat login` (removes it from the keyring)."""
    import keyring  # on use (see the module docstring)
    from keyring.errors import PasswordDeleteError

    from hat_sdk import keyring_service

    settings = settings_of(ctx)
    with reporting_errors():
        username = settings.require_username()
        service = keyring_service(settings.resolved_hat_url())
        try:
            keyring.delete_password(service, username)
        except PasswordDeleteError:
            typer.echo(f"No password of {username} is stored for {service}; nothing to forget.")
            return
    typer.echo(f"Forgot the password of {username} (service {service}).")


def whoami(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the claims as JSON.")] = False,
) -> None:
    """Show who the command line acts as: the HAT, the user, the application and the token's
    verified claims."""
    from hat_sdk import AppToken  # on use (see the module docstring)

    settings = settings_of(ctx)
    with reporting_errors():
        token = settings.token()
        with http_client() as http:
            token.access_token(http)
        claims = token.claims
    assert claims is not None  # set by the successful login above
    # jti/sub identify the session; they are of no use here and better not shown.
    shown: dict[str, object] = {"hat": token.hat_url, "user": settings.username}
    if isinstance(token, AppToken):
        shown["application"] = token.application_id
    shown.update(claims.model_dump(mode="json", by_alias=True, exclude={"jti", "sub"}))
    shown["expiresAt"] = claims.expires_at.isoformat()
    if as_json:
        typer.echo(json.dumps(shown, indent=2))
        return
    for key, value in shown.items():
        typer.echo(f"{key}: {value}")
