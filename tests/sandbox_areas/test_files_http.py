"""HTTP tests: the files API and the S3 stand-in behind its presigned URLs.

Server source: dataswift/HAT2.0 ``hat/app/org/hatdex/hat/api/controllers/Files.scala`` and
``api/service/FileUploadServiceImpl.scala``.
"""

from __future__ import annotations

import os
import re
from typing import Any

import httpx
import pytest

from hat_sdk.sandbox import Sandbox

SSE = {"x-amz-server-side-encryption": "AES256"}
_ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _upload(owner: httpx.Client, **extra: Any) -> dict[str, Any]:
    body = {"name": "Holiday Photo.JPG", "source": "rumpel", "tags": ["holiday", "sea"], **extra}
    response = owner.post("/api/v2.6/files/upload", json=body)
    assert response.status_code == 200, response.text
    uploaded: dict[str, Any] = response.json()
    return uploaded


def _put(url: str, content: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.put(url, content=content, headers=headers, timeout=30)


def _uploaded_file(owner: httpx.Client, content: bytes = b"hello", **extra: Any) -> str:
    file = _upload(owner, **extra)
    headers = {**SSE, "Content-Type": extra.get("contentType", "application/octet-stream")}
    assert _put(file["contentUrl"], content, headers).status_code == 200
    completed = owner.put(f"/api/v2.6/files/file/{file['fileId']}/complete")
    assert completed.status_code == 200, completed.text
    file_id: str = file["fileId"]
    return file_id


def test_upload_announces_a_new_private_file(hat_sandbox: Sandbox, owner: httpx.Client) -> None:
    file = _upload(owner, contentType="image/jpeg")
    assert file["fileId"] == "rumpelholiday-photo.jpg"
    assert "contentType" not in file  # not stored by the server (dal/Tables.scala:2098-2109)
    assert file["status"] == {"status": "New"}
    assert file["contentPublic"] is False
    assert file["tags"] == ["holiday", "sea"]
    assert _ISO_MILLIS.match(file["dateCreated"])
    assert len(file["permissions"]) == 1
    assert file["permissions"][0]["contentReadable"] is True
    assert file["contentUrl"].startswith(f"{hat_sandbox.url}/sandbox-s3/rumpelholiday-photo.jpg?")
    assert "x-amz-server-side-encryption" in file["contentUrl"]
    # The same name again gets a unique id.
    assert _upload(owner)["fileId"] == "rumpelholiday-photo-1.jpg"


def test_round_trip_content(owner: httpx.Client) -> None:
    content = b"\x00\x01binary\xff" * 10
    file_id = _uploaded_file(owner, content, contentType="image/jpeg")
    file = owner.get(f"/api/v2.6/files/file/{file_id}").json()
    assert file["status"] == {"status": "Completed", "size": len(content)}
    redirect = owner.get(f"/api/v2.6/files/content/{file_id}")
    assert redirect.status_code == 303
    downloaded = httpx.get(redirect.headers["location"])
    assert downloaded.status_code == 200
    assert downloaded.content == content
    assert downloaded.headers["content-type"] == "image/jpeg"
    assert httpx.get(file["contentUrl"]).content == content


def test_storage_sends_content_as_stored_where_the_hat_gzips(owner: httpx.Client) -> None:
    # S3 never compresses; the HAT's own answers go through Play's GzipFilter.
    file_id = _uploaded_file(owner, b"compressible text " * 200, contentType="text/plain")
    file = owner.get(f"/api/v2.6/files/file/{file_id}", headers={"Accept-Encoding": "gzip"})
    assert file.headers["content-encoding"] == "gzip"
    stored = httpx.get(file.json()["contentUrl"], headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in stored.headers
    assert stored.headers["content-length"] == str(len(b"compressible text " * 200))


def test_five_megabyte_round_trip(owner: httpx.Client) -> None:
    content = os.urandom(5 * 1024 * 1024)
    file_id = _uploaded_file(owner, content)
    url = owner.get(f"/api/v2.6/files/file/{file_id}").json()["contentUrl"]
    assert httpx.get(url, timeout=30).content == content


def test_s3_put_enforces_signature_encryption_header_and_content_type(
    owner: httpx.Client,
) -> None:
    file = _upload(owner, contentType="text/plain")
    url = file["contentUrl"]
    no_sse = _put(url, b"x", {"Content-Type": "text/plain"})
    assert no_sse.status_code == 403
    assert "<Code>AccessDenied</Code>" in no_sse.text
    wrong_type = _put(url, b"x", {**SSE, "Content-Type": "image/png"})
    assert wrong_type.status_code == 403
    tampered = _put(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), b"x", SSE)
    assert tampered.status_code == 403
    assert _put(url, b"x", {**SSE, "Content-Type": "text/plain"}).status_code == 200


def test_complete_before_upload_and_unknown_file(owner: httpx.Client) -> None:
    file = _upload(owner)
    early = owner.put(f"/api/v2.6/files/file/{file['fileId']}/complete")
    assert early.status_code == 400
    assert early.json() == {
        "message": "File not available",
        "cause": "Not fully uploaded file can not be completed",
    }
    for method, path in [
        ("PUT", "/api/v2.6/files/file/nope/complete"),
        ("GET", "/api/v2.6/files/file/nope"),
        ("DELETE", "/api/v2.6/files/file/nope"),
        ("GET", "/api/v2.6/files/allowAccessPublic/nope"),
    ]:
        response = owner.request(method, path)
        assert response.status_code == 404, path
        assert response.json() == {"message": "No such file", "cause": "File nope not found"}


def test_content_is_404_without_access_until_public(
    owner: httpx.Client, anonymous: httpx.Client
) -> None:
    file_id = _uploaded_file(owner)
    hidden = anonymous.get(f"/api/v2.6/files/content/{file_id}")
    assert (hidden.status_code, hidden.content) == (404, b"")
    assert anonymous.get("/api/v2.6/files/content/nope").status_code == 404
    public = owner.get(f"/api/v2.6/files/allowAccessPublic/{file_id}")
    assert public.json()["contentPublic"] is True
    assert anonymous.get(f"/api/v2.6/files/content/{file_id}").status_code == 303


def test_restrict_access_public_also_makes_public_like_the_server(owner: httpx.Client) -> None:
    file_id = _uploaded_file(owner)
    response = owner.get(f"/api/v2.6/files/restrictAccessPublic/{file_id}")
    assert response.status_code == 200
    assert response.json()["contentPublic"] is True


def test_access_grants(owner: httpx.Client) -> None:
    file_id = _uploaded_file(owner)
    user_id = owner.get(f"/api/v2.6/files/file/{file_id}").json()["permissions"][0]["userId"]
    restricted = owner.get(f"/api/v2.6/files/restrictAccess/{file_id}/{user_id}")
    assert restricted.status_code == 200
    assert restricted.json()["permissions"] == []
    granted = owner.get(
        f"/api/v2.6/files/allowAccess/{file_id}/{user_id}", params={"content": "false"}
    )
    assert granted.json()["permissions"] == [{"userId": user_id, "contentReadable": False}]
    # Grants insert on the (fileId, userId) primary key: granting again fails, 500 for one file
    # and 400 for a pattern (api/repository/FileMetadataRepositorySlick.scala:123-148).
    again = owner.get(
        f"/api/v2.6/files/allowAccess/{file_id}/{user_id}", params={"content": "true"}
    )
    assert again.status_code == 500
    everything = {"name": "", "source": "rumpel"}
    allow_all = f"/api/v2.6/files/allowAccess/{user_id}"
    assert owner.post(allow_all, params={"content": "true"}, json=everything).status_code == 400
    bulk_restrict = owner.post(
        f"/api/v2.6/files/restrictAccess/{user_id}", json={"name": "", "source": ""}
    )
    assert [f["permissions"] for f in bulk_restrict.json()] == [[]]
    bulk = owner.post(allow_all, params={"content": "true"}, json=everything)
    assert bulk.status_code == 200
    assert [f["permissions"] for f in bulk.json()] == [
        [{"userId": user_id, "contentReadable": True}]
    ]


def test_access_grant_errors(owner: httpx.Client) -> None:
    file_id = _uploaded_file(owner)
    stranger = "00000000-0000-4000-8000-000000000000"
    # An unknown user fails the unrecovered `if user.isDefined` guard: a 500 (HAT2.0
    # hat/app/org/hatdex/hat/api/controllers/Files.scala:186, 213); the pattern grants answer 400.
    for path in (
        f"allowAccess/{file_id}/{stranger}?content=true",
        f"restrictAccess/{file_id}/{stranger}",
    ):
        unknown_user = owner.get(f"/api/v2.6/files/{path}")
        assert unknown_user.status_code == 500
        assert unknown_user.json()["error"] == "Internal Server error"
    pattern = owner.post(
        f"/api/v2.6/files/allowAccess/{stranger}?content=true", json={"name": "", "source": ""}
    )
    assert pattern.status_code == 400
    assert pattern.json() == {
        "message": "Could not grant access",
        "cause": "No such user or unexpected error while granting access",
    }
    missing_param = owner.get(f"/api/v2.6/files/allowAccess/{file_id}/{stranger}")
    assert missing_param.json() == {"error": "Bad Request", "message": "Missing parameter: content"}
    bad_uuid = owner.get(f"/api/v2.6/files/restrictAccess/{file_id}/not-a-uuid")
    assert bad_uuid.status_code == 400
    assert bad_uuid.json()["message"].startswith("Cannot parse parameter userId as UUID")


def test_update_search_and_delete(owner: httpx.Client) -> None:
    photo = _uploaded_file(owner)
    doc = _uploaded_file(owner, name="notes.txt", source="docs", tags=["work"])
    updated = owner.put(
        f"/api/v2.6/files/file/{photo}",
        json={"fileId": photo, "name": "Beach", "source": "rumpel", "title": "Sunny beach day"},
    )
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["title"]) == ("Beach", "Sunny beach day")
    assert "tags" not in updated.json()

    def search(template: dict[str, Any]) -> list[str]:
        response = owner.post("/api/v2.6/files/search", json={"name": "", "source": "", **template})
        assert response.status_code == 200
        return [f["fileId"] for f in response.json()]

    assert search({}) == sorted([photo, doc])
    assert search({"title": "beach"}) == [photo]
    assert search({"tags": ["work"]}) == [doc]
    assert search({"source": "docs", "status": {"status": "Completed", "size": 0}}) == [doc]
    assert search({"status": {"status": "New"}}) == []

    deleted = owner.delete(f"/api/v2.6/files/file/{doc}")
    assert deleted.status_code == 200
    assert deleted.json()["status"] == {"status": "Deleted"}
    # An owner token gets a presigned URL whatever the status (FileUploadServiceImpl.scala
    # l.96-112, l.225-237: isOwner short-cuts the Completed check); nothing is behind it now.
    content_url = owner.get(f"/api/v2.6/files/file/{doc}").json()["contentUrl"]
    assert httpx.get(content_url).status_code == 404
    assert search({"status": {"status": "Deleted"}}) == [doc]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"source": "x"}, "obj.name"),
        ({"name": "x"}, "obj.source"),
        # HatFileStatus.Completed(size: Long) (hat-client-scala-play models/ApiHatFile.scala:36-39)
        ({"name": "x", "source": "y", "status": {"status": "Completed"}}, "obj.status.size"),
    ],
)
def test_upload_validation(owner: httpx.Client, body: dict[str, Any], path: str) -> None:
    response = owner.post("/api/v2.6/files/upload", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bad Request",
        "message": {path: [{"msg": ["error.path.missing"], "args": []}]},
    }


