"""Tokens the HAT did not issue (or no longer accepts) are rejected and never used."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppClaims, OwnerClaims, TokenVerificationError, WebOwnerToken
from hat_sdk.sandbox import Sandbox, _jwt_codec
from tests.tokens._forge import (
    alg_none,
    hs256_keyed_with,
    owner_claims,
    private_key,
    public_pem,
    rs256,
)
from tests.tokens.conftest import LOGIN, VALIDATE, count, owner_token

HOST = "127.0.0.1:9"
LONG_AGO = datetime.now(UTC) - timedelta(days=40)

Forgery = Callable[[dict[str, Any], rsa.RSAPrivateKey], str]
"""Builds a bad token from good claims and the HAT's own key."""

FORGERIES: dict[str, Forgery] = {
    "another key": lambda claims, _: rs256(claims, private_key("attacker")),
    "alg none": lambda claims, _: alg_none(claims),
    "HS256 keyed with the public PEM": lambda claims, key: hs256_keyed_with(
        claims, public_pem(key)
    ),
    "wrong iss": lambda claims, key: rs256({**claims, "iss": "evil.example"}, key),
    "expired": lambda claims, key: rs256(
        {**claims, "iat": int(datetime.now(UTC).timestamp()), "exp": int(LONG_AGO.timestamp())},
        key,
    ),
    "idle for 4 days": lambda claims, key: rs256(
        {**claims, "iat": int((datetime.now(UTC) - timedelta(days=4)).timestamp())}, key
    ),
    "no jti": lambda claims, key: rs256({k: v for k, v in claims.items() if k != "jti"}, key),
    "not a JWT": lambda _claims, _key: "not.a.jwt",
    "issued past any date": lambda claims, key: rs256({**claims, "iat": 2**70}, key),
    "issued on 9999-12-31": lambda claims, key: rs256({**claims, "iat": 253402300799}, key),
}


def _public_key_pem(sandbox: Sandbox) -> str:
    return httpx.get(sandbox.url + "/publickey").text


def test_web_login_token_from_the_hat_is_accepted(hat_sandbox: Sandbox) -> None:
    value = owner_token(hat_sandbox).access_token()
    web = WebOwnerToken(value)  # HAT taken from iss: http for a loopback host
    assert web.hat_url == hat_sandbox.url
    with httpx.Client(base_url=hat_sandbox.url, auth=web) as client:
        assert client.get(VALIDATE).status_code == 200
    assert isinstance(web.claims, OwnerClaims)
    assert count(hat_sandbox, LOGIN) == 1


AGAINST_THE_SANDBOX: dict[str, Callable[[dict[str, Any], str], str]] = {
    "another key": lambda claims, _pem: rs256(claims, private_key("attacker")),
    "alg none": lambda claims, _pem: alg_none(claims),
    "HS256 keyed with the public PEM": hs256_keyed_with,
}
"""Forgeries needing no HAT private key: built from good claims and the HAT's public PEM."""


def _use_web_token(value: str, hat_url: str) -> None:
    token = WebOwnerToken(value, hat_url=hat_url)
    with httpx.Client(base_url=hat_url, auth=token) as client:
        client.get(VALIDATE)


@pytest.mark.parametrize("name", list(AGAINST_THE_SANDBOX))
def test_forged_web_login_token_is_rejected(hat_sandbox: Sandbox, name: str) -> None:
    claims = owner_claims(hat_sandbox.url.removeprefix("http://"))
    forged = AGAINST_THE_SANDBOX[name](claims, _public_key_pem(hat_sandbox))
    with pytest.raises(TokenVerificationError):
        _use_web_token(forged, hat_sandbox.url)
    assert count(hat_sandbox, VALIDATE) == 0


