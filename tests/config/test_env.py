"""Credentials from HAT_URL, HAT_USERNAME, HAT_PASSWORD and HAT_APP (hat_sdk._env)."""

from __future__ import annotations

import pytest
from keyring.errors import NoKeyringError

from hat_sdk import ApiOwnerToken, AppToken, MissingCredentialsError
from hat_sdk._env import HatEnv, token_from_env
from hat_sdk.sandbox import Sandbox
from tests.conftest import MemoryKeyring


def test_owner_login_from_the_environment(hat_sandbox: Sandbox) -> None:
    env = {"HAT_URL": hat_sandbox.url, "HAT_USERNAME": "sandbox", "HAT_PASSWORD": "sandbox"}
    token = token_from_env(env)
    assert isinstance(token, ApiOwnerToken)
    token.access_token()
    assert token.claims is not None
    assert token.claims.access_scope == "owner"


def test_hat_app_gives_the_application_token(hat_sandbox: Sandbox) -> None:
    env = {
        "HAT_URL": hat_sandbox.url,
        "HAT_USERNAME": "sandbox",
        "HAT_PASSWORD": "sandbox",
        "HAT_APP": "sandbox-app",
    }
    token = token_from_env(env)
    assert isinstance(token, AppToken)
    token.access_token()
    assert token.claims is not None
    assert token.claims.application == "sandbox-app"


def test_without_hat_password_the_keyring_is_used(
    hat_sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    from hat_sdk import keyring_service

    memory_keyring.set_password(keyring_service(hat_sandbox.url), "sandbox", "sandbox")
    token = token_from_env({"HAT_URL": hat_sandbox.url, "HAT_USERNAME": "sandbox"})
    token.access_token()


class _NoKeyring(MemoryKeyring):
    """Like keyring.backends.fail.Keyring: every access fails."""

    def get_password(self, service: str, username: str) -> str | None:  # noqa: ARG002
        raise NoKeyringError("No recommended backend was available.")


def test_without_a_keyring_the_error_names_hat_password(hat_sandbox: Sandbox) -> None:
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(_NoKeyring())
    try:
        token = token_from_env({"HAT_URL": hat_sandbox.url, "HAT_USERNAME": "sandbox"})
        with pytest.raises(MissingCredentialsError, match="HAT_PASSWORD"):
            token.access_token()
    finally:
        keyring.set_keyring(previous)


def test_a_missing_username_says_which_variable() -> None:
    with pytest.raises(MissingCredentialsError, match="HAT_USERNAME"):
        token_from_env({"HAT_PASSWORD": "x"})


def test_empty_variables_count_as_unset_and_the_password_is_never_shown() -> None:
    env = HatEnv.read({"HAT_URL": "", "HAT_USERNAME": "alice", "HAT_PASSWORD": "s3cret"})
    assert env.hat_url is None
    assert env.password == "s3cret"
    assert "s3cret" not in repr(env)


def test_a_client_from_the_environment_in_one_line(
    hat_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hat_sdk import AsyncHatClient, HatClient, HatModel, InvalidInputError

    class Note(HatModel):
        text: str

    for name, value in {
        "HAT_URL": hat_sandbox.url,
        "HAT_USERNAME": "sandbox",
        "HAT_PASSWORD": "sandbox",
        "HAT_APP": "sandbox-app",
    }.items():
        monkeypatch.setenv(name, value)
    with HatClient() as client:  # the application's token, its namespace
        assert isinstance(client.token, AppToken)
        assert client.namespace == "sandbox-app"
        assert client.post(Note(endpoint="env", text="hi"))[0].record_id is not None
    monkeypatch.setenv("HAT_NAMESPACE", "other-app")
    assert AsyncHatClient().namespace == "other-app"
    monkeypatch.delenv("HAT_NAMESPACE")
    monkeypatch.delenv("HAT_APP")
    with pytest.raises(InvalidInputError, match="HAT_NAMESPACE"):
        HatClient()
