"""The global options of ``hat`` and the tokens and clients built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import typer

from hat_sdk import ApiOwnerToken, AppToken, HatClient, HatToken
from hat_sdk._client import DEFAULT_TIMEOUT
from hat_sdk._env import owner_token
from hat_sdk._validation import check_namespace, endpoint_path
from hat_sdk._version import USER_AGENT
from hat_sdk.cli._exit import CliInputError

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

    def __repr__(self) -> str:  # never show the password
        return f"Settings(hat_url={self.hat_url!r}, username={self.username!r}, app={self.app!r})"

    def require_username(self) -> str:
        """The owner's username, or an error that says how to give it."""
        if not self.username:
            raise CliInputError(
                "no HAT username: pass --username NAME or set HAT_USERNAME (and run `hat login`, "
                "or set HAT_PASSWORD)"
            )
        return self.username

    def owner_token(self) -> ApiOwnerToken:
        """The owner's token: with the given password, else the keyring's (``hat login``)."""
        return owner_token(self.require_username(), hat_url=self.hat_url, password=self.password)

    def token(self) -> HatToken[Any]:
        """The application's token when ``--app`` is given, else the owner's."""
        owner = self.owner_token()
        return AppToken(owner, self.app) if self.app else owner

    def client(self, namespace: str) -> HatClient:
        """A client for the records of ``namespace``."""
        return HatClient(self.token(), namespace)


def http_client() -> httpx.Client:
    """An HTTP client for the command's own requests (logins, sources), as hat-sdk's agent."""
    return httpx.Client(timeout=DEFAULT_TIMEOUT, headers={"User-Agent": USER_AGENT})


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the ``hat`` callback stored on the click context."""
    settings = ctx.find_object(Settings)
    if settings is None:  # pragma: no cover - the callback always runs first
        raise RuntimeError("hat: global options were not parsed")
    return settings


def split_endpoint(value: str) -> tuple[str, str]:
    """``"namespace/endpoint"`` -> ``(namespace, endpoint)``, both checked."""
    namespace, slash, endpoint = value.partition("/")
    if not slash or not endpoint:
        raise CliInputError(
            f"{value!r} is not NAMESPACE/ENDPOINT: name both, e.g. 'my-app/locations'"
        )
    return endpoint_path(check_namespace(namespace), endpoint)
