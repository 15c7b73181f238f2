"""Version, health, system status and front-end action logging.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/SystemStatus.scala`` and
``LogController.scala`` beside it.
"""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox._auth import (
    OWNER,
    PLATFORM,
    TOKEN_FIELD,
    authenticate,
    authorize,
    hat_state,
    optional_caller,
)
from hat_sdk.sandbox._config import HAT_VERSION
from hat_sdk.sandbox._errors import bad_request, envelope_b
from hat_sdk.sandbox._http import json_body, json_error, json_response
from hat_sdk.sandbox._routes_auth import LAST_LOGIN_BLOB
from hat_sdk.sandbox._state import SandboxState

_DATABASE_QUOTA_MB = 100.0
_FILE_QUOTA_MB = 1000.0


async def version(_request: Request) -> Response:
    """``GET /api/v2.6/version``."""
    return json_response({"Version": HAT_VERSION})


async def healthz(_request: Request) -> Response:
    """``GET /healthz`` and ``GET /api/v2.6/healthz``."""
    return json_response({"Status": "OK"})


async def system_update(_request: Request) -> Response:
    """``GET /system/update``: the sandbox schema is always current."""
    return json_response({"message": "Database updated"})


def _ago(then: datetime, now: datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 1:
        return "moments ago"
    if minutes < 60:
        return f"{minutes} minutes ago"
    if minutes < 24 * 60:
        return f"{minutes // 60} hours ago"
    return f"{minutes // (24 * 60)} days ago"


def _numeric(title: str, metric: float, units: str) -> dict[str, object]:
    return {"title": title, "kind": {"metric": metric, "units": units, "kind": "Numeric"}}


def _text(title: str, metric: str) -> dict[str, object]:
    return {"title": title, "kind": {"metric": metric, "kind": "Text"}}


def hat_status(state: SandboxState) -> list[dict[str, object]]:
    """The ``HatStatus[]`` report: last login, owner email, storage quotas and usage."""
    last_login = state.store.get_blob(*LAST_LOGIN_BLOB)
    previous = (
        "Never"
        if last_login is None
        else (_ago(datetime.fromisoformat(last_login), state.now()) + " via api")
    )
    row = state.store.connection.execute("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM records")
    used_kb = round(float(row.fetchone()[0]) / 1000, 2)
    share = round(100 * used_kb / (_DATABASE_QUOTA_MB * 1000))
    return [
        _text("Previous Login", previous),
        _text("Owner Email", state.config.owner_email),
        _numeric("Database Storage", _DATABASE_QUOTA_MB, "MB"),
        _numeric("File Storage", _FILE_QUOTA_MB, "MB"),
        _numeric("Database Storage Used", used_kb, "kB"),
        _numeric("File Storage Used", 0.0, "B"),
        _numeric("Database Storage Used Share", share, "%"),
        _numeric("File Storage Used Share", 0, "%"),
    ]


async def system_status(request: Request) -> Response:
    """``GET /api/v2.6/system/status`` (owner or platform)."""
    caller = await authenticate(request)
    authorize(request, caller, with_role=[OWNER, PLATFORM], app_roles=[OWNER, PLATFORM])
    return json_response(hat_status(hat_state(request)))


async def report_frontend_action(request: Request) -> Response:
    """``POST /api/v2.6/report-frontend-action``: any token; body ``LogRequest``.

    The body is parsed and read before the token is checked (HatBodyParsers.json).
    """
    body = await json_body(request)
    action = body.get("actionCode") if isinstance(body, dict) else None
    if not isinstance(action, str):
        raise bad_request(json_error("obj.actionCode", "error.path.missing"))
    for optional in ("message", "logGroup"):
        if body.get(optional) is not None and not isinstance(body[optional], str):
            raise bad_request(json_error(f"obj.{optional}", "error.expected.jsstring"))
    await authenticate(request)
    return json_response({"message": f"{action} logged"})


async def destroy_cache(request: Request) -> Response:
    """``DELETE /api/v2.6/system/destroy-cache``: 403 to every caller of the sandbox.

    The HAT clears its caches for an ``X-Auth-Token`` header equal to its operator's shared
    secret (``resourceManagement.hatSharedSecret``) and answers 403 to any other header value,
    a valid token included (refreshed: a ``UserAwareAction``), and to none (SystemStatus.scala
    :168-210); a token in the query string is not looked at. The sandbox has no shared secret.
    """
    hat_state(request)
    optional_caller(request)
    if request.headers.get(TOKEN_FIELD) is None:
        raise envelope_b(403, "Credentials missing", "Credentials required")
    raise envelope_b(403, "Invalid token", "Not a valid token provided")


routes: list[BaseRoute] = [
    Route("/api/v2.6/version", version, methods=["GET"]),
    Route("/healthz", healthz, methods=["GET"]),
    Route("/api/v2.6/healthz", healthz, methods=["GET"]),
    Route("/system/update", system_update, methods=["GET"]),
    Route("/api/v2.6/system/status", system_status, methods=["GET"]),
    Route("/api/v2.6/report-frontend-action", report_frontend_action, methods=["POST"]),
    Route("/api/v2.6/system/destroy-cache", destroy_cache, methods=["DELETE"]),
]
