"""Files through client.files (sync and async) against the sandbox and its storage."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from hat_sdk import (
    ApiOwnerToken,
    AsyncHatClient,
    FileNotCompletedError,
    HatClient,
    HatError,
    InvalidInputError,
    NotFoundError,
)
from hat_sdk.queries import file_template
from hat_sdk.sandbox import Sandbox
from tests.areas.conftest import NAMESPACE, AnyClient, done, raises

pytestmark = pytest.mark.anyio

FIVE_MB = 5 * 1024 * 1024


class Progress:
    """Records progress callbacks."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, done_bytes: int, total: int) -> None:
        self.calls.append((done_bytes, total))

    def check(self, total: int) -> None:
        assert len(self.calls) > 1
        assert self.calls[-1] == (total, total)
        assert [d for d, _ in self.calls] == sorted(d for d, _ in self.calls)


async def test_five_megabytes_round_trip(hat: AnyClient, tmp_path: Path) -> None:
    content = os.urandom(FIVE_MB)
    source = tmp_path / "big.bin"
    source.write_bytes(content)
    sent, received, written = Progress(), Progress(), Progress()

    uploaded = await done(hat.files.upload(source, source="tests", tags=["big"], progress=sent))
    sent.check(FIVE_MB)
    assert uploaded.status is not None
    assert uploaded.status.status == "Completed"
    assert uploaded.status.size == FIVE_MB

    assert await done(hat.files.download(uploaded.file_id, progress=received)) == content
    received.check(FIVE_MB)
    target = await done(
        hat.files.download_to(uploaded.file_id, tmp_path / "copy.bin", progress=written)
    )
    assert target.read_bytes() == content
    written.check(FIVE_MB)


async def test_metadata_search_update_delete(hat: AnyClient) -> None:
    first = await done(hat.files.upload(b"one", name="one.txt", source="tests", tags=["a"]))
    await done(hat.files.upload(b"two", name="two.txt", source="tests", tags=["b"]))
    # The content type signs the upload URL but the server never stores it, so no answer
    # carries it (HAT2.0 dal/Tables.scala:2098-2109, dal/ModelTranslation.scala:140-157).
    assert first.content_type is None

    fetched = await done(hat.files.get(first.file_id))
    assert fetched.content_url is not None  # completed and readable: a download URL
    tagged = await done(hat.files.search(file_template(source="tests", tags=["a"])))
    assert [f.file_id for f in tagged] == [first.file_id]
    assert len(await done(hat.files.search(file_template()))) == 2

    renamed = await done(
        hat.files.update(first.file_id, fetched.model_copy(update={"title": "First file"}))
    )
    assert renamed.title == "First file"

    deleted = await done(hat.files.delete(first.file_id))
    assert deleted.status is not None
    assert deleted.status.status == "Deleted"


async def test_access_and_publicity(hat: AnyClient) -> None:
    uploaded = await done(hat.files.upload(b"shared", name="s.txt", source="tests"))
    assert uploaded.permissions
    owner_id = uploaded.permissions[0].user_id

    # A grant inserts a (file, user) permission and fails if one exists, so the uploader's own
    # permission goes first (HAT2.0 api/repository/FileMetadataRepositorySlick.scala:123-148).
    restricted = await done(hat.files.restrict_access(uploaded.file_id, owner_id))
    assert not restricted.permissions
    allowed = await done(hat.files.allow_access(uploaded.file_id, owner_id, content=False))
    assert allowed.permissions is not None
    assert [(p.user_id, p.content_readable) for p in allowed.permissions] == [(owner_id, False)]
    await done(hat.files.restrict_access(uploaded.file_id, owner_id))

    every = file_template(source="tests")
    granted = await done(hat.files.allow_access_matching(owner_id, every, content=True))
    assert [f.file_id for f in granted] == [uploaded.file_id]
    revoked = await done(hat.files.restrict_access_matching(owner_id, every))
    assert [f.file_id for f in revoked] == [uploaded.file_id]

    public = await done(hat.files.make_public(uploaded.file_id))
    assert public.content_public
    # The HAT's restrictAccessPublic route makes files public too: reported, not hidden.
    file_id = uploaded.file_id
    caught = await raises(HatError, lambda: hat.files.make_private(file_id))
    assert "public" in caught.value.summary


