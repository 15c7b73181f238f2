"""Passwords and tokens never show in reprs, error messages or log records."""

from __future__ import annotations

import logging

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppToken, HatError, WebOwnerToken
from hat_sdk.sandbox import Sandbox
from tests.tokens._forge import owner_claims, private_key, rs256
from tests.tokens.conftest import VALIDATE

PASSWORD = "correct horse+battery staple"


def test_no_secret_in_reprs_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # includes httpx and httpcore debug output
    with Sandbox(password=PASSWORD) as url:
        owner = ApiOwnerToken(SimpleCredential("sandbox", PASSWORD), hat_url=url)
        app = AppToken(owner, "sandbox-app")
        with httpx.Client(base_url=url, auth=app) as client:
            assert client.get(VALIDATE).status_code == 200
        token_values = [owner.access_token(), app.access_token()]
        web = WebOwnerToken(token_values[0])
        web.access_token()

        errors: list[HatError] = []
        wrong = ApiOwnerToken(SimpleCredential("sandbox", PASSWORD + "!"), hat_url=url)
        with pytest.raises(HatError) as wrong_password:
            wrong.access_token()
        errors.append(wrong_password.value)
        forged = rs256(owner_claims(url.removeprefix("http://")), private_key("attacker"))
        with pytest.raises(HatError) as forgery:
            WebOwnerToken(forged).access_token()
        errors.append(forgery.value)

    secrets = [PASSWORD, PASSWORD + "!", forged, *token_values]
    texts = [repr(owner), repr(app), repr(web), repr(owner.claims), repr(app.claims)]
    texts += [str(error) for error in errors] + [repr(error) for error in errors]
    texts += [record.getMessage() for record in caplog.records]
    for secret in secrets:
        for text in texts:
            assert secret not in text
    assert any(record.name.startswith("hat_sdk") for record in caplog.records)
    assert any(record.name.startswith("httpx") for record in caplog.records)
    assert "sandbox" in repr(owner)
    assert "expires_at" in repr(owner)