def test_file_routes_need_tokens_and_rights(
    anonymous: httpx.Client, app_client: httpx.Client
) -> None:
    assert (
        anonymous.post("/api/v2.6/files/upload", json={"name": "a", "source": "b"}).status_code
        == 401
    )
    assert (
        app_client.post("/api/v2.6/files/upload", json={"name": "a", "source": "b"}).status_code
        == 403
    )


def test_update_uses_the_body_file_id(owner: httpx.Client) -> None:
    # FileUploadServiceImpl.update reads file.fileId of the body (api/service/
    # FileUploadServiceImpl.scala:74-94); Files.updateFile never uses the path id.
    photo = _uploaded_file(owner)
    updated = owner.put(
        "/api/v2.6/files/file/not-this-one",
        json={"fileId": photo, "name": "Beach", "source": "rumpel", "lastUpdated": "2001-01-01"},
    )
    assert updated.status_code == 200
    assert updated.json()["fileId"] == photo
    assert not updated.json()["lastUpdated"].startswith("2001")  # always set to now
    no_id = owner.put(f"/api/v2.6/files/file/{photo}", json={"name": "x", "source": "rumpel"})
    assert no_id.status_code == 400
    assert no_id.json() == {"message": "Error updating file", "cause": "Unexpected exception"}


