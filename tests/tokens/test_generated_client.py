"""The same token object plugs into the generated low-level client, sync and async."""

from __future__ import annotations

import asyncio

from hat_sdk import AppToken
from hat_sdk._generated.client.api.auth import validate_token
from hat_sdk._generated.client.client import AuthenticatedClient
from hat_sdk.sandbox import Sandbox
from tests.tokens.conftest import LOGIN, count, owner_token


def _generated_client(sandbox: Sandbox, token: AppToken) -> AuthenticatedClient:
    # The token's auth flow sets X-Auth-Token; the generated client's own header stays empty.
    return AuthenticatedClient(
        base_url=sandbox.url,
        token="",
        prefix="",
        auth_header_name="X-Auth-Token",
        httpx_args={"auth": token},
    )


def test_generated_client_sync_and_async(hat_sandbox: Sandbox) -> None:
    token = AppToken(owner_token(hat_sandbox), "sandbox-app")
    client = _generated_client(hat_sandbox, token)

    assert validate_token.sync_detailed(client=client).status_code == 200
    response = asyncio.run(validate_token.asyncio_detailed(client=client))

    assert response.status_code == 200
    assert count(hat_sandbox, LOGIN) == 1
    assert token.claims is not None
