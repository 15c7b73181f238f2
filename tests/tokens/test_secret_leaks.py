"""No secret leaves through an error's chain, a bad HAT URL, a redirect or a storage URL."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from urllib.parse import quote

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import (
    ApiOwnerToken,
    AppToken,
    HatClient,
    HatError,
    HatNotFoundError,
    WrongCredentialsError,
)
from hat_sdk._core.scrub import scrub_exception
from hat_sdk.errors import InvalidInputError, safe_url
from hat_sdk.sandbox import Sandbox
from hat_sdk.sandbox.pytest_plugin import SandboxFactory

PASSWORD = "correct horse+battery staple"
APP_TOKEN_PATH = "/api/v2.6/applications/sandbox-app/access-token"


def _reachable_text(root: object) -> Iterator[str]:
    """Every string reachable from ``root`` through exception chains, arguments, attributes,
    and the URLs and headers of httpx requests and responses."""
    seen: set[int] = set()
    pending: list[object] = [root]
    while pending:
        item = pending.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, str):
            yield item
        elif isinstance(item, bytes):
            yield item.decode("latin-1")
        elif isinstance(item, httpx.Request):
            yield str(item.url)
            pending += [*item.headers.raw]
        elif isinstance(item, httpx.Response):
            pending += [*item.headers.raw]
            pending.append(item._request)
        elif isinstance(item, tuple | list | set | frozenset):
            pending += list(item)
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, BaseException):
            yield str(item)
            yield repr(item)
            pending += [item.__cause__, item.__context__, *item.args, vars(item)]
            if isinstance(item, httpx.RequestError | httpx.HTTPStatusError):
                pending.append(item._request)


def _assert_hidden(error: BaseException, *secrets: str) -> None:
    texts = list(_reachable_text(error))
    assert any(isinstance(e, httpx.HTTPError) for e in _chain(error)), "no httpx cause to check"
    for secret in secrets:
        assert not [text for text in texts if secret in text]


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def _forwarding(answer: Callable[[httpx.Request], httpx.Response | None]) -> httpx.MockTransport:
    """A transport that lets ``answer`` reply (or raise), else sends the request on."""
    upstream = httpx.HTTPTransport()

    def handle(request: httpx.Request) -> httpx.Response:
        response = answer(request)
        if response is not None:
            return response
        request.read()
        forwarded = upstream.handle_request(request)
        forwarded.read()
        return httpx.Response(
            forwarded.status_code, headers=forwarded.headers, content=forwarded.content
        )

    return httpx.MockTransport(handle)


def _cut(path: str) -> Callable[[httpx.Request], None]:
    def cut(request: httpx.Request) -> None:
        if request.url.path == path:
            raise httpx.ConnectError("connection reset", request=request)

    return cut


def test_a_failed_login_chains_no_request_holding_the_password() -> None:
    with Sandbox(password=PASSWORD) as url:
        owner = ApiOwnerToken(SimpleCredential("sandbox", PASSWORD), hat_url=url)
        with (
            httpx.Client(transport=_forwarding(_cut("/users/access_token"))) as http,
            pytest.raises(HatError) as caught,
        ):
            owner.access_token(http)
    _assert_hidden(caught.value, PASSWORD, quote(PASSWORD, safe=""))  # sent URL-encoded


def test_a_failed_token_exchange_chains_no_request_holding_the_owners_token() -> None:
    with Sandbox(password=PASSWORD) as url:
        owner = ApiOwnerToken(SimpleCredential("sandbox", PASSWORD), hat_url=url)
        owner_value = owner.access_token()
        with (
            httpx.Client(transport=_forwarding(_cut(APP_TOKEN_PATH))) as http,
            pytest.raises(HatError) as caught,
        ):
            AppToken(owner, "sandbox-app").access_token(http)
    _assert_hidden(caught.value, PASSWORD, quote(PASSWORD, safe=""), owner_value)


def test_scrubbing_reaches_responses_and_the_whole_chain() -> None:
    signed = "https://bucket.example/f?X-Amz-Signature=5ecre7"
    request = httpx.Request("PUT", signed, headers={"Cookie": "session=c00kie"})
    response = httpx.Response(401, headers={"X-Auth-Token": "eyJrefreshed"}, request=request)
    status = httpx.HTTPStatusError("refused", request=request, response=response)
    try:
        try:
            raise status
        except httpx.HTTPStatusError:
            raise httpx.ReadError("then the line dropped", request=request) from None
    except httpx.ReadError as read_error:
        error = HatError("failed")
        error.__cause__ = read_error
    texts = list(_reachable_text(scrub_exception(error)))
    assert any("refused" in text for text in texts), "the walk must reach the whole chain"
    assert any("bucket.example/f" in text for text in texts)
    for secret in ("c00kie", "eyJrefreshed", "5ecre7"):
        assert not [text for text in texts if secret in text]


def test_scrubbing_leaves_the_live_request_intact() -> None:
    request = httpx.Request("GET", "https://alice.hubat.net/x", headers={"X-Auth-Token": "t0k"})
    error = httpx.ConnectError("down", request=request)
    assert scrub_exception(error) is error
    assert error.request.headers["X-Auth-Token"] == "<hidden>"
    assert request.headers["X-Auth-Token"] == "t0k"  # a retry may still send it


@pytest.mark.parametrize("app", [False, True], ids=["owner login", "app token exchange"])
def test_login_and_token_requests_never_follow_a_redirect(app: bool) -> None:
    elsewhere: list[httpx.Request] = []
    with Sandbox(password=PASSWORD) as url:
        owner = ApiOwnerToken(SimpleCredential("sandbox", PASSWORD), hat_url=url)
        if app:
            owner.access_token()
        moved = APP_TOKEN_PATH if app else "/users/access_token"

        def redirect(request: httpx.Request) -> httpx.Response | None:
            if request.url.host == "collector.example":
                elsewhere.append(request)
                return httpx.Response(200, json={"accessToken": "nothing"})
            if request.url.path == moved:
                location = "https://collector.example/steal?from=hat"
                return httpx.Response(302, headers={"Location": location})
            return None

        token = AppToken(owner, "sandbox-app") if app else owner
        transport = _forwarding(redirect)
        with (
            httpx.Client(transport=transport, follow_redirects=True) as http,
            pytest.raises(HatNotFoundError) as caught,
        ):
            token.access_token(http)
    assert elsewhere == []
    assert "redirect" in str(caught.value)
    assert "collector.example" in str(caught.value)
    assert "steal" not in str(caught.value)


@pytest.mark.parametrize(
    ("hat_url", "secret"),
    [
        ("https://bob:hunter2@bob.hubat.net", "hunter2"),
        ("https://bob.hubat.net/?token=eyJsecret", "eyJsecret"),
        ("https://bob.hubat.net/#access_token=abc123", "abc123"),
        ("bob:hunter2@bob.hubat.net", "hunter2"),
        ("http://bob:hun/ter2@127.0.0.1", "hun"),  # httpx's own reason would quote "hun"
    ],
)
def test_an_invalid_hat_url_is_explained_without_its_secrets(hat_url: str, secret: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        ApiOwnerToken(SimpleCredential("bob", "pw"), hat_url=hat_url)
    assert "Invalid HAT URL" in str(caught.value)
    assert "bob.hubat.net" in str(caught.value) or "127.0.0.1" in str(caught.value)
    assert not [text for text in _reachable_text(caught.value) if secret in text]


PRESIGNED = (
    "https://hat-files.s3.eu-west-1.amazonaws.com/alice/f1.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fs3&X-Amz-Date=20260101T000000Z"
    "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=5ecre7519"
)


def test_storage_urls_are_shown_without_signature_or_credential() -> None:
    shown = safe_url(PRESIGNED)
    assert "5ecre7519" not in shown
    assert "AKIAEXAMPLE" not in shown
    assert shown.startswith("https://hat-files.s3.eu-west-1.amazonaws.com/alice/f1.txt?")
    hat = "https://alice.hubat.net/api/v2.6/data/ns/e?skip=5&take=10&orderBy=a&token=eyJx"
    assert safe_url(hat) == hat.replace("token=eyJx", "token=<hidden>")


def test_a_file_upload_logs_no_storage_signature(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with Sandbox(password=PASSWORD) as url:
        owner = ApiOwnerToken(SimpleCredential("sandbox", PASSWORD), hat_url=url)
        with HatClient(owner, "sandbox-app") as client:
            client.files.upload(b"hello", name="hello.txt", source="tests")
    messages = [record.getMessage() for record in caplog.records]
    storage = [m for m in messages if "X-Amz-Signature" in m]
    assert storage, "the upload must have logged its storage request"
    assert not [m for m in storage if re.search(r"X-Amz-Signature=(?!<hidden>)", m)]


def test_the_low_level_login_sends_any_password_and_never_shows_it(
    hat_sandbox_factory: SandboxFactory,
) -> None:
    # The HAT URL-decodes the headers (Authentication.scala:204-205): a space, a `+`, a `%`
    # or a non-ASCII letter must arrive encoded, or the login fails or is not even sent.
    secret = "s3cret wörd+%62 "
    sandbox = hat_sandbox_factory(password=secret)
    owner = ApiOwnerToken("sandbox", password=secret, hat_url=sandbox.url)
    with HatClient(owner, "sandbox-app", max_retries=0) as client:
        assert client.auth.access_token(username="sandbox", password=secret).access_token
        with pytest.raises(HatError) as caught:
            client.auth.access_token(username="sandbox", password=secret + "x")
    assert not [text for text in _reachable_text(caught.value) if secret.strip() in text]


def test_a_password_the_server_echoes_is_not_kept_in_the_error() -> None:
    secret = "hunter2 wörd"
    sent = quote(secret, safe="")

    def echo(request: httpx.Request) -> httpx.Response:
        assert request.headers["password"] == sent
        return httpx.Response(
            500,
            json={"message": f"login of {secret}", "cause": sent, "details": [secret]},
            headers={"X-Echo": sent},
        )

    owner = ApiOwnerToken("sandbox", password=secret, hat_url="http://127.0.0.1:9")
    with (
        httpx.Client(transport=httpx.MockTransport(echo)) as http,
        pytest.raises(HatError) as caught,
    ):
        owner.access_token(http)
    assert caught.value.status_code == 500
    assert not [text for text in _reachable_text(caught.value) if secret in text or sent in text]
    assert "<hidden>" in str(caught.value)


def test_the_generated_login_keeps_an_echoed_password_out_of_its_error() -> None:
    secret = "hunter2 wörd"
    sent = quote(secret, safe="")

    def echo(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401, json={"error": "Not Authenticated", "message": f"no user with {sent}"}
        )

    owner = ApiOwnerToken("sandbox", password="other", hat_url="http://127.0.0.1:9")
    http = httpx.Client(transport=httpx.MockTransport(echo))
    with (
        HatClient(owner, "sandbox-app", http_client=http) as client,
        pytest.raises(WrongCredentialsError) as caught,
    ):
        client.auth.access_token(username="bob", password=secret)
    assert not [text for text in _reachable_text(caught.value) if secret in text or sent in text]


def test_models_holding_a_token_or_a_presigned_url_keep_it_out_of_their_repr() -> None:
    from hat_sdk.types import AccessToken, StoredFile

    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"
    token = AccessToken.model_validate(
        {"accessToken": jwt, "userId": "a08ef76a-ca8e-4505-ab41-d3c740d6f414"}
    )
    url = "https://bucket.example/f?X-Amz-Signature=s1gnature"
    file = StoredFile.model_validate({"fileId": "f", "name": "n", "source": "s", "contentUrl": url})
    assert jwt not in repr(token)
    assert "s1gnature" not in repr(file)
    assert token.access_token == jwt  # still there for whoever asks for it
    assert file.content_url == url


def test_a_low_level_call_raises_httpx_errors_without_the_token() -> None:
    from hat_sdk._generated.client.api.system import get_version

    def drop(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/api/v2.6/version":
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        return None

    with Sandbox() as url:
        owner = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=url)
        with (
            httpx.Client(transport=_forwarding(drop)) as http,
            HatClient(owner, "sandbox-app", http_client=http, max_retries=0) as client,
            pytest.raises(httpx.RemoteProtocolError) as caught,
        ):
            get_version.sync_detailed(client=client.lowlevel)
        token = owner.access_token()
    _assert_hidden(caught.value, token)
