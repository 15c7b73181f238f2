"""Password change and the legacy validate-scope tokens."""

from __future__ import annotations

import httpx
import jwt

from .conftest import login

PASSWORD = "/control/v2/auth/password"


def test_change_password(client: httpx.Client, owner: dict[str, str]) -> None:
    weak = client.post(PASSWORD, json={"password": "sandbox", "newPassword": "abc"}, headers=owner)
    assert weak.status_code == 400
    assert weak.json()["message"] == {
        "obj.newPassword": [{"msg": ["Minimum password requirement strength not met"], "args": []}]
    }
    new = "Correct-Horse-7-Battery"
    wrong = client.post(PASSWORD, json={"password": "nope", "newPassword": new}, headers=owner)
    assert wrong.status_code == 403
    assert wrong.json() == {"message": "Invalid password", "cause": "Old password invalid"}
    changed = client.post(PASSWORD, json={"password": "sandbox", "newPassword": new}, headers=owner)
    assert changed.status_code == 200
    assert changed.json() == {"message": "Password changed"}
    assert changed.headers["X-Auth-Token"] != owner["X-Auth-Token"]
    old_login = client.get(
        "/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
    )
    assert old_login.status_code == 401
    assert login(client, "sandbox", new)


def test_validate_scope_tokens(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.get(
        "/users/application_token",
        params={"name": "svc", "resource": "https://svc.example.com"},
        headers=owner,
    )
    assert response.status_code == 200
    token = response.json()["accessToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["accessScope"], claims["resource"]) == ("validate", "https://svc.example.com")
    scoped = {"X-Auth-Token": token}
    assert client.get("/users/access_token/validate", headers=scoped).status_code == 200
    assert client.get("/api/v2.6/data/ns/ep", headers=scoped).status_code == 403


def test_legacy_hat_login(client: httpx.Client, owner: dict[str, str]) -> None:
    params = {"name": "svc", "redirect": "https://svc.example.com/cb?x=1"}
    response = client.get("/control/v2/auth/hatlogin", params=params, headers=owner)
    assert response.status_code == 200
    assert response.json()["message"].startswith("https://svc.example.com/cb?x=1&token=ey")
    missing = client.get("/control/v2/auth/hatlogin", params={"name": "svc"}, headers=owner)
    assert missing.json() == {"error": "Bad Request", "message": "Missing parameter: redirect"}