def test_application_tokens_see_less_of_a_file(
    owner: httpx.Client, app_client: httpx.Client
) -> None:
    # Without managefiles an app token passes fileAccessAllowed through the owner's permission
    # only, never sees permissions, reads content once Completed, and cannot update
    # (FileUploadServiceImpl.scala:96-112, 143-152, 225-246).
    pending = _upload(owner)["fileId"]
    assert "contentUrl" in owner.get(f"/api/v2.6/files/file/{pending}").json()  # owner: any status
    as_app = app_client.get(f"/api/v2.6/files/file/{pending}").json()
    assert "permissions" not in as_app
    assert "contentUrl" not in as_app
    done = _uploaded_file(owner, name="done.txt")
    assert "contentUrl" in app_client.get(f"/api/v2.6/files/file/{done}").json()
    update = app_client.put(
        f"/api/v2.6/files/file/{done}", json={"fileId": done, "name": "x", "source": "rumpel"}
    )
    assert update.status_code == 404


def test_content_answer_refreshes_a_valid_token_even_for_public_files(owner: httpx.Client) -> None:
    # Files.getContent is a UserAwareAction (api/controllers/Files.scala:119-127).
    file_id = _uploaded_file(owner)
    owner.get(f"/api/v2.6/files/allowAccessPublic/{file_id}")
    response = owner.get(f"/api/v2.6/files/content/{file_id}", follow_redirects=False)
    assert response.status_code == 303
    assert "X-Auth-Token" in response.headers


