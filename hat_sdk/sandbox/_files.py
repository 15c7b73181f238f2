"""File metadata (``ApiHatFile``), file ids, search templates and presigned URLs. Pure.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/service/FileUploadServiceImpl.scala``,
``hat/app/org/hatdex/hat/api/repository/FileMetadataRepositorySlick.scala``; [MODELS]
``src/main/scala/org/hatdex/hat/api/models/ApiHatFile.scala``.

The real HAT stores content in S3 and hands out presigned URLs; the sandbox serves an S3-like
endpoint itself (``/sandbox-s3/<fileId>``) whose URLs carry an HMAC signature and expiry.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from hat_sdk.sandbox._dates import iso_datetime, parse_datetime

Json = Any

S3_PREFIX = "/sandbox-s3"
URL_LIFETIME_SECONDS = 300
SSE_HEADER = "x-amz-server-side-encryption"
SSE_VALUE = "AES256"


@dataclass(frozen=True)
class FilePermission:
    """A user's access to a file."""

    user_id: str
    content_readable: bool

    def to_json(self) -> dict[str, Json]:
        """The ``{"userId", "contentReadable"}`` form."""
        return {"userId": self.user_id, "contentReadable": self.content_readable}


@dataclass(frozen=True)
class HatFile:
    """Stored file metadata. ``status`` is the ``{"status": ...}`` JSON object."""

    file_id: str
    name: str
    source: str
    date_created: datetime
    last_updated: datetime
    status: dict[str, Json]
    tags: tuple[str, ...] | None = None
    title: str | None = None
    description: str | None = None
    source_url: str | None = None
    content_type: str | None = None
    content_public: bool = False
    permissions: tuple[FilePermission, ...] = ()

    @property
    def completed(self) -> bool:
        """Whether the upload was completed (content available)."""
        return self.status.get("status") == "Completed"

    def to_json(self, *, content_url: str | None = None) -> dict[str, Json]:
        """The ``ApiHatFile`` JSON (absent options omitted).

        ``contentType`` only signs the upload URL: the server's file table has no column for
        it, so answers never carry it (HAT2.0 dal/Tables.scala:2098-2109,
        dal/ModelTranslation.scala:140-157).
        """
        out: dict[str, Json] = {
            "fileId": self.file_id,
            "name": self.name,
            "source": self.source,
            "dateCreated": iso_datetime(self.date_created),
            "lastUpdated": iso_datetime(self.last_updated),
        }
        optional = {
            "tags": list(self.tags) if self.tags is not None else None,
            "title": self.title,
            "description": self.description,
            "sourceURL": self.source_url,
            "status": self.status,
            "contentUrl": content_url,
        }
        out.update({key: value for key, value in optional.items() if value is not None})
        out["contentPublic"] = self.content_public
        out["permissions"] = [p.to_json() for p in self.permissions]
        return out

    def with_permission(self, user_id: str, content_readable: bool) -> HatFile:
        """Grant (or re-grant) ``user_id`` access."""
        others = tuple(p for p in self.permissions if p.user_id != user_id)
        return replace(self, permissions=(*others, FilePermission(user_id, content_readable)))

    def without_permission(self, user_id: str) -> HatFile:
        """Revoke ``user_id``'s access."""
        return replace(self, permissions=tuple(p for p in self.permissions if p.user_id != user_id))


@dataclass(frozen=True)
class FileTemplate:
    """A parsed ``ApiHatFile`` request body (upload, update or search template)."""

    name: str
    source: str
    date_created: datetime | None = None
    last_updated: datetime | None = None
    tags: tuple[str, ...] | None = None
    title: str | None = None
    description: str | None = None
    source_url: str | None = None
    status: dict[str, Json] | None = None
    content_type: str | None = None
    file_id: str | None = None
    permissions: tuple[FilePermission, ...] | None = None

    def content_readable_by(self, user_id: str) -> bool:
        """Whether the template's own status and permissions grant ``user_id`` the content.

        updateFile checks access on the request body, not the stored file (HAT2.0
        FileUploadServiceImpl.scala l.80-83).
        """
        completed = (self.status or {}).get("status") == "Completed"
        granted = any(p.user_id == user_id and p.content_readable for p in self.permissions or ())
        return completed and granted


class FileBodyError(Exception):
    """The body is not an ``ApiHatFile``; ``errors`` is a Play ``JsError`` JSON object."""

    def __init__(self, errors: dict[str, Json]) -> None:
        super().__init__("invalid ApiHatFile")
        self.errors = errors


