"""Files (``client.files``): upload, metadata, search, access, download.

Content lives in storage (S3 in production) behind presigned URLs. Requests to those URLs are
sent without the HAT token: it is a different host, and must never see it.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from uuid import UUID

import httpx

from hat_sdk._core.answers import answered, fetch
from hat_sdk._core.area_errors import area_error
from hat_sdk._core.area_wire import ANONYMOUS, Wire, attrs_body
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.session import Area, ModeT, op
from hat_sdk._core.validation import InvalidInputError
from hat_sdk._generated.client.api.files import (
    allow_file_access,
    allow_files_access,
    complete_file,
    delete_file,
    get_file,
    get_file_content,
    make_file_private,
    make_file_public,
    restrict_file_access,
    restrict_files_access,
    search_files,
    update_file,
    upload_file,
)
from hat_sdk._generated.client.models import ApiHatFile as _FileBody
from hat_sdk._generated.models import ApiHatFile, ApiHatFileStatus
from hat_sdk.errors import HatError
from hat_sdk.resources._content import Progress, ProgressStream, report_chunks

__all__ = ["Files", "file_template"]

#: Storage refuses uploads without server-side encryption requested.
_SSE_HEADERS = {"x-amz-server-side-encryption": "AES256"}
FileStatus = Literal["New", "Initialized", "Completed", "Deleted"]


def file_template(
    name: str = "",
    source: str = "",
    *,
    tags: Sequence[str] | None = None,
    status: FileStatus | None = None,
    title: str | None = None,
    description: str | None = None,
) -> ApiHatFile:
    """A file search template: ``name``/``source``/``title``/``description`` match words
    (``""``: anything), ``tags`` must all be present, ``status`` matches exactly."""
    template = ApiHatFile(name=name, source=source)
    if tags is not None:
        template.tags = list(tags)
    if status is not None:
        template.status = ApiHatFileStatus(status=status)
    if title is not None:
        template.title = title
    if description is not None:
        template.description = description
    return template


def _content_of(content: bytes | str | os.PathLike[str]) -> bytes | Path:
    if isinstance(content, bytes | bytearray | memoryview):
        return bytes(content)
    if isinstance(content, str | os.PathLike):
        path = Path(content)
        if not path.is_file():
            raise InvalidInputError(f"upload: {str(path)!r} is not a readable file")
        return path
    raise InvalidInputError(f"upload takes bytes or a file path, got {type(content).__name__}")


def _storage_failure(response: httpx.Response, what: str) -> HatError:
    return HatError.from_response(
        response,
        f"The file storage refused to {what} (its presigned URL may have expired: they last 5"
        " minutes). Retry the whole operation.",
    )


def upload(
    wire: Wire,
    content: bytes | str | os.PathLike[str],
    *,
    source: str,
    name: str | None = None,
    tags: Sequence[str] = (),
    title: str | None = None,
    description: str | None = None,
    content_type: str | None = None,
    progress: Progress | None = None,
) -> Operation[ApiHatFile]:
    """Upload a file: announce it, send its bytes to storage, mark it completed.

    ``content`` is the bytes or a path (read in chunks); ``name`` defaults to the path's file
    name; ``content_type`` to a guess from the name. ``progress(sent, total)`` is called as
    bytes are sent. Returns the completed file (its ``file_id`` identifies it).
    """
    data = _content_of(content)
    if name is None:
        if isinstance(data, bytes):
            raise InvalidInputError("upload of bytes needs a name= (e.g. 'photo.jpg')")
        name = data.name
    media_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    metadata = ApiHatFile(name=name, source=source, content_type=media_type)
    if tags:
        metadata.tags = list(tags)
    if title is not None:
        metadata.title = title
    if description is not None:
        metadata.description = description
    kwargs = upload_file._get_kwargs(body=attrs_body(_FileBody, metadata))
    announced = yield from fetch(wire.request(kwargs, metadata), ApiHatFile)
    if announced.file_id is None or announced.content_url is None:
        raise HatError("The HAT accepted the upload but sent no fileId/contentUrl to upload to.")
    stream = ProgressStream(data, progress)
    target = httpx.URL(announced.content_url)
    put = httpx.Request(
        "PUT",
        target,
        headers={
            # httpx adds Host itself only to requests built without a stream.
            "Host": target.netloc.decode("ascii"),
            **_SSE_HEADERS,
            "Content-Type": media_type,
            "Content-Length": str(stream.size),
        },
        stream=stream,
        extensions={ANONYMOUS: True},
    )
    stored = yield Call(put)
    if stored.response is not None and not stored.response.is_success:
        raise _storage_failure(stored.response, "store the file's content")
    answered(stored)
    return (yield from complete(wire, announced.file_id))


def complete(wire: Wire, file_id: str) -> Operation[ApiHatFile]:
    """Mark a file completed once its bytes are in storage (``upload`` does this itself).
    Raises ``FileNotCompletedError`` if no content was uploaded."""
    return (yield from fetch(wire.request(complete_file._get_kwargs(file_id)), ApiHatFile))


def get(wire: Wire, file_id: str) -> Operation[ApiHatFile]:
    """A file's metadata (with a download ``content_url`` when completed and readable)."""
    return (yield from fetch(wire.request(get_file._get_kwargs(file_id)), ApiHatFile))


