"""Login, token validation and the public key.

As [HAT] ``hat/app/org/hatdex/hat/api/controllers/Authentication.scala`` (``accessToken``,
``validateToken``, ``publicKey``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import format_datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox import _jwt_codec
from hat_sdk.sandbox._auth import TOKEN_FIELD, authenticate, hat_state, request_host
from hat_sdk.sandbox._credentials import password_matches
from hat_sdk.sandbox._errors import envelope_b, internal_error, not_authenticated
from hat_sdk.sandbox._http import json_response
from hat_sdk.sandbox._state import SandboxState

LAST_LOGIN_BLOB = ("system", "last-login")
"""Blob ``(kind, key)`` holding the ISO time of the latest successful login."""


def owner_token(state: SandboxState, host: str) -> str:
    """A fresh owner token for HAT ``host``."""
    return _jwt_codec.issue(
        state.keys,
        host=host,
        username=state.config.owner,
        now=state.now(),
        custom={"resource": host, "accessScope": "owner"},
    )


def token_response(state: SandboxState, token: str) -> Response:
    """``AccessToken`` JSON plus the token in the ``X-Auth-Token`` header."""
    response = json_response({"accessToken": token, "userId": state.owner_id})
    response.headers[TOKEN_FIELD] = token
    return response


_ESCAPE_VALUE = re.compile(r"^[+-]?[0-9A-Fa-f]+$")


def java_url_decode(value: str) -> str:
    """``URLDecoder.decode(value, "UTF-8")`` as Java does it: ``+`` is a space, each run of
    ``%XX`` escapes is decoded as UTF-8 (malformed bytes become U+FFFD), and a ``%`` not followed
    by two characters ``Integer.parseInt(_, 16)`` reads as a non-negative number raises
    ``ValueError`` (Java's ``IllegalArgumentException``)."""
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        c = value[i]
        if c == "+":
            out.append(" ")
            i += 1
        elif c == "%":
            raw = bytearray()
            while i + 2 < n and value[i] == "%":
                pair = value[i + 1 : i + 3]
                if not _ESCAPE_VALUE.match(pair) or int(pair, 16) < 0:
                    raise ValueError("URLDecoder: Illegal hex characters in escape (%) pattern")
                raw.append(int(pair, 16))
                i += 3
            if i < n and value[i] == "%":
                raise ValueError("URLDecoder: Incomplete trailing escape (%) pattern")
            out.append(raw.decode("utf-8", "replace"))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _client_key(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded
    return request.client.host if request.client is not None else ""


async def access_token(request: Request) -> Response:
    """``GET /users/access_token``: owner login with ``username``/``password`` headers."""
    state = hat_state(request)
    if not state.login_limiter.allow(_client_key(request)):
        raise envelope_b(
            400,
            "Request rate exceeded",
            "Rate of requests from your IP exceeded",
            ["Request to /users/access_token"],
        )
    username, password = request.headers.get("username"), request.headers.get("password")
    if username is None or password is None:
        raise envelope_b(
            401, "Credentials required", "No username or password provided to retrieve token"
        )
    try:
        # Decoded in the action's block: an exception there is an unhandled 500 ([HAT]
        # Authentication.scala:200-205; utils/ErrorHandler.scala:151-188).
        username, password = java_url_decode(username), java_url_decode(password)
    except ValueError as exc:
        raise internal_error(str(exc)) from None
    if username != state.config.owner or not password_matches(state, password):
        raise not_authenticated()
    with state.store.transaction():
        state.store.put_blob(*LAST_LOGIN_BLOB, state.now().isoformat())
    return token_response(state, owner_token(state, request_host(request)))


async def validate_token(request: Request) -> Response:
    """``GET /users/access_token/validate``: any valid token."""
    await authenticate(request)
    return json_response({"message": "Authenticated"})


async def public_key(request: Request) -> Response:
    """``GET /publickey``: the PEM public key, cached like Play's ``Cached`` wrapper."""
    state = hat_state(request)
    etag = state.keys.etag
    expires = format_datetime(state.now() + timedelta(days=365), usegmt=True)
    headers = {"ETag": etag, "Expires": expires}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(state.keys.public_pem, media_type="text/plain; charset=utf-8", headers=headers)


routes: list[BaseRoute] = [
    Route("/users/access_token", access_token, methods=["GET"]),
    Route("/users/access_token/validate", validate_token, methods=["GET"]),
    Route("/publickey", public_key, methods=["GET"]),
]
