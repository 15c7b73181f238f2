"""files.download reports its progress as the file's bytes arrive from storage, not after."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from hat_sdk import AppToken, HatClient

from .conftest import NAMESPACE

CHUNK = b"x" * 1000
CHUNKS = 4


def test_download_reports_progress_as_the_bytes_arrive(token: AppToken) -> None:
    sent_by_storage: list[int] = []
    seen: list[tuple[int, int, int]] = []  # (received, total, chunks storage had sent)

    def storage_body() -> Iterator[bytes]:
        for number in range(1, CHUNKS + 1):
            sent_by_storage.append(number)
            yield CHUNK

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "storage.example":
            assert "X-Auth-Token" not in request.headers
            length = str(len(CHUNK) * CHUNKS)
            return httpx.Response(200, headers={"Content-Length": length}, content=storage_body())
        assert request.url.path == "/api/v2.6/files/content/f1"
        return httpx.Response(303, headers={"Location": "https://storage.example/f1?sig=s"})

    http = httpx.Client(transport=httpx.MockTransport(handle))
    with HatClient(token, NAMESPACE, http_client=http) as hat:
        content = hat.files.download(
            "f1",
            progress=lambda received, total: seen.append((received, total, len(sent_by_storage))),
        )
    assert content == CHUNK * CHUNKS
    total = len(CHUNK) * CHUNKS
    assert seen[0] == (0, total, 0)
    assert seen[1:] == [(len(CHUNK) * n, total, n) for n in range(1, CHUNKS + 1)]