async def test_failures_are_typed(hat: AnyClient, hat_sandbox: Sandbox) -> None:
    await raises(NotFoundError, lambda: hat.files.get("no-such-file"))
    await raises(NotFoundError, lambda: hat.files.download("no-such-file"))
    announced = httpx.post(
        f"{hat_sandbox.url}/api/v2.6/files/upload",
        json={"name": "empty.txt", "source": "tests"},
        headers={"X-Auth-Token": hat.token.access_token()},
    ).json()
    caught = await raises(FileNotCompletedError, lambda: hat.files.complete(announced["fileId"]))
    assert caught.value.status_code == 400
    unnamed = await raises(InvalidInputError, lambda: hat.files.upload(b"x", source="tests"))
    assert "name=" in unnamed.value.summary
    # The HAT completes no empty file: refused before a file is announced and left behind.
    before = len(hat_sandbox.request_log)
    empty = await raises(
        InvalidInputError, lambda: hat.files.upload(b"", name="empty.txt", source="tests")
    )
    assert "empty" in empty.value.summary
    assert len(hat_sandbox.request_log) == before
    # Content gone from storage is not an expired URL: retrying would not help.
    deleted = await done(hat.files.upload(b"bye", name="gone.txt", source="tests"))
    await done(hat.files.delete(deleted.file_id))
    gone = await raises(HatError, lambda: hat.files.download(str(deleted.file_id)))
    assert "holds no content for this file" in gone.value.summary


def test_storage_never_sees_the_token(owner: ApiOwnerToken) -> None:
    seen: list[httpx.Request] = []
    with (
        httpx.Client(event_hooks={"request": [seen.append]}) as http,
        HatClient(owner, NAMESPACE, http_client=http) as client,
    ):
        uploaded = client.files.upload(b"secret-free", name="t.txt", source="tests")
        assert client.files.download(uploaded.file_id) == b"secret-free"
    storage = [r for r in seen if r.url.path.startswith("/sandbox-s3/")]
    assert [r.method for r in storage] == ["PUT", "GET"]
    assert all("x-auth-token" not in r.headers for r in storage)
    assert storage[0].headers["x-amz-server-side-encryption"] == "AES256"
    assert storage[0].headers["content-type"] == "text/plain"
    hat_calls = [r for r in seen if r.url.path.startswith("/api/")]
    assert all("x-auth-token" in r.headers for r in hat_calls)


@pytest.mark.anyio
async def test_storage_never_sees_the_token_async(owner: ApiOwnerToken) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    async with (
        httpx.AsyncClient(event_hooks={"request": [record]}) as http,
        AsyncHatClient(owner, NAMESPACE, http_client=http) as client,
    ):
        uploaded = await client.files.upload(b"async bytes", name="a.txt", source="tests")
        assert await client.files.download(uploaded.file_id) == b"async bytes"
    storage = [r for r in seen if r.url.path.startswith("/sandbox-s3/")]
    assert [r.method for r in storage] == ["PUT", "GET"]
    assert all("x-auth-token" not in r.headers for r in storage)
    assert all("x-auth-token" in r.headers for r in seen if r.url.path.startswith("/api/"))


def test_file_content_travels_only_over_https_or_to_this_machine(owner: ApiOwnerToken) -> None:
    # A HAT answering with a plain-http storage URL elsewhere: nothing is sent there.
    upstream = httpx.HTTPTransport()
    sent_elsewhere: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.host == "storage.example.com":
            sent_elsewhere.append(request)
            return httpx.Response(200)
        answer = upstream.handle_request(request)
        if request.url.path == "/api/v2.6/files/upload":
            answer.read()
            announced = {**answer.json(), "contentUrl": "http://storage.example.com/f?sig=x"}
            return httpx.Response(200, json=announced)
        return answer

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        HatClient(owner, NAMESPACE, http_client=http) as client,
        pytest.raises(HatError, match="only over https"),
    ):
        client.files.upload(b"private", name="p.txt", source="tests")
    assert sent_elsewhere == []
