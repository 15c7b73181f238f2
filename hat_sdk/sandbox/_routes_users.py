"""User management: ``/users/user`` (list, create) and ``/users/user/{userId}/...`` (update,
enable, disable, delete), all the ``/users/user`` routes of [HAT] ``hat/conf/routes``:6-7, 12-15.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/Users.scala``. Listing takes any valid
token (l.56-61); the others ``WithRole(Owner, Platform) || ContainsApplicationRole(Owner,
Platform)``, after the path binder and the ``User`` body parser. ``disable`` enables the user
and answers "Enabled", as the HAT's does (l.233-267: ``changeUserState(userId, enabled =
true)``); ``update`` enables the user too (l.168-169).
"""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox._auth import OWNER, PLATFORM, authenticate, authorize, hat_state
from hat_sdk.sandbox._errors import HatHTTPError, envelope_b, internal_error
from hat_sdk.sandbox._file_store import all_files
from hat_sdk.sandbox._http import json_body, json_response, parse_uuid
from hat_sdk.sandbox._state import SandboxState
from hat_sdk.sandbox._user_store import (
    UnstorableRoleError,
    delete_user,
    get_user,
    get_user_by_email,
    list_users,
    save_user,
)
from hat_sdk.sandbox._users import HatUser, parse_user

_PRIVILEGED = "Privileged account can not be enabled or disabled"


async def _manager(request: Request) -> SandboxState:
    caller = await authenticate(request)
    authorize(request, caller, with_role=[OWNER, PLATFORM], app_roles=[OWNER, PLATFORM])
    return hat_state(request)


def _no_such_user(user_id: str) -> HatHTTPError:
    return envelope_b(404, "No such User", f"User {user_id} does not exist")


def _existing(state: SandboxState, user_id: str) -> HatUser:
    """The user ``user_id``: 404 if there is none, 403 if it is privileged (l.130-155)."""
    user = get_user(state, user_id)
    if user is None:
        raise _no_such_user(user_id)
    if user.privileged:
        raise envelope_b(403, "Forbidden", _PRIVILEGED)
    return user


def _created(user: HatUser) -> Response:
    return json_response(user.to_json(), status=201)


async def list_all(request: Request) -> Response:
    """``GET /users/user``: every user, the owner included, ordered by user id."""
    await authenticate(request)
    return json_response([user.to_json() for user in list_users(hat_state(request))])


async def create(request: Request) -> Response:
    """``POST /users/user``: body ``User``; 201 with the user (l.71-121).

    400 ``ErrorMessage`` for a privileged role, an ``email`` (login name) already used, or a
    role the database refuses ("User not created: ..."). An existing user's id replaces that
    user, as the HAT's upsert does; the owner's id is refused, as the sandbox does not store
    its owner (the HAT would overwrite the owner's account).
    """
    user = parse_user(await json_body(request))
    state = await _manager(request)
    if user.privileged:
        raise envelope_b(400, "Invalid User", "Users with privileged roles may not be created")
    if get_user_by_email(state, user.email) is not None:
        raise envelope_b(400, "Error creating user", f"User {user.email} already exists")
    if user.user_id == state.owner_id:
        raise envelope_b(
            400, "Error creating user", "User not created: the sandbox keeps its owner's account"
        )
    try:
        save_user(state, user)
    except UnstorableRoleError as exc:
        raise envelope_b(400, "Error creating user", f"User not created: {exc}") from None
    return _created(user)


async def update(request: Request) -> Response:
    """``PUT /users/user/{userId}/update``: body ``User`` with the same ``userId``; 201 with the
    user as sent, enabled (l.159-195). 404 when the ids differ or the user does not exist, 403
    when it or the update is privileged, 500 for a role the database refuses (not recovered)."""
    user_id = parse_uuid("userId", request.path_params["user_id"])
    updated = parse_user(await json_body(request))
    state = await _manager(request)
    existing = get_user(state, user_id)
    if existing is None or updated.user_id != user_id:
        raise _no_such_user(user_id)
    if existing.privileged or updated.privileged:
        raise envelope_b(403, "Forbidden", _PRIVILEGED)
    try:
        save_user(state, updated)
    except UnstorableRoleError as exc:
        raise internal_error(f"PSQLException: {exc}") from None
    return _created(updated)


async def enable(request: Request) -> Response:
    """``PUT /users/user/{userId}/enable`` and ``.../disable``: both enable the user."""
    user_id = parse_uuid("userId", request.path_params["user_id"])
    state = await _manager(request)
    user = _existing(state, user_id)
    save_user(state, replace(user, enabled=True))
    return json_response({"message": "Enabled"})


async def delete(request: Request) -> Response:
    """``PUT /users/user/{userId}/delete``: 200 "Account deleted" (l.123-157).

    A user some file is shared with cannot be deleted: the file grant's foreign key
    (``hat_file_access.user_id``, [SCHEMA] ``13_liveEvolutions.sql``:240-245) fails the
    delete, which nothing recovers: a 500.
    """
    user_id = parse_uuid("userId", request.path_params["user_id"])
    state = await _manager(request)
    _existing(state, user_id)
    if any(p.user_id == user_id for f in all_files(state.store) for p in f.permissions):
        raise internal_error("PSQLException: hat_file_access_user_id_fkey")
    with state.store.transaction():
        delete_user(state, user_id)
    return json_response({"message": "Account deleted"})


routes: list[BaseRoute] = [
    Route("/users/user", list_all, methods=["GET"]),
    Route("/users/user", create, methods=["POST"]),
    Route("/users/user/{user_id}/enable", enable, methods=["PUT"]),
    Route("/users/user/{user_id}/disable", enable, methods=["PUT"]),
    Route("/users/user/{user_id}/delete", delete, methods=["PUT"]),
    Route("/users/user/{user_id}/update", update, methods=["PUT"]),
]
