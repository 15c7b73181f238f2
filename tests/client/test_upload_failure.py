"""An upload whose content cannot be stored says which file entry it leaves behind; a
download that could not be written anywhere sends nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from hat_sdk import AppToken, AsyncHatClient, HatClient, HatError, InvalidInputError

from .conftest import NAMESPACE


def _announced(content_url: str | None) -> httpx.Response:
    """The HAT's answer to the upload's first step: the file's entry, and where to send it."""
    entry = {"fileId": "testsa.txt", "name": "a.txt", "source": "tests"}
    return httpx.Response(
        200, json={**entry, **({"contentUrl": content_url} if content_url else {})}
    )


@pytest.mark.parametrize(
    ("content_url", "problem"),
    [
        ("https://storage.example/testsa.txt?X-Amz-Signature=s", "refused to store"),
        ("https://[::1/testsa.txt", "not one"),
        ("ftp://storage.example/testsa.txt", "only over https"),
        (None, "no contentUrl"),
    ],
    ids=["refused", "not-a-url", "not-https", "none"],
)
def test_a_failed_upload_names_the_entry_left_uncompleted(
    token: AppToken, content_url: str | None, problem: str
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "storage.example":
            return httpx.Response(403, text="<Error><Code>AccessDenied</Code></Error>")
        assert request.url.path == "/api/v2.6/files/upload"
        return _announced(content_url)

    http = httpx.Client(transport=httpx.MockTransport(handle))
    with HatClient(token, NAMESPACE, http_client=http) as hat, pytest.raises(HatError) as refused:
        hat.files.upload(b"hello", name="a.txt", source="tests")
    assert problem in str(refused.value)
    assert "'testsa.txt' was created and stays uncompleted" in str(refused.value)
    assert "client.files.delete('testsa.txt')" in str(refused.value)


def _storage_accepting(request: httpx.Request) -> httpx.Response:
    if request.url.host == "storage.example":
        request.read()  # sending the content calls the progress callback
        return httpx.Response(200)
    return _announced("https://storage.example/testsa.txt")


def _stop(_sent: int, _total: int) -> None:
    raise RuntimeError("stopped by the user")


def test_an_upload_stopped_by_its_progress_callback_names_the_entry_left(token: AppToken) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_storage_accepting))
    with (
        HatClient(token, NAMESPACE, http_client=http) as hat,
        pytest.raises(RuntimeError, match="stopped by the user") as stopped,
    ):
        hat.files.upload(b"hello", name="a.txt", source="tests", progress=_stop)
    assert any("'testsa.txt' was created and stays" in note for note in stopped.value.__notes__)


@pytest.mark.anyio
async def test_an_async_upload_stopped_by_its_callback_names_the_entry_left(
    token: AppToken,
) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(_storage_accepting))
    with pytest.raises(RuntimeError, match="stopped by the user") as stopped:
        async with AsyncHatClient(token, NAMESPACE, http_client=http) as hat:
            await hat.files.upload(b"hello", name="a.txt", source="tests", progress=_stop)
    assert any("'testsa.txt' was created and stays" in note for note in stopped.value.__notes__)


@pytest.mark.parametrize("where", ["missing/a.txt", "", "folder"])
def test_download_to_a_place_no_file_can_be_written_sends_nothing(
    token: AppToken, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"nothing should be sent, got {request.url}")

    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    http = httpx.Client(transport=httpx.MockTransport(refuse))
    with (
        HatClient(token, NAMESPACE, http_client=http) as hat,
        pytest.raises(InvalidInputError, match="download_to"),
    ):
        hat.files.download_to("testsa.txt", where)


def test_an_upload_stopped_while_waiting_to_retry_names_the_entry_left(
    token: AppToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy_storage(request: httpx.Request) -> httpx.Response:
        if request.url.host == "storage.example":
            return httpx.Response(503, headers={"Retry-After": "1"})
        return _storage_accepting(request)

    def interrupted(_seconds: float) -> None:
        raise RuntimeError("interrupted while waiting")

    monkeypatch.setattr("hat_sdk._core.drivers.time.sleep", interrupted)
    http = httpx.Client(transport=httpx.MockTransport(busy_storage))
    with (
        HatClient(token, NAMESPACE, http_client=http) as hat,
        pytest.raises(RuntimeError, match="interrupted while waiting") as stopped,
    ):
        hat.files.upload(b"hello", name="a.txt", source="tests")
    assert any("'testsa.txt' was created and stays" in note for note in stopped.value.__notes__)
