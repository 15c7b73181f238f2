"""HAT claim requests: ``POST /control/v2/auth/request-verification`` and its older name
``POST /control/v2/auth/claim`` ([HAT] ``hat/conf/routes``:26-27, the same action).

Source: [HAT] ``hat/app/org/hatdex/hat/api/controllers/Authentication.scala``:431-508
(``handleVerificationRequest``), ``hat/app/org/hatdex/hat/phata/models/HatClaims.scala``:29-40
(the ``ApiVerificationRequest`` body). A ``UserAwareAction``: no token is needed, and a valid
one is refreshed.

The HAT answers 200 "You will shortly receive an email with claim instructions" to any email:
only when it is the owner's, and the owner has not verified it (the sandbox's owner never has,
like the HAT's development owner), does it look the application up (400 ``ErrorMessage``
"Application <id> not available" when it does not know it) and make a sign-up token, which it
mails, or answers as ``{"tokenId"}`` given ``sendEmailToUser=false``. The sandbox sends no
email, and ignores ``lang`` (it only picks the email's language).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox._auth import hat_state, optional_caller
from hat_sdk.sandbox._errors import bad_request, envelope_b
from hat_sdk.sandbox._http import json_body, json_response, query_bool
from hat_sdk.sandbox._mail_tokens import signup_token

_FIELDS = ("applicationId", "email", "redirectUri")
_SENT = "You will shortly receive an email with claim instructions"


def _verification_request(body: Any) -> dict[str, str]:
    """The ``ApiVerificationRequest`` fields, or the body parser's 400 (every field's error)."""
    if not isinstance(body, dict):
        raise bad_request({"obj": [{"msg": ["error.expected.jsobject"], "args": []}]})
    errors: dict[str, Any] = {}
    for key in _FIELDS:
        if key not in body:
            errors[f"obj.{key}"] = [{"msg": ["error.path.missing"], "args": []}]
        elif not isinstance(body[key], str):
            errors[f"obj.{key}"] = [{"msg": ["error.expected.jsstring"], "args": []}]
    if errors:
        raise bad_request(errors)
    return {key: body[key] for key in _FIELDS}


async def request_verification(request: Request) -> Response:
    """``POST /control/v2/auth/request-verification?lang=&sendEmailToUser=`` (and ``/claim``)."""
    send_email = query_bool(request, "sendEmailToUser", True)
    claim = _verification_request(await json_body(request))
    state = hat_state(request)
    optional_caller(request)
    if claim["email"] != state.config.owner_email:
        return json_response({"message": _SENT})
    app_id = claim["applicationId"]
    if app_id not in state.catalogue:
        raise envelope_b(400, "Bad request", f"Application {app_id} not available")
    token = signup_token(state, claim["email"])
    return json_response({"message": _SENT} if send_email else {"tokenId": token})


routes: list[BaseRoute] = [
    Route("/control/v2/auth/claim", request_verification, methods=["POST"]),
    Route("/control/v2/auth/request-verification", request_verification, methods=["POST"]),
]
