"""Assembly of the sandbox HAT as a Starlette ASGI application."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute

from hat_sdk.sandbox import (
    _routes_account,
    _routes_applications,
    _routes_auth,
    _routes_bundles,
    _routes_data,
    _routes_debits,
    _routes_files,
    _routes_she,
    _routes_system,
    _routes_users,
    _routes_verification,
)
from hat_sdk.sandbox._debit_store import DataDebitApplicationHooks
from hat_sdk.sandbox._errors import HatHTTPError, handler_not_found, internal_error
from hat_sdk.sandbox._files import S3_PREFIX
from hat_sdk.sandbox._hats import Hats
from hat_sdk.sandbox._jsonb import compact
from hat_sdk.sandbox._knobs import Knobs
from hat_sdk.sandbox._middleware import (
    HatGzipMiddleware,
    KnobsMiddleware,
    RefreshTokenMiddleware,
    UriLengthMiddleware,
)

# Routes written by the SANDBOX-AREAS helper (bundles, data debits, files, SHE).
_AREA_ROUTES: list[BaseRoute] = [
    *_routes_bundles.routes,
    *_routes_debits.routes,
    *_routes_files.routes,
    *_routes_she.routes,
]

_SPA_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>HAT</title></head>\n'
    '<body><div id="root"></div></body>\n</html>\n'
)


def render_error(error: HatHTTPError) -> Response:
    """The response for a ``HatHTTPError`` (JSON unless its body is text)."""
    if error.body is None:
        return Response(status_code=error.status, headers=error.headers)
    if isinstance(error.body, str):
        return Response(
            error.body, status_code=error.status, headers=error.headers, media_type=error.media_type
        )
    return Response(
        compact(error.body),
        status_code=error.status,
        headers=error.headers,
        media_type="application/json",
    )


async def _hat_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HatHTTPError)
    return render_error(exc)


async def _unrouted(request: Request, exc: Exception) -> Response:
    # Play falls through to the dashboard SPA for any unmatched GET; others find no handler.
    assert isinstance(exc, HTTPException)
    if request.method in ("GET", "HEAD"):
        return HTMLResponse(_SPA_PAGE)
    return render_error(handler_not_found(request.method, request.url.path))


async def _crash(_request: Request, exc: Exception) -> Response:
    return render_error(internal_error(f"{type(exc).__name__}: {exc}"))


def new_hats(knobs: Knobs) -> Hats:
    """An empty HAT registry whose HATs run the areas' application hooks (data debits of
    set-up applications)."""
    return Hats(knobs, hooks=lambda: [DataDebitApplicationHooks()])


def build_app(hats: Hats, knobs: Knobs) -> Starlette:
    """The ASGI app serving ``hats`` (``app.state.hats``), each chosen by the ``Host`` header."""
    routes: list[BaseRoute] = [
        *_routes_auth.routes,
        *_routes_account.routes,
        *_routes_users.routes,
        *_routes_verification.routes,
        *_routes_system.routes,
        *_routes_data.routes,
        *_routes_applications.routes,
        *_AREA_ROUTES,
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(KnobsMiddleware, knobs=knobs),
            Middleware(UriLengthMiddleware),
            Middleware(RefreshTokenMiddleware),
            Middleware(HatGzipMiddleware, storage_prefix=S3_PREFIX),
        ],
        exception_handlers={
            HatHTTPError: _hat_error,
            HTTPException: _unrouted,
            Exception: _crash,
        },
    )
    app.state.hats = hats
    return app