_STATUSES = ("New", "Initialized", "Completed", "Deleted")


def _error(errors: dict[str, Json], key: str, message: str) -> None:
    errors[f"obj.{key}"] = [{"msg": [message], "args": []}]


def _optional_str(body: dict[str, Json], key: str, errors: dict[str, Json]) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        _error(errors, key, "error.expected.jsstring")
        return None
    return value


def _optional_date(body: dict[str, Json], key: str, errors: dict[str, Json]) -> datetime | None:
    if body.get(key) is None:
        return None
    parsed = parse_datetime(body[key])
    if parsed is None:
        _error(errors, key, "error.expected.jodadate.format")
    return parsed


def _tags(body: dict[str, Json], errors: dict[str, Json]) -> tuple[str, ...] | None:
    tags = body.get("tags")
    if tags is None:
        return None
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        _error(errors, "tags", "error.expected.jsarray")
        return None
    return tuple(tags)


def _status(body: dict[str, Json], errors: dict[str, Json]) -> dict[str, Json] | None:
    status = body.get("status")
    if status is None:
        return None
    if not isinstance(status, dict) or status.get("status") not in _STATUSES:
        _error(errors, "status", "error.expected.jsobject")
        return None
    size = status.get("size")
    if size is None and status["status"] == "Completed":
        # HatFileStatus.Completed(size: Long) (hat-client-scala-play models/ApiHatFile.scala:36-39)
        _error(errors, "status.size", "error.path.missing")
        return None
    if size is not None and (
        isinstance(size, bool) or not isinstance(size, int) or not -(2**63) <= size < 2**63
    ):
        _error(errors, "status.size", "error.expected.long")
        return None
    return dict(status)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _check_unused_fields(body: dict[str, Json], errors: dict[str, Json]) -> None:
    """Fields of ``ApiHatFile`` no column of :class:`FileTemplate` validates on the way."""
    _optional_str(body, "fileId", errors)
    _optional_str(body, "contentUrl", errors)
    public = body.get("contentPublic")
    if public is not None and not isinstance(public, bool):
        _error(errors, "contentPublic", "error.expected.jsboolean")
    permissions = body.get("permissions")
    if permissions is None:
        return
    if not isinstance(permissions, list):
        _error(errors, "permissions", "error.expected.jsarray")
        return
    for index, permission in enumerate(permissions):
        valid = (
            isinstance(permission, dict)
            and isinstance(permission.get("userId"), str)
            and _is_uuid(permission["userId"])
            and isinstance(permission.get("contentReadable"), bool)
        )
        if not valid:
            _error(errors, f"permissions[{index}]", "error.expected.jsobject")


def parse_file_template(body: Json) -> FileTemplate:
    """Parse an ``ApiHatFile`` body (``name`` and ``source`` required); raises FileBodyError."""
    if not isinstance(body, dict):
        raise FileBodyError({"obj": [{"msg": ["error.expected.jsobject"], "args": []}]})
    errors: dict[str, Json] = {}
    required: dict[str, str] = {}
    for key in ("name", "source"):
        if key not in body:
            _error(errors, key, "error.path.missing")
        elif not isinstance(body[key], str):
            _error(errors, key, "error.expected.jsstring")
        else:
            required[key] = body[key]
    template = FileTemplate(
        name=required.get("name", ""),
        source=required.get("source", ""),
        date_created=_optional_date(body, "dateCreated", errors),
        last_updated=_optional_date(body, "lastUpdated", errors),
        tags=_tags(body, errors),
        title=_optional_str(body, "title", errors),
        description=_optional_str(body, "description", errors),
        source_url=_optional_str(body, "sourceURL", errors),
        status=_status(body, errors),
        content_type=_optional_str(body, "contentType", errors),
    )
    _check_unused_fields(body, errors)
    if errors:
        raise FileBodyError(errors)
    permissions = body.get("permissions")
    return replace(
        template,
        file_id=body.get("fileId"),
        permissions=None
        if permissions is None
        else tuple(
            FilePermission(str(uuid.UUID(p["userId"])), p["contentReadable"]) for p in permissions
        ),
    )


def _slug(text: str) -> str:
    # HAT2.0 utils/Slugs.scala:28-35: NFD, drop every character but [A-Za-z0-9_] and spaces
    # (so "-" and "." go too), each space becomes "-", lower case.
    decomposed = unicodedata.normalize("NFD", text)
    return re.sub(r"[^A-Za-z0-9_ ]", "", decomposed).replace(" ", "-").lower()


