"""Data debits, v2.6 format.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/DataDebits.scala`` and
``hat/app/org/hatdex/hat/api/service/richData/DataDebitService.scala``.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox import _debits
from hat_sdk.sandbox._auth import OWNER, PLATFORM, Role, authenticate, authorize, hat_state
from hat_sdk.sandbox._bundles import QueryEvaluationError, bundle_conditions, bundle_records
from hat_sdk.sandbox._convertors import IDENTIFIER
from hat_sdk.sandbox._debit_store import (
    DebitConflict,
    list_debits,
    load_debit,
    register_debit,
    save_debit,
    update_debit,
)
from hat_sdk.sandbox._debits import DataDebit, Permissions
from hat_sdk.sandbox._errors import HatHTTPError, bad_request, envelope_b
from hat_sdk.sandbox._http import json_body, json_response, required_bool
from hat_sdk.sandbox._queries import Json, QueryValidationError

_DEX = "https://dex.dataswift.io/"
_LEGACY_PURPOSE = (
    "This Data Debit is in a legacy format, and the HAT App is unable to display all the "
    "information associated with it fully. This may include a logo, title and full description"
)


async def _authorize(request: Request, roles: list[Role]) -> None:
    caller = await authenticate(request)
    authorize(request, caller, with_role=roles, app_roles=roles)


def _debit_roles(debit_id: str) -> list[Role]:
    return [OWNER, Role("datadebit", debit_id)]


def _not_found(debit_id: str) -> HatHTTPError:
    return envelope_b(404, "Not Found", f"Data Debit {debit_id} not found")


def _unknown_for_change() -> HatHTTPError:
    return envelope_b(400, "Not Found", "Data Debit with this ID does not exist")


def _malformed(cause: str) -> HatHTTPError:
    return envelope_b(400, "Bad Request", f"Data Debit request malformed: {cause}")


async def _setup_request(request: Request) -> _debits.SetupRequest:
    try:
        return _debits.parse_setup_request(await json_body(request))
    except QueryValidationError as exc:
        raise bad_request(exc.errors) from None


def _debit_response(request: Request, debit: DataDebit, status: int = 200) -> Response:
    return json_response(debit.to_json(hat_state(request).now()), status=status)


async def register(request: Request) -> Response:
    """``POST /api/v2.6/data-debit/{id}``: a new debit with one unaccepted permissions row."""
    debit_id: str = request.path_params["debit_id"]
    setup = await _setup_request(request)  # the body parser runs before the token check
    await _authorize(request, [OWNER, Role("datadebit", ""), PLATFORM])
    state = hat_state(request)
    try:
        with state.store.transaction():
            debit = register_debit(state, debit_id, setup)
    except DebitConflict as exc:
        raise _malformed(str(exc)) from None
    # The server also grants the calling user ``datadebit:<id>``; the sandbox's only user is
    # the owner, who already passes every check that role would open.
    return _debit_response(request, debit, status=201)


async def update(request: Request) -> Response:
    """``PUT /api/v2.6/data-debit/{id}``: add a permissions row (client details unchanged)."""
    debit_id: str = request.path_params["debit_id"]
    setup = await _setup_request(request)  # the body parser runs before the token check
    await _authorize(request, _debit_roles(debit_id))
    state = hat_state(request)
    try:
        with state.store.transaction():
            debit = update_debit(state, debit_id, setup)
    except DebitConflict as exc:
        raise _malformed(str(exc)) from None
    return _debit_response(request, debit)


async def get_debit(request: Request) -> Response:
    """``GET /api/v2.6/data-debit/{id}``."""
    debit_id: str = request.path_params["debit_id"]
    await _authorize(request, _debit_roles(debit_id))
    debit = load_debit(hat_state(request).store, debit_id)
    if debit is None:
        raise _not_found(debit_id)
    return _debit_response(request, debit)


def _for_display(debit: DataDebit) -> DataDebit:
    # Legacy (pre-v2.6) debits lack client details and purpose; the list shows placeholders.
    if debit.client_name:
        return debit
    rows = tuple(p if p.purpose else replace(p, purpose=_LEGACY_PURPOSE) for p in debit.permissions)
    return replace(
        debit,
        client_name="Data Exchange",
        client_url=_DEX,
        client_logo_url=f"{_DEX}assets/images/dex.png",
        permissions=rows,
    )


async def list_all(request: Request) -> Response:
    """``GET /api/v2.6/data-debit``: every data debit."""
    await _authorize(request, [OWNER])
    state = hat_state(request)
    now = state.now()
    return json_response([_for_display(d).to_json(now) for d in list_debits(state.store)])


def _values(request: Request, active: Permissions) -> dict[str, Json]:
    store = hat_state(request).store
    body: dict[str, Json] = {}
    fulfilled = True
    if active.conditions is not None:
        conditions = bundle_conditions(active.conditions, store)
        body["conditions"] = conditions
        fulfilled = all(conditions.values())
    body["bundle"] = bundle_records(active.bundle, store) if fulfilled else {}
    return body


async def values(request: Request) -> Response:
    """``GET /api/v2.6/data-debit/{id}/values``: the active bundle's data (if conditions hold)."""
    debit_id: str = request.path_params["debit_id"]
    await _authorize(request, _debit_roles(debit_id))
    state = hat_state(request)
    debit = load_debit(state.store, debit_id)
    if debit is None:
        raise _not_found(debit_id)
    active = debit.active_permissions(state.now())
    if active is None:
        raise envelope_b(400, "Bad Request", f"Data Debit {debit_id} not enabled")
    try:
        return json_response(_values(request, active))
    except QueryEvaluationError:
        raise envelope_b(
            400,
            "Data Debit Bundle malformed",
            f"Data Debit {debit_id} active bundle malformed: "
            "Invalid bundle format - cannot cast between types to satisfy query",
        ) from None


async def enable(request: Request) -> Response:
    """``GET /api/v2.6/data-debit/{id}/enable``: accept the newest permissions."""
    await _authorize(request, [OWNER])
    debit_id: str = request.path_params["debit_id"]
    state = hat_state(request)
    with state.store.transaction():
        debit = load_debit(state.store, debit_id)
        if debit is None:
            raise _unknown_for_change()
        debit = _debits.enable(debit)
        save_debit(state.store, debit)
    return _debit_response(request, debit)


async def disable(request: Request) -> Response:
    """``GET /api/v2.6/data-debit/{id}/disable?atPeriodEnd=``: cancel every permissions row."""
    at_period_end = required_bool(request, "atPeriodEnd")
    await _authorize(request, [OWNER])
    debit_id: str = request.path_params["debit_id"]
    state = hat_state(request)
    with state.store.transaction():
        debit = load_debit(state.store, debit_id)
        if debit is None:
            raise _unknown_for_change()
        debit = _debits.disable(debit, state.now(), at_period_end)
        save_debit(state.store, debit)
    return _debit_response(request, debit)


_BASE = f"/api/v2.6/data-debit/{{debit_id:{IDENTIFIER}}}"

routes: list[BaseRoute] = [
    Route("/api/v2.6/data-debit", list_all, methods=["GET"]),
    Route(_BASE, register, methods=["POST"]),
    Route(_BASE, update, methods=["PUT"]),
    Route(_BASE, get_debit, methods=["GET"]),
    Route(f"{_BASE}/values", values, methods=["GET"]),
    Route(f"{_BASE}/enable", enable, methods=["GET"]),
    Route(f"{_BASE}/disable", disable, methods=["GET"]),
]
