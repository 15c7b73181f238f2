"""Files API and the S3-like content endpoint its presigned URLs point to.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/Files.scala`` and
``hat/app/org/hatdex/hat/api/service/FileUploadServiceImpl.scala``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox._auth import (
    DATA_CREDIT,
    OWNER,
    Caller,
    Role,
    authenticate,
    authorize,
    hat_state,
    is_authorized,
    optional_caller,
)
from hat_sdk.sandbox._errors import HatHTTPError, bad_request, envelope_b, internal_error
from hat_sdk.sandbox._file_store import (
    all_files,
    delete_content,
    get_content,
    load_file,
    put_content,
    save_file,
)
from hat_sdk.sandbox._files import (
    S3_PREFIX,
    SSE_HEADER,
    SSE_VALUE,
    FileBodyError,
    FileTemplate,
    HatFile,
    file_id_for,
    matches_template,
    new_file,
    parse_file_template,
    presigned_url,
    s3_error,
    signature_valid,
    updated_file,
)
from hat_sdk.sandbox._http import json_body, json_response, parse_uuid, required_bool
from hat_sdk.sandbox._state import SandboxState
from hat_sdk.sandbox._user_store import user_exists

_MANAGE_FILES = Role("managefiles", "*")


async def _caller(request: Request, *, manage: bool, uploader: bool = False) -> Caller:
    """Authenticate; ``manage`` requires the owner (or an app allowed to manage files)."""
    caller = await authenticate(request)
    if manage:
        with_role = [DATA_CREDIT, OWNER] if uploader else [OWNER]
        authorize(request, caller, with_role=with_role, app_roles=[_MANAGE_FILES, OWNER])
    return caller


async def _template(request: Request) -> FileTemplate:
    try:
        return parse_file_template(await json_body(request))
    except FileBodyError as exc:
        raise bad_request(exc.errors) from None


def _no_such_file(file_id: str) -> HatHTTPError:
    return envelope_b(404, "No such file", f"File {file_id} not found")


def _existing(state: SandboxState, file_id: str) -> HatFile:
    file = load_file(state.store, file_id)
    if file is None:
        raise _no_such_file(file_id)
    return file


def _url(request: Request, method: str, file_id: str) -> str:
    state = hat_state(request)
    return presigned_url(str(request.base_url), state.instance_id, method, file_id, state.now())


# File access as HAT2.0 FileUploadServiceImpl.scala decides it (l.143-152, l.209-246). Every
# sandbox token is the owner user's, so "has permission" means the owner's own permission entry.


def _owner_or_manager(state: SandboxState, caller: Caller, source: str) -> bool:
    """``isOwnerOrCanManage``: an owner token, or an app granted ``managefiles:<source>``."""
    return is_authorized(state, caller, with_role=[OWNER], app_roles=[Role("managefiles", source)])


def _may_see(state: SandboxState, caller: Caller, file: HatFile) -> bool:
    """``fileAccessAllowed``: any permission entry, or owner/manager of the file's source."""
    permitted = any(p.user_id == caller.user_id for p in file.permissions)
    return permitted or _owner_or_manager(state, caller, file.source)


def _may_read(state: SandboxState, caller: Caller, file: HatFile, *, complete: bool = True) -> bool:
    """``fileContentAccessAllowed``: a granted, Completed file, or owner/any-manager."""
    granted = any(p.user_id == caller.user_id and p.content_readable for p in file.permissions)
    status_ok = file.completed or not complete
    return (status_ok and granted) or _owner_or_manager(state, caller, "*")


def _shown(request: Request, caller: Caller, file: HatFile) -> dict[str, object]:
    # contentUrl when the caller may read the content (the owner whatever the status);
    # permissions only for owner tokens (filePermissionsCleaned, l.239-246).
    state = hat_state(request)
    content_url = _url(request, "GET", file.file_id) if _may_read(state, caller, file) else None
    shown = file.to_json(content_url=content_url)
    if not is_authorized(state, caller, with_role=[OWNER], app_roles=[]):
        del shown["permissions"]
    return shown