def file_id_for(source: str, name: str, taken: Callable[[str], bool]) -> str:
    """The server's file id: ``slug(source + name)`` with the slugged extension split off.

    HAT2.0 api/repository/FileMetadataRepositorySlick.scala:46-75 and utils/Slugs.scala:37-57:
    the extension is the text after the name's last ".", a taken id gets ``-N`` (``taken``
    tells used ids) before the extension.
    """
    extension = name.rsplit(".", 1)[1] if "." in name else None
    suffix = "" if extension is None else f".{_slug(extension)}"
    base = _slug(source + name).removesuffix(suffix.removeprefix("."))
    candidate, counter = base + suffix, 1
    while taken(candidate):
        candidate = f"{base}-{counter}{suffix}"
        counter += 1
    return candidate


def new_file(file_id: str, template: FileTemplate, owner_id: str, now: datetime) -> HatFile:
    """A freshly announced upload: status New, private, readable by the uploader."""
    return HatFile(
        file_id=file_id,
        name=template.name,
        source=template.source,
        date_created=template.date_created or now,
        last_updated=now,  # every save stamps it (FileMetadataRepositorySlick.scala:77-91)
        status={"status": "New"},
        tags=template.tags,
        title=template.title,
        description=template.description,
        source_url=template.source_url,
        content_type=template.content_type,
        permissions=(FilePermission(owner_id, True),),
    )


def updated_file(file: HatFile, template: FileTemplate, now: datetime) -> HatFile:
    """Apply an update body: name, tags, title and description are replaced, lastUpdated is now.

    The body's ``lastUpdated`` is ignored (HAT2.0 FileUploadServiceImpl.scala l.84-90).
    """
    return replace(
        file,
        name=template.name,
        last_updated=now,
        tags=template.tags,
        title=template.title,
        description=template.description,
    )


_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _text_matches(wanted: str, actual: str | None) -> bool:
    # Postgres `to_tsvector(actual) @@ plainto_tsquery(wanted)`, approximated by whole words
    # (no stemming); a query without words matches nothing.
    words = _words(wanted)
    return bool(words) and actual is not None and words <= _words(actual)


def matches_template(file: HatFile, template: FileTemplate) -> bool:
    """Search semantics of HAT2.0 FileMetadataRepositorySlick.findFilesQuery (l.186-205).

    ``name`` and ``source`` match by words, ``""`` matching any; a given ``title`` or
    ``description`` matches by words too, so ``""`` matches nothing; ``status`` exactly;
    ``tags`` as a subset.
    """
    if template.status is not None and template.status.get("status") != file.status.get("status"):
        return False
    if template.tags and not set(template.tags) <= set(file.tags or ()):
        return False
    always = all(
        not wanted or _text_matches(wanted, actual)
        for wanted, actual in ((template.name, file.name), (template.source, file.source))
    )
    return always and all(
        wanted is None or _text_matches(wanted, actual)
        for wanted, actual in (
            (template.title, file.title),
            (template.description, file.description),
        )
    )


# --- presigned URLs ------------------------------------------------------------------------


def _signature(secret: str, method: str, file_id: str, expires: int) -> str:
    message = f"{method}\n{file_id}\n{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def presigned_url(base_url: str, secret: str, method: str, file_id: str, now: datetime) -> str:
    """An S3-style presigned URL for ``method`` on ``file_id``, valid for five minutes."""
    expires = int(now.timestamp()) + URL_LIFETIME_SECONDS
    signed_headers = f"host;{SSE_HEADER}" if method == "PUT" else "host"
    query = {
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Date": now.strftime("%Y%m%dT%H%M%SZ"),
        "X-Amz-SignedHeaders": signed_headers,
        "X-Amz-Expires": str(URL_LIFETIME_SECONDS),
        "X-Sandbox-Expires-At": str(expires),
        "X-Amz-Signature": _signature(secret, method, file_id, expires),
    }
    return f"{base_url.rstrip('/')}{S3_PREFIX}/{quote(file_id)}?{urlencode(query)}"


def signature_valid(
    secret: str, method: str, file_id: str, query: dict[str, str], now: datetime
) -> bool:
    """Whether a presigned URL's query authorises ``method`` on ``file_id`` at ``now``."""
    expires_text = query.get("X-Sandbox-Expires-At", "")
    if not expires_text.isdigit() or int(expires_text) < int(now.timestamp()):
        return False
    expected = _signature(secret, method, file_id, int(expires_text))
    return hmac.compare_digest(expected, query.get("X-Amz-Signature", ""))


def s3_error(code: str, message: str) -> str:
    """An S3 XML error document."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
