"""Read caching: hits make no request, writes invalidate, tokens never share entries."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from hat_sdk import ApiOwnerToken, AppToken, AsyncHatClient, HatClient
from hat_sdk.sandbox import Sandbox

from .conftest import Location, locations, requests_since


def test_hit_makes_no_request_and_writes_invalidate(
    token: AppToken, hat_sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with HatClient(token, "sandbox-app", cache_ttl=300) as hat:
        hat.post(*locations(3))
        first = hat.get(Location, "locations")
        mark = len(hat_sandbox.request_log)
        assert hat.get(Location, "locations") == first
        assert requests_since(hat_sandbox, mark) == []

        hat.post(Location(endpoint="locations", latitude=50, longitude=1))
        mark = len(hat_sandbox.request_log)
        assert len(hat.get(Location, "locations")) == 4
        assert len(requests_since(hat_sandbox, mark)) == 1

        hat.post(Location(endpoint="elsewhere", latitude=51, longitude=1))
        mark = len(hat_sandbox.request_log)
        hat.get(Location, "locations")  # another endpoint's write keeps this entry
        assert requests_since(hat_sandbox, mark) == []

        hat.delete(first[0].record_id or "")  # a bare id may be anywhere: drops all entries
        assert len(hat.get(Location, "locations")) == 3
    assert list(tmp_path.iterdir()) == []  # nothing written to disk without cache_dir


def test_different_options_are_different_entries(token: AppToken) -> None:
    from hat_sdk import GetOpts

    with HatClient(token, "sandbox-app", cache_ttl=300) as hat:
        hat.post(*locations(5))
        assert len(hat.get(Location, "locations", GetOpts(take=2))) == 2
        assert len(hat.get(Location, "locations", GetOpts(take=4))) == 4


def test_two_tokens_never_share_entries(
    token: AppToken, owner: ApiOwnerToken, hat_sandbox: Sandbox, tmp_path: Path
) -> None:
    with HatClient(token, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as app:
        assert app.get(Location, "locations") == []  # cached for the app token
        with HatClient(owner, "sandbox-app") as writer:
            writer.post(*locations(2))
        with HatClient(owner, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as other:
            mark = len(hat_sandbox.request_log)
            assert len(other.get(Location, "locations")) == 2
            assert len(requests_since(hat_sandbox, mark)) == 1
        assert app.get(Location, "locations") == []  # still its own (stale) entry
    stored = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert stored  # cache_dir is where the entries went
    assert b"eyJ" not in stored  # no token (JWTs start with eyJ) is written to disk


@pytest.mark.anyio
async def test_async_cache_hit(token: AppToken, hat_sandbox: Sandbox) -> None:
    async with AsyncHatClient(token, "sandbox-app", cache_ttl=300) as hat:
        await hat.post(*locations(2))
        first = await hat.get(Location, "locations")
        mark = len(hat_sandbox.request_log)
        assert await hat.get(Location, "locations") == first
        assert requests_since(hat_sandbox, mark) == []
        await hat.put(first[0].model_copy(update={"latitude": 40}))
        assert sorted(loc.latitude for loc in await hat.get(Location, "locations")) == [1, 40]


def test_no_presigned_url_is_written_to_the_cache(owner: ApiOwnerToken, tmp_path: Path) -> None:
    with HatClient(owner, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as hat:
        stored = hat.files.upload(b"hello", name="a.txt", source="tests")
        fetched = hat.files.get(stored.file_id)
        assert fetched.content_url is not None
        assert "X-Amz-Signature" in fetched.content_url
        hat.system.version()  # a cacheable read: the cache is in use
    written = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert written
    assert b"X-Amz-Signature" not in written


def test_no_session_cookie_is_written_to_the_cache(token: AppToken, tmp_path: Path) -> None:
    def answer(_request: httpx.Request) -> httpx.Response:
        cookie = "PLAY_SESSION=session-secret; Path=/; HttpOnly"
        return httpx.Response(200, json=[], headers={"Set-Cookie": cookie})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with HatClient(
        token, "sandbox-app", cache_ttl=300, cache_dir=tmp_path, http_client=http
    ) as hat:
        assert hat.get(Location, "locations") == []
    written = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert written
    assert b"session-secret" not in written


def test_cache_without_hishel_says_how_to_install(
    offline_token: AppToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "hishel.httpx", None)
    with pytest.raises(ImportError, match=r"hat-sdk\[cache\]"):
        HatClient(offline_token, "sandbox-app", cache_ttl=10)


def test_a_wrong_password_never_reads_what_a_right_one_cached(
    token: AppToken, hat_sandbox: Sandbox, tmp_path: Path
) -> None:
    from keyring.credentials import SimpleCredential

    from hat_sdk import WrongCredentialsError

    with HatClient(token, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as right:
        right.post(*locations(2))
        assert len(right.get(Location, "locations")) == 2  # now cached on disk
    impostor = ApiOwnerToken(
        SimpleCredential("sandbox", "not-the-password"), hat_url=hat_sandbox.url
    )
    for wrong in (impostor, AppToken(impostor, "sandbox-app")):
        with (
            HatClient(wrong, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as client,
            pytest.raises(WrongCredentialsError),
        ):
            client.get(Location, "locations")


def test_clients_sharing_a_cache_see_each_others_writes(token: AppToken, tmp_path: Path) -> None:
    with (
        HatClient(token, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as first,
        HatClient(token, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as second,
    ):
        saved = first.post(*locations(3))
        assert len(second.get(Location, "locations")) == 3  # cached by the second client
        first.delete(saved[0])
        assert len(second.get(Location, "locations")) == 2  # the first's delete is seen
        second.post(Location(endpoint="locations", latitude=9, longitude=9))
        assert len(first.get(Location, "locations")) == 3
        # Each client's own write is in its next read, whatever the other cached meanwhile.
        mine = first.post(Location(endpoint="locations", latitude=10, longitude=10))
        assert mine[0].record_id in {r.record_id for r in first.get(Location, "locations")}


def test_a_no_cache_read_asks_the_hat(owner: ApiOwnerToken, hat_sandbox: Sandbox) -> None:
    with HatClient(owner, "sandbox-app", cache_ttl=300) as hat:
        for _ in range(2):
            mark = len(hat_sandbox.request_log)
            hat.applications.get("spotify")
            hat.system.version()
        assert requests_since(hat_sandbox, mark) == []  # cached reads
        hat.applications.get("spotify", cache_control="no-cache")
        hat.system.version(extra_headers={"Cache-Control": "max-age=0, no-store"})
        paths = [entry.path for entry in hat_sandbox.request_log[mark:]]
        assert paths == ["/api/v2.6/applications/spotify", "/api/v2.6/version"]


def test_a_write_through_the_lowlevel_client_makes_cached_reads_stale(token: AppToken) -> None:
    from hat_sdk.lowlevel import api

    with HatClient(token, "sandbox-app", cache_ttl=300) as hat:
        hat.post(*locations(1))
        assert len(hat.get(Location, "locations")) == 1  # now cached
        saved = api.records.save_endpoint_data.sync_detailed(
            "sandbox-app", "locations", client=hat.lowlevel, body={"latitude": 9, "longitude": 9}
        )
        assert saved.status_code == 201
        assert len(hat.get(Location, "locations")) == 2


def test_clients_of_other_tokens_sharing_a_cache_dir_see_each_others_writes(
    token: AppToken, owner: ApiOwnerToken, tmp_path: Path
) -> None:
    with (
        HatClient(token, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as reader,
        HatClient(owner, "sandbox-app", cache_ttl=300, cache_dir=tmp_path) as writer,
    ):
        writer.post(*locations(1))
        assert len(reader.get(Location, "locations")) == 1  # now cached for the reader
        writer.post(Location(endpoint="locations", latitude=9, longitude=9))
        assert len(reader.get(Location, "locations")) == 2
