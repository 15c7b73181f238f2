"""The global options of ``hat`` and the tokens and clients built from them.

The ``hat`` callback builds ``Settings`` even for ``hat COMMAND --help``, so this module imports
the SDK's tokens and client, httpx and keyring only in the functions that use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from hat_sdk._env import owner_token
from hat_sdk._version import USER_AGENT
from hat_sdk.cli._exit import NO_KEYRING_ADVICE, CliAuthError, CliInputError

if TYPE_CHECKING:
    import httpx

    from hat_sdk import ApiOwnerToken, HatClient, HatToken

__all__ = ["Settings", "http_client", "settings_of", "split_endpoint"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Which HAT, which owner and (optionally) which application the command acts as.

    ``password`` comes from ``HAT_PASSWORD`` or ``--password-stdin``; without it the owner's
    password is read from the system keyring (``hat login`` stores it there).
    """

    hat_url: str | None
    username: str | None
    app: str | None
    password: str | None = None
    namespace: str | None = None

    def __repr__(self) -> str:  # never show the password
        return (
            f"Settings(hat_url={self.hat_url!r}, username={self.username!r}, app={self.app!r},"
            f" namespace={self.namespace!r})"
        )

    def endpoint(self, value: str) -> tuple[str, str]:
        """``NAMESPACE/ENDPOINT``, or ``ENDPOINT`` in the default namespace (``--namespace``,
        else the ``--app`` id), as ``(namespace, endpoint)``, both checked."""
        return split_endpoint(value, self.namespace or self.app)

    def require_username(self) -> str:
        """The owner's username, or an error that says how to give it."""
        if not self.username:
            raise CliInputError(
                "no HAT username: pass --username NAME or set HAT_USERNAME (and run `hat login`, "
                "or set HAT_PASSWORD)"
            )
        return self.username

    def resolved_hat_url(self) -> str:
        """The HAT's URL: ``--hat-url``, or the default for the username."""
        return owner_token(self.require_username(), hat_url=self.hat_url).hat_url

    def owner_token(self) -> ApiOwnerToken:
        """The owner's token: with the given password, else the keyring's (``hat login``)."""
        username = self.require_username()
        token = owner_token(username, hat_url=self.hat_url, password=self.password)
        if self.password is not None:
            return token
        return owner_token(username, hat_url=token.hat_url, password=_keyring_password(token))

    def token(self) -> HatToken[Any]:
        """The application's token when ``--app`` is given, else the owner's."""
        from hat_sdk import AppToken  # on use (see the module docstring)

        owner = self.owner_token()
        return AppToken(owner, self.app) if self.app else owner

    def client(self, namespace: str) -> HatClient:
        """A client for the records of ``namespace``."""
        from hat_sdk import HatClient  # on use (see the module docstring)

        return HatClient(self.token(), namespace)


def _keyring_password(token: ApiOwnerToken) -> str:
    """The password ``hat login`` stored, or advice fit for a shell (not for Python code)."""
    # On use (see the module docstring).
    import keyring
    from keyring.errors import KeyringError

    from hat_sdk import keyring_service

    service = keyring_service(token.hat_url)
    try:
        password = keyring.get_password(service, token.username)
    except KeyringError as exc:
        raise CliAuthError(
            f"no password given and no usable keyring to find one in ({type(exc).__name__})",
            NO_KEYRING_ADVICE,
        ) from None
    if password is None:
        raise CliAuthError(
            f"no password of {token.username} is stored for {service}",
            "Run `hat login` (for the same --hat-url and --username), or set HAT_PASSWORD, or "
            "pass --password-stdin.",
        )
    return password


def _identify(request: httpx.Request) -> None:
    # Requests a token builds itself (login, application token, public key) are sent as built,
    # without the client's default headers; a hook sees every request.
    request.headers.setdefault("User-Agent", USER_AGENT)


def http_client() -> httpx.Client:
    """An HTTP client for the command's own requests (logins, sources), as hat-sdk's agent."""
    # On use (see the module docstring).
    import httpx

    from hat_sdk._client import DEFAULT_TIMEOUT
    from hat_sdk._core.deadline import with_deadlines

    return with_deadlines(
        httpx.Client(
            timeout=DEFAULT_TIMEOUT,
            headers={"User-Agent": USER_AGENT},
            event_hooks={"request": [_identify]},
        )
    )


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the ``hat`` callback stored on the click context."""
    settings = ctx.find_object(Settings)
    if settings is None:  # pragma: no cover - the callback always runs first
        raise RuntimeError("hat: global options were not parsed")
    return settings


def split_endpoint(value: str, default_namespace: str | None = None) -> tuple[str, str]:
    """``"namespace/endpoint"`` -> ``(namespace, endpoint)``, both checked; a value without a
    slash is an endpoint of ``default_namespace`` when there is one."""
    # On use (see the module docstring): the validation loads pydantic.
    from hat_sdk._records.validation import check_namespace, endpoint_path

    namespace, slash, endpoint = value.partition("/")
    if not slash and default_namespace and namespace:
        namespace, endpoint = default_namespace, value
    elif not slash or not endpoint:
        raise CliInputError(
            f"{value!r} is not NAMESPACE/ENDPOINT: name both, e.g. 'my-app/locations'"
            " (or set --namespace / HAT_NAMESPACE to name endpoints alone)"
        )
    return endpoint_path(check_namespace(namespace), endpoint)
