"""Security: tokens stay with their HAT, plain http is refused, secrets stay out of logs, the
cache keeps tokens apart, and injection through names is refused before any request.

Forged tokens (another key, ``alg: none``, HS256 keyed with the public key, wrong ``iss``,
expired, idle) are covered by ``tests/tokens/test_forged.py`` and not repeated here.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import (
    ApiOwnerToken,
    AppToken,
    GetOpts,
    HatClient,
    HatError,
    InvalidInputError,
    LimitedTokenScopeError,
    WebOwnerToken,
)
from hat_sdk.sandbox import Sandbox, SandboxApp

from .conftest import NAMESPACE, Note, notes, owner_token

MOVED = f"/api/v2.6/data/{NAMESPACE}/moved"


class _Wire(httpx.BaseTransport):
    """The real network, except that ``MOVED`` on ``hat`` answers 307 to ``target``; keeps
    every request that leaves."""

    def __init__(self, hat: str, target: str) -> None:
        self._network = httpx.HTTPTransport()
        self._hat, self._target = httpx.URL(hat), target
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if request.url.netloc == self._hat.netloc and request.url.path == MOVED:
            return httpx.Response(307, headers={"Location": self._target})
        return self._network.handle_request(request)

    def close(self) -> None:
        self._network.close()


@pytest.fixture
def hat_b() -> Iterator[Sandbox]:
    """A second HAT."""
    sandbox = Sandbox()
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def test_a_redirect_to_another_hat_arrives_there_without_the_token(
    hat_sandbox: Sandbox, hat_b: Sandbox, token: AppToken
) -> None:
    wire = _Wire(hat_sandbox.url, hat_b.url + MOVED)
    http = httpx.Client(transport=wire, follow_redirects=True)
    with (
        http,
        HatClient(token, NAMESPACE, http_client=http, max_retries=0) as client,
        contextlib.suppress(HatError),  # whatever B answers, only what was sent matters here
    ):
        client.get(Note, "moved")
    to_b = [r for r in wire.sent if r.url.netloc == httpx.URL(hat_b.url).netloc]
    assert to_b, "the redirect must have been followed to HAT B"
    assert [entry.path for entry in hat_b.request_log] == [MOVED] * len(to_b)
    assert all("X-Auth-Token" not in request.headers for request in to_b)


def test_a_redirect_within_the_hat_keeps_the_token(hat_sandbox: Sandbox, token: AppToken) -> None:
    wire = _Wire(hat_sandbox.url, f"{hat_sandbox.url}/api/v2.6/data/{NAMESPACE}/notes")
    http = httpx.Client(transport=wire, follow_redirects=True)
    with http, HatClient(token, NAMESPACE, http_client=http) as client:
        client.post(*notes(2))
        assert len(client.get(Note, "moved")) == 2


@pytest.mark.parametrize(
    "hat_url",
    [
        "http://example.com",
        "http://10.0.0.1:8080",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://[2001:db8::1]",
    ],
)
def test_plain_http_to_a_remote_host_is_refused(hat_url: str) -> None:
    with pytest.raises(ValueError, match="https"):
        ApiOwnerToken(SimpleCredential("alice", "pw"), hat_url=hat_url)
    # Allowed only when asked for explicitly.
    assert ApiOwnerToken(
        SimpleCredential("alice", "pw"), hat_url=hat_url, allow_insecure_http=True
    ).hat_url.startswith("http://")


@pytest.mark.parametrize("hat_url", ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"])
def test_plain_http_to_this_machine_is_allowed(hat_url: str) -> None:
    assert ApiOwnerToken(SimpleCredential("alice", "pw"), hat_url=hat_url).hat_url == hat_url


def test_web_login_token_from_a_remote_issuer_is_not_used_over_http(hat_sandbox: Sandbox) -> None:
    # A token naming a remote issuer is used only over https.
    value = owner_token(hat_sandbox).access_token()
    assert WebOwnerToken(value).hat_url == hat_sandbox.url  # loopback issuer: http is fine
    with pytest.raises(ValueError, match="https"):
        WebOwnerToken(value, hat_url="http://example.com")


PASSWORD = "Correct-Horse-9-Battery"


def test_secrets_never_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    with Sandbox(password=PASSWORD) as url:
        owner = ApiOwnerToken(SimpleCredential("sandbox", PASSWORD), hat_url=url)
        app = AppToken(owner, NAMESPACE)
        seen: set[str] = set()
        with HatClient(app, NAMESPACE) as client:
            client.post(*notes(3))
            seen.add(app.access_token())
            client.get(Note, "notes")
            client.put(*client.get(Note, "notes", GetOpts(take=1)))
            seen.update({app.access_token(), owner.access_token()})
    logged = caplog.text + "".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert "HTTP Request" in logged, "httpx must have logged, or the test proves nothing"
    assert PASSWORD not in logged
    assert not [token for token in seen if token in logged]
    assert "eyJ" not in logged  # nor any other JWT


OUTSIDER = SandboxApp("outsider", ("outsider",))


@pytest.fixture
def two_app_hat() -> Iterator[Sandbox]:
    """A HAT with the default app and an app that may not read its namespace."""
    sandbox = Sandbox(apps=[SandboxApp(NAMESPACE, (NAMESPACE,)), OUTSIDER])
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def test_the_cache_never_serves_one_tokens_records_to_another(
    two_app_hat: Sandbox, tmp_path: Path
) -> None:
    owner = owner_token(two_app_hat)
    reader, outsider = AppToken(owner, NAMESPACE), AppToken(owner, OUTSIDER.id)
    with HatClient(reader, NAMESPACE, cache_ttl=300, cache_dir=tmp_path) as client:
        client.post(*notes(2))
        assert len(client.get(Note, "notes")) == 2  # now cached for the reader
    with (
        HatClient(outsider, NAMESPACE, cache_ttl=300, cache_dir=tmp_path) as client,
        pytest.raises(LimitedTokenScopeError),
    ):
        client.get(Note, "notes")


def test_the_cache_on_disk_is_readable_by_its_user_only(token: AppToken, tmp_path: Path) -> None:
    folder = tmp_path / "cache"  # created by the client
    with HatClient(token, NAMESPACE, cache_ttl=300, cache_dir=folder) as client:
        client.post(*notes(2))
        client.get(Note, "notes")
    assert folder.stat().st_mode & 0o777 == 0o700
    databases = list(folder.glob("*.db"))  # the cached answers and their stamps
    assert len(databases) == 2
    assert all(path.stat().st_mode & 0o077 == 0 for path in databases), databases


def test_cache_files_left_open_to_others_are_closed_or_refused(
    token: AppToken, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "hat_sdk_http_cache.db"
    shared.touch(mode=0o666)
    shared.chmod(0o666)  # as another user's umask, or a careless copy, would leave it
    with HatClient(token, NAMESPACE, cache_ttl=300, cache_dir=tmp_path) as client:
        client.get(Note, "notes")
    assert shared.stat().st_mode & 0o077 == 0
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "hat_sdk_http_cache.db").symlink_to(tmp_path / "elsewhere.db")
    with pytest.raises(InvalidInputError, match="a link"):
        HatClient(token, NAMESPACE, cache_ttl=300, cache_dir=linked)
    assert not (tmp_path / "elsewhere.db").exists()
    monkeypatch.setattr(os, "getuid", lambda: shared.stat().st_uid + 1)  # as if another's
    with pytest.raises(InvalidInputError, match="owned by another user"):
        HatClient(token, NAMESPACE, cache_ttl=300, cache_dir=tmp_path)


def test_the_cache_never_serves_one_hats_records_for_another(
    hat_b: Sandbox, token: AppToken, tmp_path: Path
) -> None:
    with HatClient(token, NAMESPACE, cache_ttl=300, cache_dir=tmp_path) as client:
        client.post(*notes(2))
        assert len(client.get(Note, "notes")) == 2
    same_app_on_b = AppToken(owner_token(hat_b), NAMESPACE)
    with HatClient(same_app_on_b, NAMESPACE, cache_ttl=300, cache_dir=tmp_path) as client:
        assert client.get(Note, "notes") == []


INJECTIONS = [
    "../users",
    "notes/../../users",
    "notes?take=1",
    "notes#x",
    "notes%2F..",
    "notes%00",
    "n\u00f6tes",
    "notes\u2215x",  # a slash look-alike
    "no tes",
    " notes",
    "notes\n",
    "notes\t",
    "",
    "notes/",
    "/notes",
    "NOTES",
    "notes.json",
]


@pytest.mark.parametrize("bad", INJECTIONS)
def test_injection_through_endpoint_names_is_refused_before_any_request(
    hat_sandbox: Sandbox, token: AppToken, bad: str
) -> None:
    hat_sandbox.clear_request_log()
    with HatClient(token, NAMESPACE) as client:
        calls: list[Callable[[], object]] = [
            lambda: client.get(Note, bad),
            lambda: list(client.iter(Note, bad)),
            lambda: client.post(Note(endpoint=bad, serial=1, text="x")),
        ]
        for call in calls:
            with pytest.raises(InvalidInputError):
                call()
    assert hat_sandbox.request_log == []


@pytest.mark.parametrize("bad", INJECTIONS)
def test_injection_through_namespaces_is_refused_before_any_request(
    hat_sandbox: Sandbox, token: AppToken, bad: str
) -> None:
    hat_sandbox.clear_request_log()
    with pytest.raises(InvalidInputError):
        HatClient(token, bad)
    with HatClient(token, NAMESPACE) as client, pytest.raises(InvalidInputError):
        client.get(Note, f"{bad}/notes")
    assert hat_sandbox.request_log == []
