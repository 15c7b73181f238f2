"""HAT claim requests, as the Scala client's ``requestEmailVerification`` and
``legacyHatClaimTrigger`` send them."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from hat_sdk.sandbox import Sandbox

from .conftest import APP_ID

SENT = {"message": "You will shortly receive an email with claim instructions"}
OWNER_EMAIL = "sandbox@example.com"
PATHS = ("/control/v2/auth/request-verification", "/control/v2/auth/claim")


def _claim(email: str = OWNER_EMAIL, app_id: str = APP_ID) -> dict[str, str]:
    return {"email": email, "applicationId": app_id, "redirectUri": "https://x.example.com/cb"}


@pytest.mark.parametrize("path", PATHS)
def test_owner_email_and_known_application(client: httpx.Client, path: str) -> None:
    response = client.post(path, params={"lang": "en"}, json=_claim())
    assert response.status_code == 200
    assert response.json() == SENT
    assert "X-Auth-Token" not in response.headers


@pytest.mark.parametrize("path", PATHS)
def test_unknown_application_is_400_for_the_owner_email_only(
    client: httpx.Client, path: str
) -> None:
    response = client.post(path, json=_claim(app_id="nope"))
    assert response.status_code == 400
    assert response.json() == {"message": "Bad request", "cause": "Application nope not available"}
    other = client.post(path, json=_claim(email="someone@example.com", app_id="nope"))
    assert (other.status_code, other.json()) == (200, SENT)


def test_token_answered_without_email(hat_sandbox: Sandbox, client: httpx.Client) -> None:
    path = PATHS[0]
    first = client.post(path, params={"sendEmailToUser": "false"}, json=_claim())
    assert first.status_code == 200
    token = first.json()["tokenId"]
    again = client.post(path, params={"sendEmailToUser": "false"}, json=_claim())
    assert again.json() == {"tokenId": token}
    hat_sandbox.knobs.clock_offset = timedelta(hours=25)
    renewed = client.post(path, params={"sendEmailToUser": "false"}, json=_claim())
    assert renewed.json()["tokenId"] != token


def test_valid_token_is_refreshed(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.post(PATHS[0], json=_claim(), headers=owner)
    assert response.status_code == 200
    assert response.headers["X-Auth-Token"]


def test_malformed_requests(client: httpx.Client) -> None:
    response = client.post(PATHS[0], json={"email": 1})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bad Request",
        "message": {
            "obj.applicationId": [{"msg": ["error.path.missing"], "args": []}],
            "obj.email": [{"msg": ["error.expected.jsstring"], "args": []}],
            "obj.redirectUri": [{"msg": ["error.path.missing"], "args": []}],
        },
    }
    flag = client.post(PATHS[0], params={"sendEmailToUser": "maybe"}, json=_claim())
    assert flag.status_code == 400
    assert flag.json()["message"].startswith("Cannot parse parameter sendEmailToUser as Boolean")
