"""Owner account endpoints outside ``/api/v2.6``: password change and legacy service tokens.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/Authentication.scala``
(``passwordChangeProcess``, ``hatLogin``, ``applicationToken``) and
``hat/app/org/hatdex/hat/api/service/HatServicesService.scala``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox import _jwt_codec
from hat_sdk.sandbox._auth import OWNER, authenticate, authorize, hat_state, request_host
from hat_sdk.sandbox._credentials import password_matches, set_password, strong_enough
from hat_sdk.sandbox._errors import bad_request, envelope_b
from hat_sdk.sandbox._http import json_body, json_error, json_response, query_first
from hat_sdk.sandbox._routes_auth import owner_token, token_response
from hat_sdk.sandbox._state import SandboxState


async def _owner_only(request: Request) -> SandboxState:
    caller = await authenticate(request)
    authorize(request, caller, with_role=[OWNER], app_roles=[])
    return hat_state(request)


def _required_query(request: Request, name: str) -> str:
    value = query_first(request, name)
    if value is None:
        raise bad_request(f"Missing parameter: {name}")
    return value


def _validate_token(state: SandboxState, request: Request, resource: str) -> str:
    """A ``validate``-scope token for an unregistered service at ``resource``."""
    return _jwt_codec.issue(
        state.keys,
        host=request_host(request),
        username=state.config.owner,
        now=state.now(),
        custom={"resource": resource, "accessScope": "validate"},
    )


async def change_password(request: Request) -> Response:
    """``POST /control/v2/auth/password``: body ``{"password", "newPassword"}``."""
    state = await _owner_only(request)
    body = await json_body(request)
    fields = body if isinstance(body, dict) else {}
    new_password = fields.get("newPassword")
    if not isinstance(new_password, str):
        raise bad_request(json_error("obj.newPassword", "error.path.missing"))
    if not strong_enough(new_password):
        raise bad_request(
            json_error("obj.newPassword", "Minimum password requirement strength not met")
        )
    old_password = fields.get("password")
    if not isinstance(old_password, str):
        raise envelope_b(403, "Invalid password", "Old password missing")
    if not password_matches(state, old_password):
        raise envelope_b(403, "Invalid password", "Old password invalid")
    with state.store.transaction():
        set_password(state, new_password)
    response = json_response({"message": "Password changed"})
    response.headers["X-Auth-Token"] = owner_token(state, request_host(request))
    return response


async def legacy_application_token(request: Request) -> Response:
    """``GET /users/application_token?name=&resource=``: a ``validate``-scope token."""
    state = await _owner_only(request)
    _required_query(request, "name")
    resource = _required_query(request, "resource")
    return token_response(state, _validate_token(state, request, resource))


async def legacy_hat_login(request: Request) -> Response:
    """``GET /control/v2/auth/hatlogin?name=&redirect=``: the redirect URL with a token."""
    state = await _owner_only(request)
    _required_query(request, "name")
    redirect = _required_query(request, "redirect")
    token = _validate_token(state, request, redirect)
    separator = "&" if "?" in redirect else "?"
    return json_response({"message": f"{redirect}{separator}token={token}"})


routes: list[BaseRoute] = [
    Route("/control/v2/auth/password", change_password, methods=["POST"]),
    Route("/users/application_token", legacy_application_token, methods=["GET"]),
    Route("/control/v2/auth/hatlogin", legacy_hat_login, methods=["GET"]),
]
