"""Applications: listing, status, setup/disable, definitions and app tokens.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/Applications.scala`` and
``hat/app/org/hatdex/hat/api/service/applications/ApplicationsService.scala``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox import _jwt_codec
from hat_sdk.sandbox._auth import (
    APPLICATION_LIST,
    OWNER,
    Caller,
    Role,
    application_grants,
    authenticate,
    authorize,
    hat_state,
    optional_caller,
    request_host,
)
from hat_sdk.sandbox._debit_store import application_debit_key, load_debit
from hat_sdk.sandbox._errors import HatHTTPError, envelope_b, forbidden
from hat_sdk.sandbox._http import json_response
from hat_sdk.sandbox._state import SandboxState


def _not_found(app_id: str, status: int = 404) -> HatHTTPError:
    return envelope_b(
        status,
        "Application not Found",
        f"Application {app_id} does not appear to be a valid application registered with the DEX",
    )


def _most_recent_data(state: SandboxState, application: dict[str, Any]) -> str | None:
    endpoint = application.get("status", {}).get("recentDataCheckEndpoint")
    records = state.store.records_for_source(endpoint) if endpoint else []
    if not records:
        return None
    latest = max(r.date for r in records)
    return latest.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _data_debit_active(state: SandboxState, application: dict[str, Any]) -> bool:
    # ApplicationsService.checkDataDebit (l.404-423): an application retrieving data is only
    # active while its data debit's active permissions use the bundle it asks for.
    wanted = application.get("permissions", {}).get("dataRetrieved")
    if wanted is None:
        return True
    debit = load_debit(state.store, application_debit_key(str(application["id"])))
    active = debit.active_permissions(state.now()) if debit is not None else None
    return active is not None and active.bundle.name == wanted.get("name")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def hat_application(state: SandboxState, app_id: str) -> dict[str, Any]:
    """The ``HatApplication`` JSON of a catalogued application.

    ``needsUpdating`` and ``mostRecentData`` are only computed for an enabled application: a
    disabled or never set up one answers without them (HAT2.0 ApplicationsService.scala
    ``collectStatus``, l.457-527). ``active`` also needs the data debit (the sandbox's
    applications all use the ``Internal`` status check, which always passes).
    """
    application = state.catalogue[app_id]
    status = state.store.application_status(app_id)
    enabled = status is not None and status[1]
    body: dict[str, Any] = {
        "application": application,
        "setup": status is not None,
        "enabled": enabled,
        "active": enabled and _data_debit_active(state, application),
    }
    if status is not None and enabled:
        compatibility = application["status"]["compatibility"]
        body["needsUpdating"] = _version(compatibility) > _version(status[0])
        recent = _most_recent_data(state, application)
        if recent is not None:
            body["mostRecentData"] = recent
    return body


def _manage(app_id: str) -> Role:
    return Role("applicationmanage", app_id)


async def list_applications(request: Request) -> Response:
    """``GET /applications`` and ``/applications/hmi``: every application the caller may see.

    An application token that gets past the guard sees only the applications its application
    was granted ``applicationmanage`` for, even an owner-role one (HAT2.0 Applications.scala
    l.71-108: ``ContainsApplicationRole(ApplicationList())`` holds for owner apps too).
    """
    caller = await authenticate(request)
    authorize(request, caller, with_role=[OWNER], app_roles=[OWNER, APPLICATION_LIST])
    state = hat_state(request)
    visible = list(state.catalogue)
    if caller.application is not None:
        grants = application_grants(state, caller.application)
        visible = [a for a in visible if _manage(a) in grants]
    return json_response([hat_application(state, a) for a in visible])


async def _managed_application(request: Request) -> tuple[SandboxState, str, Caller]:
    caller = await authenticate(request)
    app_id: str = request.path_params["application"]
    authorize(request, caller, with_role=[OWNER], app_roles=[OWNER, _manage(app_id)])
    return hat_state(request), app_id, caller


async def get_application(request: Request) -> Response:
    """``GET /applications/{id}``."""
    state, app_id, _ = await _managed_application(request)
    if app_id not in state.catalogue:
        raise _not_found(app_id)
    return json_response(hat_application(state, app_id))


def set_application_enabled(state: SandboxState, app_id: str, enabled: bool) -> None:
    """Mark an application set up (enabled) or disabled and run the application hooks."""
    application = state.catalogue[app_id]
    with state.store.transaction():
        state.store.set_application_status(app_id, application["info"]["version"], enabled)
        for hooks in state.application_hooks:
            if enabled:
                hooks.on_setup(state, application)
            else:
                hooks.on_disable(state, application)


async def setup_application(request: Request) -> Response:
    """``GET /applications/{id}/setup``: enable the application."""
    state, app_id, _ = await _managed_application(request)
    if app_id not in state.catalogue:
        raise _not_found(app_id, status=400)
    set_application_enabled(state, app_id, enabled=True)
    return json_response(hat_application(state, app_id))


async def disable_application(request: Request) -> Response:
    """``GET /applications/{id}/disable``."""
    state, app_id, _ = await _managed_application(request)
    if app_id not in state.catalogue:
        raise _not_found(app_id, status=400)
    set_application_enabled(state, app_id, enabled=False)
    return json_response(hat_application(state, app_id))


async def application_token(request: Request) -> Response:
    """``GET /applications/{id}/access-token``: an application token for the owner."""
    caller = await authenticate(request)
    app_id: str = request.path_params["application"]
    retrieve = Role("retrieveapplicationtoken", app_id)
    authorize(request, caller, with_role=[OWNER], app_roles=[retrieve])
    state = hat_state(request)
    application = state.catalogue.get(app_id)
    if application is None:
        raise _not_found(app_id)
    token = _jwt_codec.issue(
        state.keys,
        host=request_host(request),
        username=state.config.owner,
        now=state.now(),
        custom={"application": app_id, "applicationVersion": application["info"]["version"]},
    )
    # Only the body carries the new token: the X-Auth-Token header is the caller's own token,
    # refreshed like on every secured call (HAT2.0 Applications.scala l.204-217 answers a plain
    # Ok(json), which Silhouette's RequestHandler.handleInitializedAuthenticator updates).
    return json_response({"accessToken": token, "userId": state.owner_id})


async def application_definition(request: Request) -> Response:
    """``GET /applications/{id}/hmi``: unsecured; calling it with a valid token is forbidden."""
    if optional_caller(request) is not None:
        raise forbidden()
    app_id: str = request.path_params["application"]
    application = hat_state(request).catalogue.get(app_id)
    if application is None:
        raise envelope_b(
            404,
            "Not Found",
            f"Application configuration for ID {app_id} could not be found. "
            "Make sure application is correctly registered",
        )
    return json_response(application)


_PREFIX = "/api/v2.6/applications"
routes: list[BaseRoute] = [
    Route(_PREFIX, list_applications, methods=["GET"]),
    Route(f"{_PREFIX}/hmi", list_applications, methods=["GET"]),
    Route(f"{_PREFIX}/{{application}}", get_application, methods=["GET"]),
    Route(f"{_PREFIX}/{{application}}/setup", setup_application, methods=["GET"]),
    Route(f"{_PREFIX}/{{application}}/disable", disable_application, methods=["GET"]),
    Route(f"{_PREFIX}/{{application}}/access-token", application_token, methods=["GET"]),
    Route(f"{_PREFIX}/{{application}}/hmi", application_definition, methods=["GET"]),
]
