"""HAT URLs, insecure-HTTP policy, web-login URL, claims, tokens staying on their HAT."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import (
    ApiOwnerToken,
    AppClaims,
    OwnerClaims,
    TokenVerificationError,
    WebOwnerToken,
    keyring_service,
    web_login_url,
)
from hat_sdk._auth.claims import parse_claims
from tests.tokens._forge import owner_claims, private_key, public_pem, rs256
from tests.tokens.conftest import LOGIN, VALIDATE

ALICE = SimpleCredential("alice", "pw")


@pytest.mark.parametrize(
    "hat_url",
    ["http://127.0.0.1:8080", "http://127.5.6.7", "http://localhost:9000", "http://[::1]:8080"],
)
def test_plain_http_is_allowed_for_loopback(hat_url: str) -> None:
    assert ApiOwnerToken(ALICE, hat_url=hat_url).hat_url == hat_url


def test_plain_http_to_another_host_is_refused_unless_opted_in() -> None:
    with pytest.raises(ValueError, match="allow_insecure_http"):
        ApiOwnerToken(ALICE, hat_url="http://alice.example.org")
    token = ApiOwnerToken(ALICE, hat_url="http://alice.example.org", allow_insecure_http=True)
    assert token.hat_url == "http://alice.example.org"


@pytest.mark.parametrize(
    "hat_url", ["ftp://x.org", "https://", "https://x.org/api", "https://x.org/?a=1", "not a url"]
)
def test_bad_hat_urls_are_explained(hat_url: str) -> None:
    with pytest.raises(ValueError, match="HAT URL"):
        ApiOwnerToken(ALICE, hat_url=hat_url)


def test_default_ports_are_normalised() -> None:
    assert ApiOwnerToken(ALICE, hat_url="https://a.org:443/").hat_url == "https://a.org"


def test_web_token_hat_comes_from_its_issuer() -> None:
    remote = rs256(owner_claims("bob.hubat.net"), private_key("hat"))
    assert WebOwnerToken(remote).hat_url == "https://bob.hubat.net"
    local = rs256(owner_claims("127.0.0.1:8080"), private_key("hat"))
    assert WebOwnerToken(local).hat_url == "http://127.0.0.1:8080"
    assert WebOwnerToken(local, hat_url="http://127.0.0.1:1").hat_url == "http://127.0.0.1:1"


def test_web_token_without_issuer_is_rejected_at_once() -> None:
    with pytest.raises(TokenVerificationError, match="iss"):
        WebOwnerToken("garbage")


def test_web_login_url() -> None:
    url = web_login_url("https://alice.hubat.net", "my-app", "https://app.example/cb?x=1")
    assert url == (
        "https://alice.hubat.net/hatlogin?application_id=my-app"
        "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1"
    )
    with pytest.raises(ValueError, match="allow_insecure_http"):
        web_login_url("http://alice.example.org", "my-app", "https://app.example/cb")


def test_keyring_service_names_the_host_and_port() -> None:
    assert keyring_service("https://alice.hubat.net") == "hat-sdk:alice.hubat.net"
    assert keyring_service("http://127.0.0.1:8080/") == "hat-sdk:127.0.0.1:8080"


def test_claims_are_discriminated_by_application() -> None:
    owner = parse_claims(owner_claims("a.org"))
    assert isinstance(owner, OwnerClaims)
    assert owner.access_scope == "owner"
    assert owner.iat.tzinfo is UTC
    app = parse_claims(
        {**owner_claims("a.org"), "application": "notables", "applicationVersion": "1.0.0"}
    )
    assert isinstance(app, AppClaims)
    assert (app.application, app.application_version) == ("notables", "1.0.0")
    assert app.expires_at == min(app.exp, app.idle_expires_at)
    assert app.exp > datetime.now(UTC)


def test_claims_that_are_not_a_hat_tokens_are_rejected() -> None:
    with pytest.raises(TokenVerificationError, match="accessScope"):
        parse_claims({k: v for k, v in owner_claims("a.org").items() if k != "accessScope"})
    with pytest.raises(TokenVerificationError, match="iat"):
        parse_claims({**owner_claims("a.org"), "iat": "yesterday"})
    for beyond_any_date in (2**70, 253402300799, -1):  # datetime or its arithmetic overflows
        with pytest.raises(TokenVerificationError, match="exp"):
            parse_claims({**owner_claims("a.org"), "exp": beyond_any_date})


def test_token_is_only_sent_to_its_own_hat() -> None:
    key = private_key("hat")
    seen: dict[str, str | None] = {}

    def handle(request: httpx.Request) -> httpx.Response:
        seen[str(request.url)] = request.headers.get("X-Auth-Token")
        if request.url.path == "/publickey":
            return httpx.Response(200, text=public_pem(key))
        if request.url.path == LOGIN:
            return httpx.Response(
                200, json={"accessToken": rs256(owner_claims("127.0.0.1:9"), key)}
            )
        return httpx.Response(200, json={})

    token = ApiOwnerToken(ALICE, hat_url="http://127.0.0.1:9")
    with httpx.Client(auth=token, transport=httpx.MockTransport(handle)) as client:
        client.get("http://127.0.0.1:9" + VALIDATE)
        client.get("http://127.0.0.1:10" + VALIDATE, headers={"X-Auth-Token": "smuggled"})
        client.get("https://127.0.0.1:9" + VALIDATE)
        client.get("http://localhost:9" + VALIDATE)
    assert seen["http://127.0.0.1:9" + VALIDATE] == token.access_token(client)
    assert seen["http://127.0.0.1:10" + VALIDATE] is None
    assert seen["https://127.0.0.1:9" + VALIDATE] is None
    assert seen["http://localhost:9" + VALIDATE] is None
