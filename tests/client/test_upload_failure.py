"""An upload whose content storage refuses says which file entry it leaves behind."""

from __future__ import annotations

import httpx
import pytest

from hat_sdk import AppToken, HatClient, HatError

from .conftest import NAMESPACE


def test_a_refused_upload_names_the_entry_left_uncompleted(token: AppToken) -> None:
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
                "contentUrl": "https://storage.example/testsa.txt?X-Amz-Signature=s",
            },
        )

    http = httpx.Client(transport=httpx.MockTransport(handle))
    with HatClient(token, NAMESPACE, http_client=http) as hat, pytest.raises(HatError) as refused:
        hat.files.upload(b"hello", name="a.txt", source="tests")
    assert "'testsa.txt' was created and stays uncompleted" in str(refused.value)
    assert "client.files.delete('testsa.txt')" in str(refused.value)
