"""Files (``client.files``): upload, metadata, search, access, download.

Content lives in storage (S3 in production) behind presigned URLs. Requests to those URLs are
sent without the HAT token: it is a different host, and must never see it.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import httpx

from hat_sdk._auth.origin import is_loopback
from hat_sdk._core.calls import answered, call, parsed, tried
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.limits import PROGRESS, TRANSFER
from hat_sdk._core.resource import ModeT, op
from hat_sdk._core.retry import surely_unsent
from hat_sdk._core.wire import CallOptions, Wire, json_bytes
from hat_sdk._generated.client.api.files import (
    FilesResource,
    route_complete_file,
    route_get_file_content,
    route_make_file_private,
    route_search_files,
    route_upload_file,
)
from hat_sdk._generated.models import ApiHatFile, ApiHatFileStatus, StoredFile
from hat_sdk.errors import (
    HatError,
    InvalidInputError,
    OutcomeUnknownError,
    OutcomeUnknownServerError,
    error_from_response,
    restated,
)
from hat_sdk.resources._content import FileSink, Progress, ProgressStream

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
        data: bytes | Path = bytes(content)
    elif isinstance(content, str | os.PathLike):
        data = Path(content)
        if not data.is_file():
            raise InvalidInputError(f"upload: {str(data)!r} is not a readable file")
    else:
        raise InvalidInputError(f"upload takes bytes or a file path, got {type(content).__name__}")
    if (len(data) if isinstance(data, bytes) else data.stat().st_size) == 0:
        # The HAT completes only a file of at least one byte (FileUploadServiceImpl.scala:63).
        raise InvalidInputError("upload: the content is empty, and the HAT keeps no empty file")
    return data


def _storage_target(given: str, base: httpx.URL | None = None) -> httpx.URL:
    """``given`` (relative to ``base``), the storage location the HAT gave, if file content
    may travel there: over https, or plain http to this machine (as for the HAT itself)."""
    try:
        url = httpx.URL(given) if base is None else base.join(given)
    except httpx.InvalidURL as invalid:
        raise HatError(f"The HAT gave a file storage URL that is not one ({invalid}).") from None
    if url.scheme != "https" and not (url.scheme == "http" and is_loopback(url.host)):
        raise HatError(
            f"The HAT gave a file storage URL over {url.scheme or 'no scheme'} to {url.host!r};"
            " hat-sdk sends and reads file content only over https (or http to this machine)."
        )
    return url


def _storage_failure(response: httpx.Response, what: str) -> HatError:
    if response.status_code == 404:
        return HatError.from_response(
            response,
            f"The file storage could not {what}: it holds no content for this file (deleted,"
            " or never uploaded). Check the file id with files.get.",
        )
    return HatError.from_response(
        response,
        f"The file storage refused to {what} (its presigned URL may have expired: they last 5"
        " minutes). Retry the whole operation.",
    )


def _uncompleted_note(file_id: str) -> str:
    """That the file's entry exists, uncompleted, and how to remove it."""
    return (
        f"The file's entry {file_id!r} was created and stays uncompleted: delete it with"
        f" client.files.delete({file_id!r}), then upload again."
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
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[StoredFile]:
    """Upload a file: announce it, send its bytes to storage, mark it completed.

    ``content`` is the bytes or a path (read in chunks); ``name`` defaults to the path's file
    name; ``content_type`` to a guess from the name. ``progress(sent, total)`` is called as
    bytes are sent. Returns the completed file (its ``file_id`` identifies it).

    ``timeout`` (seconds) and ``extra_headers`` apply to this call's requests to the HAT (the
    timeout to the storage requests too; there it bounds each network operation, not the whole
    transfer). If the content is not stored, the error (or a note on whatever stopped the
    upload) names the uncompleted entry left.
    """
    wire = wire.with_options(CallOptions(timeout, extra_headers))
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
    announced = yield from _announce(wire, metadata)
    try:
        yield from _store_content(wire, announced, data, media_type, progress)
    except HatError as failed:
        raise restated(failed, f"{failed.summary} {_uncompleted_note(announced.file_id)}") from None
    except GeneratorExit:
        raise
    except BaseException as stopped:  # e.g. the progress callback's error, or Ctrl-C
        stopped.add_note(_uncompleted_note(announced.file_id))
        raise
    return (
        yield from call(
            wire, route_complete_file(announced.file_id), StoredFile, operation="completeFile"
        )
    )


def _store_content(
    wire: Wire,
    announced: StoredFile,
    data: bytes | Path,
    media_type: str,
    progress: Progress | None,
) -> Operation[None]:
    """Send the file's content to the storage URL the HAT gave for it."""
    if announced.content_url is None:  # (its fileId is required: StoredFile)
        raise HatError("The HAT accepted the upload but sent no contentUrl to upload to.")
    stream = ProgressStream(data, progress)
    target = _storage_target(announced.content_url)
    put = wire.storage_request(
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
    )
    put.extensions[TRANSFER] = True
    stored = yield Call(put)
    if stored.response is not None and not stored.response.is_success:
        raise _storage_failure(stored.response, "store the file's content")
    answered(stored, "storeFileContent")


def _announce(wire: Wire, metadata: ApiHatFile) -> Operation[StoredFile]:
    """Create the file's entry (``uploadFile``). If the answer is lost after the request left,
    the entry may exist: look for it, and say so with what was found."""
    reply = yield Call(wire.request(route_upload_file(), json_bytes(metadata)))
    lost = reply.error is not None and not surely_unsent(reply.error)
    if not (lost or (reply.response is not None and reply.response.status_code >= 500)):
        return parsed(answered(reply, "uploadFile"), StoredFile)
    try:
        template = ApiHatFile(name=metadata.name, source=metadata.source)
        template.status = ApiHatFileStatus(status="New")
        found = yield from call(
            wire, route_search_files(), list[StoredFile], operation="searchFiles", body=template
        )
    except HatError:
        found = []
    answer = "was lost" if reply.response is None else f"was HTTP {reply.response.status_code}"
    summary = (
        f"The HAT's answer to creating the entry of file {metadata.name!r} {answer}, so it may"
        f" or may not exist. {len(found)} uncompleted entr(ies) with this name and source are on"
        " the HAT (see .records): delete them with client.files.delete(file_id), then upload"
        " again."
    )
    error = (
        OutcomeUnknownError(summary, operation="uploadFile", records=found)
        if reply.response is None
        else OutcomeUnknownServerError.from_response(
            reply.response, summary, operation="uploadFile", records=found
        )
    )
    raise tried(error, reply)


def _reporting(request: httpx.Request, progress: Progress | None) -> httpx.Request:
    """``request``, its answer's bytes reported to ``progress`` as they arrive."""
    if progress is not None:
        request.extensions[PROGRESS] = progress
    return request


def _stored_content(
    wire: Wire, file_id: str, sink: FileSink | None = None, progress: Progress | None = None
) -> Operation[httpx.Response]:
    """The answer holding the file's bytes (written to ``sink`` when given, else reported to
    ``progress`` as they arrive): the HAT redirects (303) to storage, which is asked without
    the token."""
    reply = yield Call(
        _reporting(wire.request(route_get_file_content(file_id)), progress), sink=sink
    )
    response = reply.response
    if response is None or not response.is_redirect:
        # an error, or a client that followed the redirect
        return answered(reply, "getFileContent")
    location = response.headers.get("location")
    if not location:
        raise error_from_response(response, operation="getFileContent")
    target = _storage_target(location, response.url)
    stored = yield Call(_reporting(wire.storage_request("GET", target), progress), sink=sink)
    if stored.response is not None and not stored.response.is_success:
        raise _storage_failure(stored.response, "send the file's content")
    return answered(stored, "getStoredFileContent")


def download(
    wire: Wire,
    file_id: str,
    *,
    progress: Progress | None = None,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[bytes]:
    """A file's content as bytes, in memory (public files, or files this token may read).
    Larger files than the client's ``max_response_bytes`` raise: use ``download_to``.
    ``progress(received, total)`` follows the bytes as they arrive (``total`` is 0 when storage
    does not say the size).

    ``timeout`` (seconds) and ``extra_headers`` apply to this call's requests.
    """
    wire = wire.with_options(CallOptions(timeout, extra_headers))
    return (yield from _stored_content(wire, file_id, progress=progress)).content


def download_to(
    wire: Wire,
    file_id: str,
    path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[Path]:
    """Write a file's content to ``path`` as it arrives, in bounded memory, whatever its size;
    returns the path. ``progress(received, total)`` follows the bytes written (``total`` is 0
    when storage does not say the size). The file appears at ``path`` only once complete
    (replacing any file there); until then it is ``<path>.part``.

    ``timeout`` (seconds) and ``extra_headers`` apply to this call's requests; the timeout
    bounds each read, not the whole transfer.
    """
    wire = wire.with_options(CallOptions(timeout, extra_headers))
    destination = Path(path)
    with FileSink(destination, progress) as sink:
        yield from _stored_content(wire, file_id, sink)
        sink.commit()
    return destination


def make_private(
    wire: Wire,
    file_id: str,
    *,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[StoredFile]:
    """Stop public downloads of the file's content.

    The HAT (v2.6) routes this to the same action as ``make_public`` by mistake, so the file
    stays public; this raises ``HatError`` when the answer shows the file still public,
    rather than report success.
    """
    file = yield from call(
        wire,
        route_make_file_private(file_id),
        StoredFile,
        operation="makeFilePrivate",
        options=CallOptions(timeout, extra_headers),
    )
    if file.content_public:
        raise HatError(
            f"The HAT left file {file_id!r} public: its restrictAccessPublic route makes files"
            " public (a known HAT server bug). Delete the file to stop sharing its content."
        )
    return file


class Files(FilesResource[ModeT]):
    """Files stored in the HAT, metadata in the HAT and content in storage (generated
    operations, plus the multi-step ``upload``, ``download`` and ``download_to``)."""

    upload = op(upload)
    download = op(download)
    download_to = op(download_to)
    make_private = op(make_private)
