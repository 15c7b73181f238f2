"""A user script of the token API; `mypy tests` checks it type-checks under --strict (not run)."""

from __future__ import annotations

from datetime import datetime
from typing import assert_type

import httpx
from keyring.credentials import SimpleCredential

from hat_sdk import (
    ApiOwnerToken,
    AppClaims,
    AppToken,
    HatError,
    OwnerClaims,
    WebOwnerToken,
    WrongCredentialsError,
    error_from_response,
    web_login_url,
)


def owner_usage() -> None:
    owner = ApiOwnerToken(SimpleCredential("alice", "secret"))
    local = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url="http://127.0.0.1:8080")
    from_keyring = ApiOwnerToken("alice")
    assert_type(owner.hat_url, str)
    assert_type(local.claims, OwnerClaims | None)
    assert_type(from_keyring.expires_at, datetime | None)
    assert_type(owner.username, str)
    try:
        assert_type(owner.access_token(), str)
    except WrongCredentialsError as error:
        assert_type(error.status_code, int | None)
    with httpx.Client(base_url=owner.hat_url, auth=owner) as client:
        client.get("/users/access_token/validate")


async def app_usage() -> None:
    app = AppToken(ApiOwnerToken(SimpleCredential("alice", "secret")), "my-app-id")
    assert_type(app.claims, AppClaims | None)
    assert_type(await app.aaccess_token(), str)
    async with httpx.AsyncClient(base_url=app.hat_url, auth=app) as client:
        response = await client.get("/users/access_token/validate")
        if response.is_error:
            raise error_from_response(response, operation="get")


def web_usage(token_from_redirect: str) -> None:
    url = web_login_url("https://alice.hubat.net", "my-app-id", "https://my.app/callback")
    assert_type(url, str)
    web = WebOwnerToken(token_from_redirect)
    explicit = WebOwnerToken(token_from_redirect, hat_url="http://127.0.0.1:8080")
    assert_type(web.claims, OwnerClaims | AppClaims | None)
    assert_type(AppToken(explicit, "my-app-id"), AppToken)
    error: HatError = error_from_response(httpx.Response(500), operation="get")
    assert_type(error.message, str | None)
