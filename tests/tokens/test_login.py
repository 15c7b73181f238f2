"""Owner login and application-token exchange against the sandbox."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import (
    ApiOwnerToken,
    AppClaims,
    AppToken,
    HatClient,
    HatConnectionError,
    HatError,
    HatNotFoundError,
    InvalidInputError,
    LimitedTokenScopeError,
    MissingCredentialsError,
    NotFoundError,
    OwnerClaims,
    RateLimitedError,
    ResponseFormatError,
    WebOwnerToken,
    WrongCredentialsError,
    keyring_service,
)
from hat_sdk.sandbox import Sandbox
from tests.conftest import MemoryKeyring
from tests.tokens._forge import owner_claims, private_key, public_pem, rs256
from tests.tokens.conftest import LOGIN, VALIDATE, count, owner_token

APP_TOKEN = "/api/v2.6/applications/sandbox-app/access-token"


def test_owner_login_is_lazy_and_happens_once(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    before = token.claims
    assert before is None
    assert token.expires_at is None
    assert hat_sandbox.request_log == []

    with httpx.Client(base_url=hat_sandbox.url, auth=token) as client:
        assert client.get(VALIDATE).status_code == 200
        assert client.get(VALIDATE).status_code == 200
        assert client.get(VALIDATE).status_code == 200

    assert count(hat_sandbox, LOGIN) == 1
    assert count(hat_sandbox, "/publickey") == 1
    assert count(hat_sandbox, VALIDATE, 200) == 3
    claims = token.claims
    assert isinstance(claims, OwnerClaims)
    assert claims.access_scope == "owner"
    assert claims.iss == hat_sandbox.url.removeprefix("http://")
    assert token.expires_at == claims.expires_at


def test_access_token_returns_the_verified_token_string(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)
    value = token.access_token()
    with httpx.Client(base_url=hat_sandbox.url) as client:
        response = client.get(VALIDATE, headers={"X-Auth-Token": value})
    assert response.status_code == 200
    assert token.access_token() == value
    assert count(hat_sandbox, LOGIN) == 1


def test_async_access_token(hat_sandbox: Sandbox) -> None:
    token = owner_token(hat_sandbox)

    async def fetch() -> str:
        async with httpx.AsyncClient() as client:
            return await token.aaccess_token(client)

    value = asyncio.run(fetch())
    assert value.count(".") == 2
    assert asyncio.run(token.aaccess_token()) == value
    assert count(hat_sandbox, LOGIN) == 1


def test_app_token_is_exchanged_with_the_owner_token(hat_sandbox: Sandbox) -> None:
    owner = owner_token(hat_sandbox)
    app = AppToken(owner, "sandbox-app")
    assert hat_sandbox.request_log == []

    with httpx.Client(base_url=hat_sandbox.url, auth=app) as client:
        assert client.get(VALIDATE).status_code == 200
        assert client.get(VALIDATE).status_code == 200

    assert count(hat_sandbox, LOGIN) == 1
    assert count(hat_sandbox, APP_TOKEN, 200) == 1
    claims = app.claims
    assert isinstance(claims, AppClaims)
    assert claims.application == "sandbox-app"
    assert claims.application_version
    assert app.hat_url == owner.hat_url == hat_sandbox.url


def test_unknown_application_is_reported(hat_sandbox: Sandbox) -> None:
    # A missing application is a 404 (NotFoundError), not an authentication problem.
    app = AppToken(owner_token(hat_sandbox), "no-such-app")
    with pytest.raises(NotFoundError) as caught:
        app.access_token()
    assert caught.value.status_code == 404
    assert "no-such-app" in str(caught.value)
    assert caught.value.summary.startswith("The HAT knows no application with this id")


def test_web_login_app_token_cannot_fetch_an_app_token(hat_sandbox: Sandbox) -> None:
    app_value = AppToken(owner_token(hat_sandbox), "sandbox-app").access_token()
    nested = AppToken(WebOwnerToken(app_value), "sandbox-app")
    with pytest.raises(LimitedTokenScopeError) as caught:
        nested.access_token()
    assert caught.value.status_code == 403


def test_a_password_given_in_code_logs_in_and_is_never_shown(hat_sandbox: Sandbox) -> None:
    assert ApiOwnerToken("sandbox", password="sandbox", hat_url=hat_sandbox.url).access_token()
    wrong = ApiOwnerToken("sandbox", password="s3cret-wrong", hat_url=hat_sandbox.url)
    with pytest.raises(WrongCredentialsError) as refused:
        wrong.access_token()
    assert "s3cret" not in repr(wrong)
    assert "s3cret" not in str(refused.value)
    with pytest.raises(InvalidInputError, match="password= goes with a username"):
        ApiOwnerToken(SimpleCredential("sandbox", "x"), password="y", hat_url=hat_sandbox.url)


def test_wrong_password(hat_sandbox: Sandbox) -> None:
    token = ApiOwnerToken(SimpleCredential("sandbox", "wrong"), hat_url=hat_sandbox.url)
    with pytest.raises(WrongCredentialsError) as caught:
        token.access_token()
    assert caught.value.status_code == 401
    assert "'sandbox'" in str(caught.value)
    assert hat_sandbox.url in str(caught.value)


def test_wrong_password_raises_through_an_httpx_client(hat_sandbox: Sandbox) -> None:
    token = ApiOwnerToken(SimpleCredential("sandbox", "wrong"), hat_url=hat_sandbox.url)
    with (
        httpx.Client(base_url=hat_sandbox.url, auth=token) as client,
        pytest.raises(WrongCredentialsError),
    ):
        client.get(VALIDATE)
    assert count(hat_sandbox, VALIDATE) == 0


def test_unknown_user(hat_sandbox: Sandbox) -> None:
    token = ApiOwnerToken(SimpleCredential("nobody", "sandbox"), hat_url=hat_sandbox.url)
    with pytest.raises(WrongCredentialsError):
        token.access_token()


def test_no_server_at_the_address_is_a_connection_error_however_the_login_starts() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = ApiOwnerToken(SimpleCredential("a", "b"), hat_url=f"http://127.0.0.1:{port}")
    with pytest.raises(HatConnectionError) as caught:
        token.access_token()
    assert str(port) in str(caught.value)
    assert not isinstance(caught.value, HatNotFoundError)
    with pytest.raises(HatConnectionError):  # the failed attempt released its locks
        token.access_token()
    with HatClient(token, "sandbox-app") as client, pytest.raises(HatConnectionError):
        client.system.version()  # the login the call starts fails the same way


def test_password_from_the_keyring(hat_sandbox: Sandbox, memory_keyring: MemoryKeyring) -> None:
    service = keyring_service(hat_sandbox.url)
    assert service == "hat-sdk:" + hat_sandbox.url.removeprefix("http://")
    memory_keyring.set_password(service, "sandbox", "sandbox")
    token = ApiOwnerToken("sandbox", hat_url=hat_sandbox.url)
    assert token.username == "sandbox"
    assert token.access_token()


def test_missing_keyring_password_names_service_and_user(
    hat_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    token = ApiOwnerToken("sandbox", hat_url=hat_sandbox.url)
    with pytest.raises(MissingCredentialsError) as caught:
        token.access_token()
    assert keyring_service(hat_sandbox.url) in str(caught.value)
    assert "'sandbox'" in str(caught.value)
    assert memory_keyring.store == {}
    assert hat_sandbox.request_log == []


def test_default_hat_url_is_the_hubat_domain() -> None:
    assert ApiOwnerToken(SimpleCredential("alice", "x")).hat_url == "https://alice.hubat.net"
    with pytest.raises(ValueError, match="hat_url"):
        ApiOwnerToken(SimpleCredential("Not A Name", "x"))


def test_rate_limited_logins_are_retried_with_backoff(hat_sandbox: Sandbox) -> None:
    tokens = [owner_token(hat_sandbox, login_backoff=0.5, login_max_wait=20) for _ in range(12)]
    for token in tokens:
        token.access_token()
    assert count(hat_sandbox, LOGIN, 200) == 12
    assert count(hat_sandbox, LOGIN, 400) >= 1  # the 11th and 12th waited


def test_rate_limited_login_gives_up_after_the_allowed_wait(hat_sandbox: Sandbox) -> None:
    for _ in range(10):
        owner_token(hat_sandbox).access_token()
    token = owner_token(hat_sandbox, login_backoff=0.01, login_max_wait=0.05)
    with pytest.raises(RateLimitedError) as caught:
        token.access_token()
    assert caught.value.status_code == 400
    assert caught.value.message == "Request rate exceeded"
    assert not isinstance(caught.value, WrongCredentialsError)


def _login_against(handle: Callable[[httpx.Request], httpx.Response]) -> None:
    token = ApiOwnerToken(SimpleCredential("alice", "pw"), hat_url="http://127.0.0.1:9")
    with httpx.Client(transport=httpx.MockTransport(handle)) as client:
        token.access_token(client)


def test_hat_unavailable_on_login_means_hat_not_found() -> None:
    def handle(_: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": "Not Found", "message": "HAT unavailable"})

    with pytest.raises(HatNotFoundError):
        _login_against(handle)


@pytest.mark.parametrize(
    ("path", "reply"),
    [
        (LOGIN, httpx.Response(200, text="<!doctype html><title>HAT</title>")),
        (LOGIN, httpx.Response(200, json={"userId": "no token here"})),
        ("/publickey", httpx.Response(200, text="<!doctype html><title>HAT</title>")),
    ],
    ids=["login HTML", "login without accessToken", "publickey HTML"],
)
def test_a_server_that_is_not_a_hat_is_reported(path: str, reply: httpx.Response) -> None:
    issued = rs256(owner_claims("127.0.0.1:9"), private_key("hat"))

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == path:
            return reply
        if request.url.path == LOGIN:
            return httpx.Response(200, json={"accessToken": issued})
        return httpx.Response(200, text=public_pem(private_key("hat")))

    with pytest.raises(ResponseFormatError):
        _login_against(handle)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_login_answered_by_a_failing_server_is_tried_again(
    hat_sandbox: Sandbox, status: int
) -> None:
    failures = iter([status, status])  # two failed answers, then the HAT's own
    upstream = httpx.HTTPTransport()

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == LOGIN:
            failed = next(failures, None)
            if failed is not None:
                return httpx.Response(failed, text="Service Unavailable")
        return upstream.handle_request(request)

    token = owner_token(hat_sandbox, login_backoff=0.01)
    with httpx.Client(transport=httpx.MockTransport(handle)) as client:
        assert token.access_token(client)
    assert next(failures, None) is None  # both failures were met, then the login succeeded


def test_a_login_that_keeps_failing_says_how(hat_sandbox: Sandbox) -> None:
    def handle(_: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="Service Unavailable")

    token = owner_token(hat_sandbox, login_backoff=0.01)
    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as client,
        pytest.raises(HatError) as caught,
    ):
        token.access_token(client)
    assert caught.value.status_code == 503


def test_an_application_token_request_answered_by_a_failing_server_is_tried_again(
    hat_sandbox: Sandbox,
) -> None:
    failures = iter([503, 502])
    upstream = httpx.HTTPTransport()

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/access-token"):
            failed = next(failures, None)
            if failed is not None:
                return httpx.Response(failed, text="Bad Gateway")
        return upstream.handle_request(request)

    app = AppToken(owner_token(hat_sandbox), "sandbox-app")
    with httpx.Client(transport=httpx.MockTransport(handle)) as client:
        assert app.access_token(client)
    assert next(failures, None) is None