def test_token_issued_for_another_host_is_rejected(hat_sandbox: Sandbox) -> None:
    # A HAT only signs tokens for its own host (another host is another HAT, another key), so
    # sign one naming evil.example with this HAT's own key from the sandbox's internals.
    hat = hat_sandbox._hats.get(hat_sandbox.hats[0].domain) if hat_sandbox._hats else None
    assert hat is not None
    foreign = _jwt_codec.issue(
        hat.keys,
        host="evil.example",
        username="sandbox",
        now=datetime.now(UTC),
        custom={"resource": "evil.example", "accessScope": "owner"},
    )
    with pytest.raises(TokenVerificationError, match="another HAT"):
        WebOwnerToken(foreign, hat_url=hat_sandbox.url).access_token()


@pytest.mark.parametrize(
    ("clock_offset", "reason"),
    [(timedelta(days=-31), "expired"), (timedelta(days=-4), "idle")],
)
def test_expired_web_login_token_is_rejected(
    hat_sandbox: Sandbox, clock_offset: timedelta, reason: str
) -> None:
    hat_sandbox.knobs.clock_offset = clock_offset
    old = httpx.get(hat_sandbox.url + LOGIN, headers={"username": "sandbox", "password": "sandbox"})
    hat_sandbox.knobs.clock_offset = timedelta(0)
    with pytest.raises(TokenVerificationError, match=reason):
        WebOwnerToken(old.json()["accessToken"]).access_token()


def test_web_login_app_token_is_accepted(hat_sandbox: Sandbox) -> None:
    owner = owner_token(hat_sandbox).access_token()
    app_value = httpx.get(
        hat_sandbox.url + "/api/v2.6/applications/sandbox-app/access-token",
        headers={"X-Auth-Token": owner},
    ).json()["accessToken"]
    web = WebOwnerToken(app_value)
    web.access_token()
    assert isinstance(web.claims, AppClaims)


def _fake_hat_client(token: ApiOwnerToken, header: Callable[[], str | None]) -> httpx.Client:
    key = private_key("hat")
    session = owner_claims(HOST)

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/publickey":
            return httpx.Response(200, text=public_pem(key))
        if request.url.path == LOGIN:
            return httpx.Response(200, json={"accessToken": rs256(session, key)})
        value = header()
        return httpx.Response(
            200, json={}, headers={} if value is None else {"X-Auth-Token": value}
        )

    return httpx.Client(
        base_url=f"http://{HOST}", auth=token, transport=httpx.MockTransport(handle)
    )


@pytest.mark.parametrize("name", list(FORGERIES))
def test_forged_refreshed_header_is_rejected_and_not_used(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    token = ApiOwnerToken(SimpleCredential("alice", "pw"), hat_url=f"http://{HOST}")
    forged: list[str] = []

    def refreshed_header() -> str | None:
        claims = token.claims
        assert claims is not None
        session = owner_claims(HOST)  # same session (jti) as the real token, refreshed now
        session["jti"] = claims.jti
        forged.append(FORGERIES[name](session, private_key("hat")))
        return forged[-1]

    with _fake_hat_client(token, refreshed_header) as client:
        genuine = token.access_token(client)
        # Refused and logged, never raised over the answer it came with.
        with caplog.at_level(logging.WARNING, logger="hat_sdk"):
            assert client.get(VALIDATE).status_code == 200
        assert token.access_token(client) == genuine
    assert "Ignored a refreshed token" in caplog.text
    assert forged[0] not in caplog.text


def test_genuine_refreshed_header_is_adopted() -> None:
    token = ApiOwnerToken(SimpleCredential("alice", "pw"), hat_url=f"http://{HOST}")
    refreshed: list[str] = []

    def refreshed_header() -> str:
        claims = token.claims
        assert claims is not None
        session = owner_claims(HOST, issued=datetime.now(UTC) + timedelta(minutes=5))
        session["jti"] = claims.jti
        refreshed.append(rs256(session, private_key("hat")))
        return refreshed[-1]

    with _fake_hat_client(token, refreshed_header) as client:
        client.get(VALIDATE)
        assert token.access_token(client) == refreshed[0]