def _visible(request: Request, caller: Caller, file_id: str) -> HatFile:
    """The file, if it exists and the caller may see it; 404 "No such file" otherwise."""
    state = hat_state(request)
    file = load_file(state.store, file_id)
    if file is None or not _may_see(state, caller, file):
        raise _no_such_file(file_id)
    return file


def _has_permission(file: HatFile, user_id: str) -> bool:
    return any(p.user_id == user_id for p in file.permissions)


def _known_user(state: SandboxState, user_id: str) -> None:
    # The single-file grants look the user up with a guard nothing recovers: a 500
    # (HAT2.0 Files.scala l.186 `user <- userService.getUser(userId) if user.isDefined`).
    if not user_exists(state, user_id):
        raise internal_error("no-such-user")


async def upload(request: Request) -> Response:
    """``POST /api/v2.6/files/upload``: announce a file; answers a presigned PUT URL."""
    template = await _template(request)  # the body parser runs before the token check
    caller = await _caller(request, manage=True, uploader=True)
    state = hat_state(request)
    with state.store.transaction():
        file_id = file_id_for(
            template.source, template.name, lambda i: load_file(state.store, i) is not None
        )
        file = new_file(file_id, template, caller.user_id, state.now())
        save_file(state.store, file)
    return json_response(file.to_json(content_url=_url(request, "PUT", file_id)))


async def complete(request: Request) -> Response:
    """``PUT /api/v2.6/files/file/{fileId}/complete``: mark an uploaded file Completed."""
    caller = await _caller(request, manage=True, uploader=True)
    state = hat_state(request)
    file_id: str = request.path_params["file_id"]
    with state.store.transaction():
        file = _existing(state, file_id)
        if not _may_read(state, caller, file, complete=False):
            raise _no_such_file(file_id)
        size = len(get_content(state.store, file_id) or b"")
        if size == 0:
            raise envelope_b(
                400, "File not available", "Not fully uploaded file can not be completed"
            )
        # Every save stamps lastUpdated (FileMetadataRepositorySlick.scala:77-91).
        file = replace(file, status={"status": "Completed", "size": size}, last_updated=state.now())
        save_file(state.store, file)
    return json_response(file.to_json())


async def get_file(request: Request) -> Response:
    """``GET /api/v2.6/files/file/{fileId}``: metadata (+ content URL when readable)."""
    caller = await _caller(request, manage=False)
    state = hat_state(request)
    file = _existing(state, request.path_params["file_id"])
    if not (_may_read(state, caller, file) or _may_see(state, caller, file)):
        raise envelope_b(
            404,
            "File not available",
            f"File {file.file_id} not available - unauthorised or incomplete",
        )
    return json_response(_shown(request, caller, file))


async def update_file(request: Request) -> Response:
    """``PUT /api/v2.6/files/file/{fileId}``: replace name, tags, title and description.

    The file is the one the body's ``fileId`` names; the path's is not used, and access is
    checked on the body (HAT2.0 FileUploadServiceImpl.scala l.74-94, Files.scala l.143-157).
    """
    template = await _template(request)
    caller = await _caller(request, manage=False)
    if template.file_id is None:
        raise envelope_b(400, "Error updating file", "Unexpected exception")
    state = hat_state(request)
    with state.store.transaction():
        file = load_file(state.store, template.file_id)
        readable = template.content_readable_by(caller.user_id)
        if file is None or not (readable or _owner_or_manager(state, caller, "*")):
            raise _no_such_file(template.file_id)
        file = updated_file(file, template, state.now())
        save_file(state.store, file)
    return json_response(file.to_json())


async def delete_file(request: Request) -> Response:
    """``DELETE /api/v2.6/files/file/{fileId}``: drop the content, status Deleted."""
    await _caller(request, manage=True)
    state = hat_state(request)
    with state.store.transaction():
        file = _existing(state, request.path_params["file_id"])
        delete_content(state.store, file.file_id)
        file = replace(file, status={"status": "Deleted"}, last_updated=state.now())
        save_file(state.store, file)
    return json_response(file.to_json())


