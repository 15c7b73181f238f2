"""SHE feed and functions.

Sources: [HAT] ``hat/app/org/hatdex/hat/she/controllers/FeedGenerator.scala`` and
``FunctionManager.scala`` beside it.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox import _she
from hat_sdk.sandbox._auth import OWNER, PLATFORM, Role, authenticate, authorize, hat_state
from hat_sdk.sandbox._convertors import ENDPOINT
from hat_sdk.sandbox._dates import iso_datetime
from hat_sdk.sandbox._errors import HatHTTPError, bad_request, envelope_b
from hat_sdk.sandbox._http import json_response, query_bindable, query_bool
from hat_sdk.sandbox._state import SandboxState
from hat_sdk.sandbox._store import DuplicateDataError

_FUNCTION_STATE = "she-function"
_LONG = re.compile(r"^[+-]?\d{1,19}$")
_LONG_MAX = 2**63 - 1
# Joda takes any Long; Python datetimes stop at years 1 and 9999, so the window is clamped.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC).timestamp()
_LATEST = datetime(9999, 12, 30, tzinfo=UTC).timestamp()


async def _authorize(
    request: Request, roles: list[Role], app_roles: list[Role] | None = None
) -> None:
    caller = await authenticate(request)
    authorize(request, caller, with_role=roles, app_roles=roles if app_roles is None else app_roles)


def _query_seconds(request: Request, name: str, default: datetime) -> datetime:
    value = query_bindable(request, name)
    if value is None:
        return default
    if not _LONG.match(value) or not -_LONG_MAX - 1 <= int(value) <= _LONG_MAX:
        raise bad_request(f'Cannot parse parameter {name} as Long: For input string: "{value}"')
    return datetime.fromtimestamp(min(max(int(value), _EARLIEST), _LATEST), UTC)


async def _feed(request: Request, prefix: str | None) -> Response:
    state = hat_state(request)
    default_since, default_until = _she.default_window(state.now())
    since = _query_seconds(request, "since", default_since)  # bound before the token check
    until = _query_seconds(request, "until", default_until)
    await _authorize(request, [OWNER])
    groups = [
        _she.feed_items(
            mapper, [r.data for r in state.store.records_for_source(mapper.endpoint)], since, until
        )
        for mapper in _she.mappers_for(prefix)
    ]
    return json_response(_she.merged_feed(groups))


async def feed(request: Request) -> Response:
    """``GET /api/v2.6/she/feed?since&until``: the merged feed of every mapper."""
    return await _feed(request, None)


async def endpoint_feed(request: Request) -> Response:
    """``GET /api/v2.6/she/feed/{endpoint}``: the feed of mappers whose key starts so."""
    return await _feed(request, request.path_params["endpoint"])


def _status(state: SandboxState) -> dict[str, object]:
    stored = state.store.get_blob(_FUNCTION_STATE, _she.COUNTER_ID) or {}
    status: dict[str, object] = {"available": True, "enabled": bool(stored.get("enabled"))}
    if stored.get("lastExecution"):
        status["lastExecution"] = stored["lastExecution"]
    return status


def _function_id(request: Request) -> str:
    function_id: str = request.path_params["function_id"]
    if function_id != _she.COUNTER_ID:
        raise _function_not_found(function_id)
    return function_id


def _function_not_found(function_id: str) -> HatHTTPError:
    return envelope_b(404, "Function Not Found", f"Function {function_id} not found")


async def list_functions(request: Request) -> Response:
    """``GET /api/v2.6/she/function``: the built-in functions and their status."""
    # ContainsApplicationRole(Owner()) || WithRole(Owner(), Platform()) (FunctionManager.scala:55)
    await _authorize(request, [OWNER, PLATFORM], [OWNER])
    return json_response([_she.function_configuration(_status(hat_state(request)))])


async def get_function(request: Request) -> Response:
    """``GET /api/v2.6/she/function/{id}``."""
    await _authorize(request, [OWNER, PLATFORM], [OWNER])
    _function_id(request)
    return json_response(_she.function_configuration(_status(hat_state(request))))


async def _set_enabled(request: Request, enabled: bool) -> Response:
    await _authorize(request, [OWNER])
    function_id = _function_id(request)
    state = hat_state(request)
    with state.store.transaction():
        stored = state.store.get_blob(_FUNCTION_STATE, function_id) or {}
        state.store.put_blob(_FUNCTION_STATE, function_id, {**stored, "enabled": enabled})
    return json_response(_she.function_configuration(_status(state)))


async def enable_function(request: Request) -> Response:
    """``GET /api/v2.6/she/function/{id}/enable``."""
    return await _set_enabled(request, True)


async def disable_function(request: Request) -> Response:
    """``GET /api/v2.6/she/function/{id}/disable``."""
    return await _set_enabled(request, False)


async def trigger_function(request: Request) -> Response:
    """``GET /api/v2.6/she/function/{id}/trigger``: run the counter, store its insight record."""
    # Bound like the route's `useAll: Boolean ?= false` (before the token is checked); the
    # counter reads a fixed window anyway.
    query_bool(request, "useAll", False)
    # ContainsApplicationRole(Owner(), ApplicationManage(function)) || WithRole(Owner(), Platform())
    # (HAT2.0 she/controllers/FunctionManager.scala functionTrigger).
    manage = Role("applicationmanage", request.path_params["function_id"])
    await _authorize(request, [OWNER, PLATFORM], [OWNER, manage])
    function_id = _function_id(request)
    state = hat_state(request)
    if not _status(state)["enabled"]:
        raise envelope_b(400, "Function Not Enabled", f"Function {function_id} not enabled")
    now = state.now()
    week_ago = now - _she.COUNTER_PERIOD
    counts = {
        mapper.endpoint: sum(
            1 for r in state.store.records_for_source(mapper.endpoint) if r.date >= week_ago
        )
        for mapper in _she.MAPPERS
    }
    with state.store.transaction():
        # An identical summary for the same instant may already be stored.
        with contextlib.suppress(DuplicateDataError):
            state.store.insert_record(_she.COUNTER_OUTPUT, _she.counter_insight(counts, now), now)
        stored = state.store.get_blob(_FUNCTION_STATE, function_id) or {}
        last = {"lastExecution": iso_datetime(now)}
        state.store.put_blob(_FUNCTION_STATE, function_id, {**stored, **last})
    return json_response({"message": "Function Executed"})


_FUNCTION = "/api/v2.6/she/function/{function_id}"

routes: list[BaseRoute] = [
    Route("/api/v2.6/she/feed", feed, methods=["GET"]),
    Route(f"/api/v2.6/she/feed/{{endpoint:{ENDPOINT}}}", endpoint_feed, methods=["GET"]),
    Route("/api/v2.6/she/function", list_functions, methods=["GET"]),
    Route(_FUNCTION, get_function, methods=["GET"]),
    Route(f"{_FUNCTION}/enable", enable_function, methods=["GET"]),
    Route(f"{_FUNCTION}/disable", disable_function, methods=["GET"]),
    Route(f"{_FUNCTION}/trigger", trigger_function, methods=["GET"]),
]
