"""The global options of ``hat`` and the tokens and clients built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import typer

from hat_sdk import ApiOwnerToken, AppToken, HatClient, HatToken
from hat_sdk._core.validation import check_namespace, endpoint_path
from hat_sdk.cli._exit import CliInputError

__all__ = ["Settings", "settings_of", "split_endpoint"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Which HAT, which owner and (optionally) which application the command acts as."""

    hat_url: str | None
    username: str | None
    app: str | None

    def require_username(self) -> str:
        """The owner's username, or an error that says how to give it."""
        if not self.username:
            raise CliInputError(
                "no HAT username: pass --username NAME or set HAT_USERNAME (and run `hat login`)"
            )
        return self.username

    def owner_token(self) -> ApiOwnerToken:
        """The owner's token; the password comes from the system keyring (``hat login``)."""
        return ApiOwnerToken(self.require_username(), hat_url=self.hat_url)

    def token(self) -> HatToken[Any]:
        """The application's token when ``--app`` is given, else the owner's."""
        owner = self.owner_token()
        return AppToken(owner, self.app) if self.app else owner

    def client(self, namespace: str) -> HatClient:
        """A client for the records of ``namespace``."""
        return HatClient(self.token(), namespace)


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
