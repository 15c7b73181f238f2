"""Credentials and settings from the environment: ``HAT_URL``, ``HAT_USERNAME``, ``HAT_PASSWORD``
and ``HAT_APP``, read the same way by the library (a client given no token) and the ``hat`` CLI.

The owner logs in with ``HAT_USERNAME`` and ``HAT_PASSWORD``; without ``HAT_PASSWORD`` the
password comes from the system keyring (service ``hat-sdk:<hat host>``). With ``HAT_APP`` the
owner's token is exchanged for that application's token.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hat_sdk.errors import MissingCredentialsError

if TYPE_CHECKING:
    from hat_sdk._auth.tokens import ApiOwnerToken, AppToken

__all__ = ["HatEnv", "owner_token", "token_from_env"]


@dataclass(frozen=True, slots=True)
class HatEnv:
    """The ``HAT_*`` variables; an empty variable counts as unset."""

    hat_url: str | None = None
    username: str | None = None
    password: str | None = None
    app: str | None = None

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> HatEnv:
        """The variables of ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        return cls(
            hat_url=env.get("HAT_URL") or None,
            username=env.get("HAT_USERNAME") or None,
            password=env.get("HAT_PASSWORD") or None,
            app=env.get("HAT_APP") or None,
        )

    def __repr__(self) -> str:  # the password is never shown
        shown = "<hidden>" if self.password else None
        return (
            f"HatEnv(hat_url={self.hat_url!r}, username={self.username!r}, "
            f"password={shown!r}, app={self.app!r})"
        )


def owner_token(
    username: str, *, hat_url: str | None = None, password: str | None = None
) -> ApiOwnerToken:
    """The owner's token: with ``password`` when given, else the keyring's password."""
    # Imported on use: `hat --help` reads HatEnv, and the tokens bring httpx and pydantic.
    from hat_sdk._auth.tokens import ApiOwnerToken

    if password is None:
        return ApiOwnerToken(username, hat_url=hat_url)
    from keyring.credentials import SimpleCredential

    return ApiOwnerToken(SimpleCredential(username, password), hat_url=hat_url)


def token_from_env(environ: Mapping[str, str] | None = None) -> ApiOwnerToken | AppToken:
    """The token the ``HAT_*`` variables describe (nothing is sent until it is first used).

    Raises:
        MissingCredentialsError: ``HAT_USERNAME`` is not set.
    """
    env = HatEnv.read(environ)
    if env.username is None:
        raise MissingCredentialsError(
            "HAT_USERNAME is not set. Set HAT_USERNAME (and HAT_URL, default "
            "https://<username>.hubat.net), with HAT_PASSWORD or a password in the keyring."
        )
    from hat_sdk._auth.tokens import AppToken  # on use, as in owner_token

    owner = owner_token(env.username, hat_url=env.hat_url, password=env.password)
    return AppToken(owner, env.app) if env.app else owner