def search(wire: Wire, template: ApiHatFile | None = None) -> Operation[list[ApiHatFile]]:
    """The files matching ``template`` (see :func:`file_template`; None: every file)."""
    body = template if template is not None else file_template()
    kwargs = search_files._get_kwargs(body=attrs_body(_FileBody, body))
    return (yield from fetch(wire.request(kwargs, body), list[ApiHatFile]))


def update(wire: Wire, file: ApiHatFile) -> Operation[ApiHatFile]:
    """Save a file's changed ``name``, ``tags``, ``title`` and ``description`` (the file
    must carry its ``file_id``, as files returned by the HAT do)."""
    if file.file_id is None:
        raise InvalidInputError("update needs a file with file_id (one returned by the HAT)")
    kwargs = update_file._get_kwargs(file.file_id, body=attrs_body(_FileBody, file))
    return (yield from fetch(wire.request(kwargs, file), ApiHatFile))


def delete(wire: Wire, file_id: str) -> Operation[ApiHatFile]:
    """Delete a file's content (its metadata stays, with status ``Deleted``)."""
    return (yield from fetch(wire.request(delete_file._get_kwargs(file_id)), ApiHatFile))


def _content(wire: Wire, file_id: str) -> Operation[bytes]:
    """The file's bytes: the HAT redirects (303) to storage, which is asked without token."""
    reply = yield Call(wire.request(get_file_content._get_kwargs(file_id)))
    response = reply.response
    if response is None or not response.is_redirect:
        return answered(reply).content  # an error, or a client that followed the redirect
    location = response.headers.get("location")
    if not location:
        raise area_error(response)
    target = response.url.join(location)
    stored = yield Call(httpx.Request("GET", target, extensions={ANONYMOUS: True}))
    if stored.response is not None and not stored.response.is_success:
        raise _storage_failure(stored.response, "send the file's content")
    return answered(stored).content


def download(wire: Wire, file_id: str, *, progress: Progress | None = None) -> Operation[bytes]:
    """A file's content as bytes (public files, or files this token may read)."""
    content = yield from _content(wire, file_id)
    for _ in report_chunks(content, progress):
        pass
    return content


def download_to(
    wire: Wire,
    file_id: str,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
) -> Operation[Path]:
    """Write a file's content to ``path`` (replaced if it exists); returns the path."""
    destination = Path(path)
    content = yield from _content(wire, file_id)
    with destination.open("wb") as sink:
        for chunk in report_chunks(content, progress):
            sink.write(chunk)
    return destination


def make_public(wire: Wire, file_id: str) -> Operation[ApiHatFile]:
    """Let anyone download the file's content."""
    return (yield from fetch(wire.request(make_file_public._get_kwargs(file_id)), ApiHatFile))


def make_private(wire: Wire, file_id: str) -> Operation[ApiHatFile]:
    """Stop public downloads of the file's content.

    The HAT (v2.6) routes this to the same action as ``make_public`` by mistake, so the file
    stays public; this raises ``HatError`` when the answer shows the file still public,
    rather than report success.
    """
    request = wire.request(make_file_private._get_kwargs(file_id))
    file = yield from fetch(request, ApiHatFile)
    if file.content_public:
        raise HatError(
            f"The HAT left file {file_id!r} public: its restrictAccessPublic route makes files"
            " public (a known HAT server bug). Delete the file to stop sharing its content."
        )
    return file


def allow_access(
    wire: Wire, file_id: str, user_id: UUID, *, content: bool = True
) -> Operation[ApiHatFile]:
    """Let HAT user ``user_id`` see the file (and read its content if ``content``)."""
    kwargs = allow_file_access._get_kwargs(file_id, user_id, content=content)
    return (yield from fetch(wire.request(kwargs), ApiHatFile))


def restrict_access(wire: Wire, file_id: str, user_id: UUID) -> Operation[ApiHatFile]:
    """Take back user ``user_id``'s access to the file."""
    kwargs = restrict_file_access._get_kwargs(file_id, user_id)
    return (yield from fetch(wire.request(kwargs), ApiHatFile))


def allow_access_matching(
    wire: Wire, template: ApiHatFile, user_id: UUID, *, content: bool = True
) -> Operation[list[ApiHatFile]]:
    """Grant ``user_id`` access to every file matching ``template``; returns those files."""
    body = attrs_body(_FileBody, template)
    kwargs = allow_files_access._get_kwargs(user_id, body=body, content=content)
    return (yield from fetch(wire.request(kwargs, template), list[ApiHatFile]))


def restrict_access_matching(
    wire: Wire, template: ApiHatFile, user_id: UUID
) -> Operation[list[ApiHatFile]]:
    """Revoke ``user_id``'s access to every file matching ``template``."""
    body = attrs_body(_FileBody, template)
    kwargs = restrict_files_access._get_kwargs(user_id, body=body)
    return (yield from fetch(wire.request(kwargs, template), list[ApiHatFile]))


class Files(Area[ModeT]):
    """Files stored in the HAT (metadata in the HAT, content in storage)."""

    upload = op(upload)
    complete = op(complete)
    get = op(get)
    search = op(search)
    update = op(update)
    delete = op(delete)
    download = op(download)
    download_to = op(download_to)
    make_public = op(make_public)
    make_private = op(make_private)
    allow_access = op(allow_access)
    restrict_access = op(restrict_access)
    allow_access_matching = op(allow_access_matching)
    restrict_access_matching = op(restrict_access_matching)
