"""An upload whose content cannot be stored says which file entry it leaves behind."""

from __future__ import annotations

import httpx
import pytest

from hat_sdk import AppToken, HatClient, HatError

from .conftest import NAMESPACE


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
        return httpx.Response(
            200,
            json={
                "fileId": "testsa.txt",
                "name": "a.txt",
                "source": "tests",
                **({"contentUrl": content_url} if content_url else {}),
            },
        )

    http = httpx.Client(transport=httpx.MockTransport(handle))
    with HatClient(token, NAMESPACE, http_client=http) as hat, pytest.raises(HatError) as refused:
        hat.files.upload(b"hello", name="a.txt", source="tests")
    assert problem in str(refused.value)
    assert "'testsa.txt' was created and stays uncompleted" in str(refused.value)
    assert "client.files.delete('testsa.txt')" in str(refused.value)
