"""Exit codes of ``hat``, the translation of SDK errors into a message plus advice, and the
wording of counts in messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum

import typer

from hat_sdk._extras import MissingExtraError
from hat_sdk.errors import (
    AuthError,
    DuplicateDataError,
    HatConnectionError,
    HatError,
    HatNotFoundError,
    InvalidInputError,
    LimitedTokenScopeError,
    MissingCredentialsError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    RecordNotFoundError,
    ResponseFormatError,
    WrongCredentialsError,
    WrongTokenError,
)

__all__ = [
    "NO_KEYRING_ADVICE",
    "CliAuthError",
    "CliInputError",
    "ExitCode",
    "fail",
    "reporting_errors",
]


class ExitCode(IntEnum):
    """Process exit status of ``hat``: one value per kind of failure a script may handle."""

    OK = 0
    FAILED = 1  #: the HAT refused or failed the request for another reason
    BAD_INPUT = 2  #: bad arguments, files or data (also click's usage errors)
    AUTH = 3  #: wrong or missing password, expired login, untrusted token
    UNREACHABLE = 4  #: no HAT at the URL, or the network failed
    DUPLICATE = 5  #: the HAT already stores identical data
    PERMISSION = 6  #: the token may not do this (role or namespace missing)
    NOT_FOUND = 7  #: records to read or delete do not exist
    UNCERTAIN = 8  #: a write may or may not have happened (connection lost)
    INTERRUPTED = 130  #: stopped by Ctrl-C (128 + SIGINT, as shells report it)


#: What to do where no keyring backend works (servers, CI, containers).
NO_KEYRING_ADVICE = (
    "Without a keyring, give the password per command: set HAT_PASSWORD, or pipe it with "
    "`hat --password-stdin ...`; or install a keyring backend."
)


class CliInputError(Exception):
    """Input the command cannot use (a file, a line of it, an argument); the message says why."""


class CliAuthError(Exception):
    """The command has no credentials to act with; ``advice`` says how to give them."""

    def __init__(self, message: str, advice: str) -> None:
        super().__init__(message)
        self.advice = advice


# First match wins: specific classes before their bases.
_ADVICE: list[tuple[type[HatError], ExitCode, str]] = [
    (
        WrongCredentialsError,
        ExitCode.AUTH,
        "Give the right password (with `hat login`, HAT_PASSWORD or --password-stdin) and "
        "check --username / HAT_USERNAME.",
    ),
    (
        MissingCredentialsError,
        ExitCode.AUTH,
        "Run `hat login` first, for the same --hat-url and --username; where no keyring "
        "works, set HAT_PASSWORD or pass --password-stdin instead.",
    ),
    (HatNotFoundError, ExitCode.UNREACHABLE, "Check --hat-url / HAT_URL (and the username)."),
    (RateLimitedError, ExitCode.AUTH, "Wait a minute before logging in again."),
    (
        WrongTokenError,
        ExitCode.PERMISSION,
        "This token may not do that: use the owner login (omit --app / HAT_APP) or an app "
        "granted this namespace.",
    ),
    (
        LimitedTokenScopeError,
        ExitCode.PERMISSION,
        "This token's role does not allow it: use the owner login (omit --app / HAT_APP).",
    ),
    # Not about credentials, though the SDK classes them as authentication errors too.
    (
        ResponseFormatError,
        ExitCode.FAILED,
        "The answer did not have the shape hat-sdk expects: check that --hat-url / HAT_URL is a "
        "HAT, and that a record model matches the data stored at the endpoint.",
    ),
    (
        NotFoundError,
        ExitCode.NOT_FOUND,
        "Check the id; with --app / HAT_APP, that the application is installed on this HAT.",
    ),
    (AuthError, ExitCode.AUTH, "Run `hat login` again."),
    (
        DuplicateDataError,
        ExitCode.DUPLICATE,
        "Pass --skip-duplicates to store only the records the HAT does not have yet.",
    ),
    (RecordNotFoundError, ExitCode.NOT_FOUND, "Check the record ids with `hat get`."),
    (
        OutcomeUnknownError,
        ExitCode.UNCERTAIN,
        "Run the same command again: an import resumes from its checkpoint and skips what was "
        "stored; otherwise check with `hat get` before posting again.",
    ),
    (
        HatConnectionError,
        ExitCode.UNREACHABLE,
        "Check the network and --hat-url, then run the command again.",
    ),
]


def fail(message: str, code: ExitCode, advice: str | None = None) -> typer.Exit:
    """Print ``message`` (and ``advice``) to stderr; return the ``typer.Exit`` to raise."""
    # Imported on use: `hat --help` imports this module, and starts faster without rich.
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[bold red]Error:[/] {escape(message)}")
    if advice:
        console.print(f"[yellow]What to do:[/] {escape(advice)}")
    return typer.Exit(int(code))


#: Advice in SDK messages that names Python, as ``hat`` gives it.
_SHELL_WORDS = {
    "skip_duplicates=True": "--skip-duplicates",
    " (client.applications.list() lists those the HAT knows)": "",
    # hat offers no way to send a password over plain http to another machine.
    ", or pass allow_insecure_http=True if you accept that.": " (hat sends plain http only to"
    " this machine).",
}


def _in_shell_words(message: str) -> str:
    """An SDK message with its Python advice as ``hat`` words it."""
    for python, shell in _SHELL_WORDS.items():
        message = message.replace(python, shell)
    return message


def _for_hat_error(exc: HatError) -> typer.Exit:
    if type(exc) is AuthError and exc.status_code == 404:
        # The HAT answered "not found" to the request for an application's token.
        return fail(
            str(exc),
            ExitCode.NOT_FOUND,
            "Check the application id (--app / HAT_APP): the HAT has no such application.",
        )
    message = _in_shell_words(str(exc))
    for cls, code, advice in _ADVICE:
        if isinstance(exc, cls):
            return fail(message, code, advice)
    return fail(message, ExitCode.FAILED)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn the errors a command can meet into a clear message and its exit code."""
    # Imported on use: `hat --help` imports this module, and starts faster without keyring.
    from keyring.errors import KeyringError

    try:
        yield
    except KeyboardInterrupt:
        raise fail("interrupted", ExitCode.INTERRUPTED, "Run the command again.") from None
    except MissingExtraError as exc:
        raise fail(str(exc), ExitCode.FAILED) from None
    except InvalidInputError as exc:
        raise fail(_in_shell_words(exc.summary), ExitCode.BAD_INPUT) from None
    except HatError as exc:
        raise _for_hat_error(exc) from None
    except CliAuthError as exc:
        raise fail(str(exc), ExitCode.AUTH, exc.advice) from None
    except CliInputError as exc:
        raise fail(str(exc), ExitCode.BAD_INPUT) from None
    except json.JSONDecodeError as exc:
        raise fail(f"invalid JSON: {exc}", ExitCode.BAD_INPUT) from None
    except KeyringError as exc:
        raise fail(
            f"the system keyring is not usable ({type(exc).__name__}: {exc})",
            ExitCode.AUTH,
            NO_KEYRING_ADVICE,
        ) from None
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        raise fail(f"{exc.strerror or exc}{where}", ExitCode.BAD_INPUT) from None


def counted(count: int, noun: str = "record") -> str:
    """``"1 record"``, ``"2 records"``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