async def search(request: Request) -> Response:
    """``POST /api/v2.6/files/search``: the visible files matching an ``ApiHatFile`` template."""
    template = await _template(request)
    caller = await _caller(request, manage=False)
    state = hat_state(request)
    found = [
        f
        for f in all_files(state.store)
        if matches_template(f, template) and _may_see(state, caller, f)
    ]
    return json_response([_shown(request, caller, f) for f in found])


async def content(request: Request) -> Response:
    """``GET /api/v2.6/files/content/{fileId}``: 303 to the content if public or permitted."""
    state = hat_state(request)
    caller = optional_caller(request)  # UserAwareAction: a valid token is refreshed in any case
    file = load_file(state.store, request.path_params["file_id"])
    permitted = caller is not None and file is not None and _may_read(state, caller, file)
    if file is None or not (file.content_public or permitted):
        return Response(status_code=404)
    return RedirectResponse(_url(request, "GET", file.file_id), status_code=303)


async def allow_access(request: Request) -> Response:
    """``GET /api/v2.6/files/allowAccess/{fileId}/{userId}?content=``."""
    user_id = parse_uuid("userId", request.path_params["user_id"])
    readable = required_bool(request, "content")
    caller = await _caller(request, manage=True)
    state = hat_state(request)
    with state.store.transaction():
        file = _visible(request, caller, request.path_params["file_id"])
        _known_user(state, user_id)
        if _has_permission(file, user_id):
            # A plain insert on the (fileId, userId) primary key, unrecovered: a 500 (HAT2.0
            # api/repository/FileMetadataRepositorySlick.scala:123-131, Files.scala:185-190).
            raise internal_error("hat_file_access_pkey")
        file = file.with_permission(user_id, readable)
        save_file(state.store, file)
    return json_response(file.to_json())


async def restrict_access(request: Request) -> Response:
    """``GET /api/v2.6/files/restrictAccess/{fileId}/{userId}``."""
    user_id = parse_uuid("userId", request.path_params["user_id"])
    caller = await _caller(request, manage=True)
    state = hat_state(request)
    with state.store.transaction():
        file = _visible(request, caller, request.path_params["file_id"])
        _known_user(state, user_id)
        file = file.without_permission(user_id)
        save_file(state.store, file)
    return json_response(file.to_json())


def _grant_failed() -> HatHTTPError:
    # The pattern grants answer every failure so (HAT2.0 Files.scala:276-288, 305-317).
    return envelope_b(
        400, "Could not grant access", "No such user or unexpected error while granting access"
    )


async def _change_matching(request: Request, readable: bool | None) -> Response:
    user_id = parse_uuid("userId", request.path_params["user_id"])
    template = await _template(request)
    await _caller(request, manage=True)
    state = hat_state(request)
    if not user_exists(state, user_id):
        raise _grant_failed()
    matching = [f for f in all_files(state.store) if matches_template(f, template)]
    if readable is not None and any(_has_permission(f, user_id) for f in matching):
        # forceInsertAll hits the (fileId, userId) primary key
        # (api/repository/FileMetadataRepositorySlick.scala:133-148).
        raise _grant_failed()
    changed = []
    with state.store.transaction():
        for file in matching:
            file = (
                file.without_permission(user_id)
                if readable is None
                else file.with_permission(user_id, readable)
            )
            save_file(state.store, file)
            changed.append(file.to_json())
    return json_response(changed)


async def allow_access_matching(request: Request) -> Response:
    """``POST /api/v2.6/files/allowAccess/{userId}?content=``: grant on every matching file."""
    readable = required_bool(request, "content")
    return await _change_matching(request, readable)


async def restrict_access_matching(request: Request) -> Response:
    """``POST /api/v2.6/files/restrictAccess/{userId}``: revoke on every matching file."""
    return await _change_matching(request, None)


