"""Sliding refresh, renewal of aged tokens, 401 retry and single-flight renewal under load."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppToken, LoginRequiredError, WebOwnerToken
from hat_sdk.sandbox import Sandbox
from tests.tokens._forge import owner_claims, private_key, public_pem, rs256
from tests.tokens.conftest import LOGIN, VALIDATE, count, owner_token

HOST = "127.0.0.1:9"

APP_TOKEN = "/api/v2.6/applications/sandbox-app/access-token"
ALMOST_IDLE = timedelta(days=3) - timedelta(minutes=30)
"""Server clock this far behind at login leaves the token 30 minutes: inside the renewal margin."""


def test_refreshed_response_header_replaces_the_token(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    with httpx.Client(base_url=hat_sandbox.url, auth=token) as client:
        client.get(VALIDATE)
        first = token.claims
        hat_sandbox.knobs.clock_offset = timedelta(hours=2)  # refreshed iat is 2 h later
        response = client.get(VALIDATE)
    assert response.status_code == 200
    assert response.headers["X-Auth-Token"] == token.access_token()
    second = token.claims
    assert first is not None
    assert second is not None
    assert second.jti == first.jti
    assert second.iat - first.iat >= timedelta(hours=2)
    assert count(hat_sandbox, LOGIN) == 1


def test_token_aged_past_the_idle_limit_is_renewed_after_a_401(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    with httpx.Client(base_url=hat_sandbox.url, auth=token) as client:
        assert client.get(VALIDATE).status_code == 200
        hat_sandbox.knobs.clock_offset = timedelta(days=4)
        hat_sandbox.clear_request_log()
        response = client.get(VALIDATE)
    assert response.status_code == 200
    assert [(entry.path, entry.status) for entry in hat_sandbox.request_log] == [
        (VALIDATE, 401),
        (LOGIN, 200),
        (VALIDATE, 200),
    ]


def test_a_persistent_401_is_retried_only_once() -> None:
    key = private_key("hat")
    served: list[str] = []

    def hat_that_rejects_every_token(request: httpx.Request) -> httpx.Response:
        served.append(request.url.path)
        if request.url.path == "/publickey":
            return httpx.Response(200, text=public_pem(key))
        if request.url.path == LOGIN:
            return httpx.Response(200, json={"accessToken": rs256(owner_claims(HOST), key)})
        return httpx.Response(
            401, json={"error": "Not Authenticated", "message": "Not Authenticated"}
        )

    token = ApiOwnerToken(SimpleCredential("alice", "pw"), hat_url=f"http://{HOST}")
    transport = httpx.MockTransport(hat_that_rejects_every_token)
    with httpx.Client(base_url=f"http://{HOST}", auth=token, transport=transport) as client:
        response = client.get(VALIDATE)
    assert response.status_code == 401
    assert served == [LOGIN, "/publickey", VALIDATE, LOGIN, VALIDATE]


def test_token_near_expiry_is_renewed_before_use(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    hat_sandbox.knobs.clock_offset = -ALMOST_IDLE
    token.access_token()
    hat_sandbox.knobs.clock_offset = timedelta(0)
    hat_sandbox.clear_request_log()
    with httpx.Client(base_url=hat_sandbox.url, auth=token) as client:
        assert client.get(VALIDATE).status_code == 200
    assert [(entry.path, entry.status) for entry in hat_sandbox.request_log] == [
        (LOGIN, 200),
        (VALIDATE, 200),
    ]


def test_aged_app_token_renews_itself_and_its_owner(hat_sandbox: Sandbox) -> None:
    app = AppToken(owner_token(hat_sandbox), "sandbox-app")
    with httpx.Client(base_url=hat_sandbox.url, auth=app) as client:
        assert client.get(VALIDATE).status_code == 200
        hat_sandbox.knobs.clock_offset = timedelta(days=4)
        hat_sandbox.clear_request_log()
        assert client.get(VALIDATE).status_code == 200
    assert [(entry.path, entry.status) for entry in hat_sandbox.request_log] == [
        (VALIDATE, 401),
        (APP_TOKEN, 401),
        (LOGIN, 200),
        (APP_TOKEN, 200),
        (VALIDATE, 200),
    ]


def test_50_threads_sharing_a_stale_token_renew_it_once(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    hat_sandbox.knobs.clock_offset = -ALMOST_IDLE
    token.access_token()
    hat_sandbox.knobs.clock_offset = timedelta(0)
    hat_sandbox.clear_request_log()

    with (
        httpx.Client(base_url=hat_sandbox.url, auth=token) as client,
        ThreadPoolExecutor(max_workers=50) as pool,
    ):
        statuses = list(pool.map(lambda _: client.get(VALIDATE).status_code, range(50)))

    assert statuses == [200] * 50
    assert count(hat_sandbox, LOGIN) == 1
    assert len(hat_sandbox.request_log) == 51


async def _validate_concurrently(url: str, token: httpx.Auth, calls: int) -> list[int]:
    limits = httpx.Limits(max_connections=calls)
    async with httpx.AsyncClient(base_url=url, auth=token, limits=limits, timeout=60) as client:
        responses = await asyncio.gather(*(client.get(VALIDATE) for _ in range(calls)))
    return [response.status_code for response in responses]


def test_200_tasks_sharing_a_stale_token_renew_it_once(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    hat_sandbox.knobs.clock_offset = -ALMOST_IDLE
    token.access_token()
    hat_sandbox.knobs.clock_offset = timedelta(0)
    hat_sandbox.clear_request_log()

    statuses = asyncio.run(_validate_concurrently(hat_sandbox.url, token, 200))

    assert statuses == [200] * 200
    assert count(hat_sandbox, LOGIN) == 1
    assert len(hat_sandbox.request_log) == 201


def test_tasks_hitting_401_together_renew_once(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    token.access_token()
    hat_sandbox.knobs.clock_offset = timedelta(days=4)
    hat_sandbox.clear_request_log()

    statuses = asyncio.run(_validate_concurrently(hat_sandbox.url, token, 50))

    assert statuses == [200] * 50
    assert count(hat_sandbox, LOGIN) == 1
    assert count(hat_sandbox, VALIDATE, 200) == 50


def test_200_tasks_sharing_a_new_app_token_log_in_and_exchange_once(hat_sandbox: Sandbox) -> None:
    token = AppToken(owner_token(hat_sandbox), "sandbox-app")

    statuses = asyncio.run(_validate_concurrently(hat_sandbox.url, token, 200))

    assert statuses == [200] * 200
    assert count(hat_sandbox, LOGIN) == 1
    assert count(hat_sandbox, "/publickey") == 1
    assert count(hat_sandbox, APP_TOKEN) == 1
    assert len(hat_sandbox.request_log) == 203


def test_rejected_web_login_token_asks_for_a_new_login(hat_sandbox: Sandbox) -> None:
    web = WebOwnerToken(owner_token(hat_sandbox).access_token())
    with httpx.Client(base_url=hat_sandbox.url, auth=web) as client:
        assert client.get(VALIDATE).status_code == 200
        hat_sandbox.knobs.clock_offset = timedelta(days=4)
        with pytest.raises(LoginRequiredError, match="web login"):
            client.get(VALIDATE)
    assert count(hat_sandbox, LOGIN) == 1


def test_web_login_token_near_expiry_is_still_used(hat_sandbox: Sandbox) -> None:
    hat_sandbox.knobs.clock_offset = -ALMOST_IDLE
    web = WebOwnerToken(owner_token(hat_sandbox).access_token())
    hat_sandbox.knobs.clock_offset = timedelta(0)
    with httpx.Client(base_url=hat_sandbox.url, auth=web) as client:
        assert client.get(VALIDATE).status_code == 200
        assert client.get(VALIDATE).status_code == 200
    expires_at = web.expires_at
    assert expires_at is not None
    assert expires_at - datetime.now(UTC) > timedelta(days=2)  # the sliding refresh renewed it


class _GarbledRefresh(httpx.BaseTransport):
    """Passes requests through, but every answer carries a refreshed token forged with
    another key (a proxy or a broken HAT)."""

    def __init__(self, issuer: str) -> None:
        self._inner = httpx.HTTPTransport()
        self.forged = rs256(owner_claims(issuer), private_key("intruder"))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        response.headers["X-Auth-Token"] = self.forged
        return response


def test_a_garbled_refreshed_token_never_hides_stored_records(hat_sandbox: Sandbox) -> None:
    from hat_sdk import HatClient, HatModel

    class Note(HatModel):
        text: str

    owner = owner_token(hat_sandbox)
    owner.access_token()  # logged in with a good token and key
    transport = _GarbledRefresh(httpx.URL(hat_sandbox.url).netloc.decode())
    with HatClient(owner, "sandbox-app", http_client=httpx.Client(transport=transport)) as hat:
        stored = hat.post(Note(endpoint="notes", text="kept"))
        assert stored[0].record_id is not None
        assert [note.text for note in hat.get(Note, "notes")] == ["kept"]
    assert owner.access_token() != transport.forged  # the forged token was never adopted
