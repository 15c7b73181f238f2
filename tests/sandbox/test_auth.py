"""Login, token format, verification, refresh and rejection of bad tokens."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from hat_sdk.sandbox import Sandbox

from .conftest import APP_ID, app_token_for, login


def _claims(client: httpx.Client, token: str) -> dict[str, Any]:
    public_key = client.get("/publickey").text
    host = client.base_url.netloc.decode()
    claims: dict[str, Any] = jwt.decode(token, public_key, algorithms=["RS256"], issuer=host)
    return claims


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_login_returns_token_in_body_and_header(client: httpx.Client) -> None:
    response = client.get(
        "/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"accessToken", "userId"}
    assert response.headers["X-Auth-Token"] == body["accessToken"]


def test_owner_token_claims(client: httpx.Client) -> None:
    token = login(client)
    claims = _claims(client, token)
    host = client.base_url.netloc.decode()
    assert ":" in host  # iss includes the port
    assert claims["iss"] == host
    assert claims["resource"] == host
    assert claims["accessScope"] == "owner"
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    assert len(claims["jti"]) == 256
    assert claims["sub"].startswith("1-")
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "RS256"}


def test_login_percent_decodes_headers() -> None:
    with Sandbox(owner="bob", password="p+ss word") as url, httpx.Client(base_url=url) as client:
        assert login(client, "bob", "p%2Bss+word")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {"username": "sandbox", "password": "wrong"},
            {"error": "Not Authenticated", "message": "Not Authenticated"},
        ),
        (
            {"username": "nobody", "password": "sandbox"},
            {"error": "Not Authenticated", "message": "Not Authenticated"},
        ),
        (
            {"username": "sandbox"},
            {
                "message": "Credentials required",
                "cause": "No username or password provided to retrieve token",
            },
        ),
    ],
)
def test_login_failures(
    client: httpx.Client, headers: dict[str, str], expected: dict[str, str]
) -> None:
    response = client.get("/users/access_token", headers=headers)
    assert response.status_code == 401
    assert response.json() == expected


def test_login_rate_limit(client: httpx.Client) -> None:
    headers = {"username": "sandbox", "password": "sandbox", "X-Forwarded-For": "203.0.113.9"}
    statuses = [client.get("/users/access_token", headers=headers).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 400
    response = client.get("/users/access_token", headers=headers)
    assert response.json() == {
        "message": "Request rate exceeded",
        "cause": "Rate of requests from your IP exceeded",
        "details": ["Request to /users/access_token"],
    }
    other_client = {**headers, "X-Forwarded-For": "203.0.113.10"}
    assert client.get("/users/access_token", headers=other_client).status_code == 200


def test_public_key_is_pem_with_cache_headers(client: httpx.Client) -> None:
    response = client.get("/publickey")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert "Expires" in response.headers
    cached = client.get("/publickey", headers={"If-None-Match": response.headers["ETag"]})
    assert cached.status_code == 304


def test_validate_and_refresh_header(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.get("/users/access_token/validate", headers=owner)
    assert response.status_code == 200
    assert response.json() == {"message": "Authenticated"}
    refreshed = response.headers["X-Auth-Token"]
    old, new = _claims(client, owner["X-Auth-Token"]), _claims(client, refreshed)
    assert new["jti"] == old["jti"]
    assert new["exp"] == old["exp"]
    assert new["iat"] >= old["iat"]


def test_token_in_query_string(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.get("/users/access_token/validate", params=owner)
    assert response.status_code == 200


def test_app_token_claims(client: httpx.Client, owner: dict[str, str]) -> None:
    claims = _claims(client, app_token_for(client, owner["X-Auth-Token"]))
    assert claims["application"] == APP_ID
    assert claims["applicationVersion"] == "1.0.0"
    assert "accessScope" not in claims


def test_app_token_for_unknown_app(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.get("/api/v2.6/applications/nope/access-token", headers=owner)
    assert response.status_code == 404
    assert response.json()["message"] == "Application not Found"


def test_app_token_cannot_fetch_other_app_tokens(client: httpx.Client, app: dict[str, str]) -> None:
    response = client.get("/api/v2.6/applications/notables/access-token", headers=app)
    assert response.status_code == 403
    assert response.json() == {"error": "Forbidden", "message": "Access Denied"}
    assert "X-Auth-Token" in response.headers


def test_namespace_permissions(
    client: httpx.Client, owner: dict[str, str], app: dict[str, str]
) -> None:
    assert (
        client.post("/api/v2.6/data/sandbox-app/notes", json={"a": 1}, headers=app).status_code
        == 201
    )
    foreign = client.post("/api/v2.6/data/rumpel/notes", json={"a": 2}, headers=app)
    assert foreign.status_code == 403
    assert foreign.json() == {"error": "Forbidden", "message": "Access Denied"}
    assert client.get("/api/v2.6/data/rumpel/notes", headers=app).status_code == 403
    assert (
        client.post("/api/v2.6/data/rumpel/notes", json={"a": 3}, headers=owner).status_code == 201
    )


def test_disabled_app_is_forbidden(
    client: httpx.Client, owner: dict[str, str], app: dict[str, str]
) -> None:
    assert client.get(f"/api/v2.6/applications/{APP_ID}/disable", headers=owner).status_code == 200
    assert client.get("/api/v2.6/data/sandbox-app/notes", headers=app).status_code == 403
    assert client.get(f"/api/v2.6/applications/{APP_ID}/setup", headers=owner).status_code == 200
    assert client.get("/api/v2.6/data/sandbox-app/notes", headers=app).status_code == 200


@pytest.mark.parametrize("age", [timedelta(days=3, minutes=1), timedelta(days=31)])
def test_idle_or_expired_token_rejected(
    hat_sandbox: Sandbox, client: httpx.Client, owner: dict[str, str], age: timedelta
) -> None:
    hat_sandbox.knobs.clock_offset = age
    response = client.get("/users/access_token/validate", headers=owner)
    assert response.status_code == 401
    assert response.json() == {"error": "Not Authenticated", "message": "Not Authenticated"}


def test_refreshed_token_survives_idle_timeout(
    hat_sandbox: Sandbox, client: httpx.Client, owner: dict[str, str]
) -> None:
    hat_sandbox.knobs.clock_offset = timedelta(days=2)
    refreshed = client.get("/users/access_token/validate", headers=owner).headers["X-Auth-Token"]
    hat_sandbox.knobs.clock_offset = timedelta(days=4)
    assert client.get("/users/access_token/validate", headers=owner).status_code == 401
    ok = client.get("/users/access_token/validate", headers={"X-Auth-Token": refreshed})
    assert ok.status_code == 200


def _forgeries(client: httpx.Client, genuine: str) -> list[str]:
    claims = jwt.decode(genuine, options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = client.get("/publickey").text
    now = int(time.time())
    return [
        jwt.encode(claims, other_key, algorithm="RS256"),
        _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(claims) + ".",
        # HS256 keyed with the public key: the classic algorithm-confusion attack.
        _hs256(claims, public_pem.encode()),
        jwt.encode({**claims, "iss": "evil.example.com"}, other_key, algorithm="RS256"),
        jwt.encode({**claims, "iat": now}, other_key, algorithm="RS256"),
        "not-a-jwt",
    ]


def _hs256(claims: dict[str, Any], secret: bytes) -> str:
    import hashlib
    import hmac

    signing_input = _b64({"alg": "HS256", "typ": "JWT"}) + "." + _b64(claims)
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def test_forged_tokens_rejected(client: httpx.Client, owner: dict[str, str]) -> None:
    for forged in _forgeries(client, owner["X-Auth-Token"]):
        response = client.get("/users/access_token/validate", headers={"X-Auth-Token": forged})
        assert response.status_code == 401, forged


def test_token_of_other_sandbox_rejected(client: httpx.Client) -> None:
    with Sandbox() as other_url, httpx.Client(base_url=other_url) as other:
        foreign = login(other)
    response = client.get("/users/access_token/validate", headers={"X-Auth-Token": foreign})
    assert response.status_code == 401