async def make_public(request: Request) -> Response:
    """``GET /api/v2.6/files/allowAccessPublic|restrictAccessPublic/{fileId}``.

    Both routes make the file public: the real server's routes file passes ``public = true`` to
    both (a known server bug the sandbox reproduces on purpose).
    """
    caller = await _caller(request, manage=True)
    state = hat_state(request)
    with state.store.transaction():
        file = replace(
            _visible(request, caller, request.path_params["file_id"]),
            content_public=True,
            last_updated=state.now(),
        )
        save_file(state.store, file)
    return json_response(file.to_json())


def _s3_denied(code: str, message: str) -> Response:
    return Response(s3_error(code, message), status_code=403, media_type="application/xml")


def _signed(request: Request, method: str) -> bool:
    state = hat_state(request)
    return signature_valid(
        state.instance_id,
        method,
        request.path_params["file_id"],
        dict(request.query_params),
        state.now(),
    )


async def s3_put(request: Request) -> Response:
    """S3 stand-in: store the bytes of a presigned PUT (SSE header and content type enforced)."""
    if not _signed(request, "PUT"):
        return _s3_denied("SignatureDoesNotMatch", "The request signature is invalid or expired")
    if request.headers.get(SSE_HEADER) != SSE_VALUE:
        return _s3_denied("AccessDenied", f"Missing or wrong {SSE_HEADER} header")
    state = hat_state(request)
    file_id: str = request.path_params["file_id"]
    file = load_file(state.store, file_id)
    if file is not None and file.content_type is not None:
        sent = request.headers.get("content-type", "")
        if sent.split(";", 1)[0].strip() != file.content_type:
            return _s3_denied("SignatureDoesNotMatch", "Content-Type does not match the upload")
    body = await request.body()
    with state.store.transaction():
        put_content(state.store, file_id, body)
    return Response(status_code=200, headers={"ETag": f'"{hashlib.md5(body).hexdigest()}"'})


async def s3_get(request: Request) -> Response:
    """S3 stand-in: the bytes behind a presigned GET URL."""
    if not _signed(request, "GET"):
        return _s3_denied("SignatureDoesNotMatch", "The request signature is invalid or expired")
    state = hat_state(request)
    file_id: str = request.path_params["file_id"]
    data = get_content(state.store, file_id)
    if data is None:
        return Response(
            s3_error("NoSuchKey", "The specified key does not exist."),
            status_code=404,
            media_type="application/xml",
        )
    file = load_file(state.store, file_id)
    media_type = (file.content_type if file else None) or "application/octet-stream"
    return Response(data, media_type=media_type)


_FILES = "/api/v2.6/files"

routes: list[BaseRoute] = [
    Route(f"{_FILES}/upload", upload, methods=["POST"]),
    Route(f"{_FILES}/file/{{file_id}}/complete", complete, methods=["PUT"]),
    Route(f"{_FILES}/file/{{file_id}}", get_file, methods=["GET"]),
    Route(f"{_FILES}/file/{{file_id}}", update_file, methods=["PUT"]),
    Route(f"{_FILES}/file/{{file_id}}", delete_file, methods=["DELETE"]),
    Route(f"{_FILES}/search", search, methods=["POST"]),
    Route(f"{_FILES}/content/{{file_id}}", content, methods=["GET"]),
    Route(f"{_FILES}/allowAccess/{{file_id}}/{{user_id}}", allow_access, methods=["GET"]),
    Route(f"{_FILES}/restrictAccess/{{file_id}}/{{user_id}}", restrict_access, methods=["GET"]),
    Route(f"{_FILES}/allowAccess/{{user_id}}", allow_access_matching, methods=["POST"]),
    Route(f"{_FILES}/restrictAccess/{{user_id}}", restrict_access_matching, methods=["POST"]),
    Route(f"{_FILES}/allowAccessPublic/{{file_id}}", make_public, methods=["GET"]),
    Route(f"{_FILES}/restrictAccessPublic/{{file_id}}", make_public, methods=["GET"]),
    Route(f"{S3_PREFIX}/{{file_id}}", s3_put, methods=["PUT"]),
    Route(f"{S3_PREFIX}/{{file_id}}", s3_get, methods=["GET"]),
]
