"""Take secrets out of the httpx exceptions chained onto a ``hat_sdk.errors.HatError``.

``raise error_from_transport(exc, ...) from exc`` keeps httpx's exception as ``__cause__``, and
it holds the request that failed: its headers carry the owner's password (login), a token
(``X-Auth-Token``) or cookies, its URL may carry a storage signature. Chain it through
``scrub_exception``::

    raise error_from_transport(exc, operation="get") from scrub_exception(exc)

Every httpx exception reachable from ``exc`` through ``__cause__`` and ``__context__`` then holds
a copy of its request (and response) with those values masked. The live request objects are not
touched (a retry may still send them).
"""

from __future__ import annotations

from contextlib import suppress
from typing import TypeVar

import httpx

from hat_sdk.errors import safe_url

__all__ = ["SECRET_HEADERS", "scrub_exception"]

#: Request and response headers whose values are secrets (lower case). ``username`` and
#: ``password`` are the HAT's login headers (``GET /users/access_token``).
SECRET_HEADERS = frozenset(
    {
        "x-auth-token",
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "password",
        "username",
    }
)
_MASK = "<hidden>"

E = TypeVar("E", bound=BaseException)


def _headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    return [
        (name, _MASK if name.lower() in SECRET_HEADERS else value)
        for name, value in headers.multi_items()
    ]


def _request(request: httpx.Request) -> httpx.Request:
    return httpx.Request(request.method, safe_url(request.url), headers=_headers(request.headers))


def _response(response: httpx.Response) -> httpx.Response:
    try:
        request: httpx.Request | None = _request(response.request)
    except RuntimeError:  # a response built by hand has no request
        request = None
    return httpx.Response(response.status_code, headers=_headers(response.headers), request=request)


def _scrub_one(exc: BaseException) -> None:
    if isinstance(exc, httpx.RequestError | httpx.HTTPStatusError):
        with suppress(RuntimeError):  # raised when the exception was created without a request
            exc.request = _request(exc.request)
    if isinstance(exc, httpx.HTTPStatusError):
        exc.response = _response(exc.response)


def scrub_exception(exc: E) -> E:
    """Mask secrets in the requests and responses of ``exc`` and of every exception chained
    to it (``__cause__`` and ``__context__``, recursively); return ``exc`` (for ``from``)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        _scrub_one(current)
        pending += [current.__cause__, current.__context__]
    return exc