@pytest.mark.parametrize(
    ("source", "name", "file_id"),
    [
        ("rumpel", "Holiday Photo.JPG", "rumpelholiday-photo.jpg"),
        ("my-app", "a  b-c.tar.gz", "myappa--bctar.gz"),
        ("src", ".bashrc", "src.bashrc"),
        ("src", "Crème brûlée", "srccreme-brulee"),
    ],
)
def test_file_ids_are_slugged_like_the_server(
    owner: httpx.Client, source: str, name: str, file_id: str
) -> None:
    # utils/Slugs.scala:28-35 keeps only [A-Za-z0-9_] and spaces, each space becoming "-";
    # FileMetadataRepositorySlick.scala:46-75 splits off the slugged last extension.
    assert _upload(owner, source=source, name=name)["fileId"] == file_id


def test_an_empty_title_in_a_search_matches_nothing(owner: httpx.Client) -> None:
    # findFilesQuery (api/repository/FileMetadataRepositorySlick.scala:186-205) skips only an
    # empty name or source; an empty title becomes an empty tsquery, which matches no row.
    _uploaded_file(owner, title="Sunny beach day")
    template = {"name": "", "source": ""}
    assert len(owner.post("/api/v2.6/files/search", json=template).json()) == 1
    with_title = owner.post("/api/v2.6/files/search", json={**template, "title": ""})
    assert with_title.json() == []


def test_every_save_stamps_last_updated(owner: httpx.Client) -> None:
    # FileMetadataRepositorySlick.save writes lastUpdated = now whatever the file says
    # (api/repository/FileMetadataRepositorySlick.scala:77-91); upload keeps dateCreated.
    old = "2001-01-01T00:00:00.000Z"
    announced = _upload(owner, dateCreated=old, lastUpdated=old)
    assert announced["dateCreated"] == old
    assert announced["lastUpdated"] != old
    deleted = owner.delete(f"/api/v2.6/files/file/{announced['fileId']}").json()
    assert deleted["lastUpdated"] >= announced["lastUpdated"]
