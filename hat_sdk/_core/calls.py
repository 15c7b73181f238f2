"""One call of a generated operation: build, send, map the answer to a result or an error.

Every generated resource method is ``yield from call(...)``; handwritten operations use
``answered`` and ``parsed`` for the same mapping. Answers are parsed once, straight
from the bytes, with cached pydantic ``TypeAdapter`` s.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from functools import cache
from typing import Any, TypeVar, cast, overload
from urllib.parse import unquote

import httpx
from pydantic import TypeAdapter, ValidationError

from hat_sdk._core.cache import ALL_ENDPOINTS, API_READS
from hat_sdk._core.exchange import Call, Operation, Reply
from hat_sdk._core.gc_pause import gc_paused
from hat_sdk._core.wire import CallOptions, Wire, json_bytes
from hat_sdk.errors import (
    HatError,
    ResponseFormatError,
    error_from_response,
    error_from_transport,
    without_secrets,
)

__all__ = ["CallOptions", "adapter", "answered", "call", "first_problem", "parsed", "tried"]

T = TypeVar("T")
E = TypeVar("E", bound=HatError)
_EVERYTHING = frozenset({ALL_ENDPOINTS})


@cache
def _adapter(shape: Hashable) -> TypeAdapter[Any]:
    return TypeAdapter(cast(Any, shape))


def adapter(shape: type[T]) -> TypeAdapter[T]:
    """A cached validator of ``shape`` (a model or a type such as ``list[Model]``)."""
    validator: TypeAdapter[T] = _adapter(cast(Hashable, shape))
    return validator


def first_problem(error: ValueError) -> str:
    """The first problem of a validation error, as ``where: what``."""
    if isinstance(error, ValidationError):
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return f"{where}: {first['msg']}"
    return str(error)


def tried(error: E, reply: Reply) -> E:
    """``error``, saying how many times ``reply``'s request was tried."""
    error.attempts = reply.attempts
    return error


def answered(reply: Reply, operation: str) -> httpx.Response:
    """The reply's successful answer, else raise the ``HatError`` that describes it."""
    if reply.error is not None:
        raise tried(error_from_transport(reply.error, operation=operation), reply) from None
    response = reply.response
    assert response is not None  # a reply holds a response or an error
    # A redirect left here was not followed: its empty body is no answer to the call.
    if response.status_code >= 400 or response.has_redirect_location:
        raise tried(error_from_response(response, operation=operation), reply)
    return response


@overload
def parsed(response: httpx.Response, shape: None) -> None: ...
@overload
def parsed(response: httpx.Response, shape: type[T]) -> T: ...
@overload
def parsed(response: httpx.Response, shape: object) -> Any: ...
def parsed(response: httpx.Response, shape: object) -> Any:
    """The answer's body as ``shape`` (None: ignored; ``str``/``bytes``: as is); a body that is
    not one raises ``ResponseFormatError``."""
    if shape is None:
        return None
    if shape is bytes:
        return response.content
    if shape is str:
        return response.text
    try:
        with gc_paused():
            return adapter(cast(type[Any], shape)).validate_json(response.content)
    except ValueError as invalid:  # validation errors, bad JSON and over-deep nesting alike
        name = getattr(shape, "__name__", str(shape))
        raise ResponseFormatError.from_response(
            response,
            f"The HAT's answer is not a valid {name} ({first_problem(invalid)}). Check that the"
            " URL points at a HAT.",
        ) from None


@overload
def call(
    wire: Wire,
    route: Mapping[str, Any],
    returns: None,
    *,
    operation: str,
    options: CallOptions | None = None,
    body: object = None,
    cacheable: bool = False,
    anonymous: bool = False,
) -> Operation[None]: ...
@overload
def call(
    wire: Wire,
    route: Mapping[str, Any],
    returns: type[T],
    *,
    operation: str,
    options: CallOptions | None = None,
    body: object = None,
    cacheable: bool = False,
    anonymous: bool = False,
) -> Operation[T]: ...
@overload
def call(
    wire: Wire,
    route: Mapping[str, Any],
    returns: object,
    *,
    operation: str,
    options: CallOptions | None = None,
    body: object = None,
    cacheable: bool = False,
    anonymous: bool = False,
) -> Operation[Any]: ...
def call(
    wire: Wire,
    route: Mapping[str, Any],
    returns: object,
    *,
    operation: str,
    options: CallOptions | None = None,
    body: object = None,
    cacheable: bool = False,
    anonymous: bool = False,
) -> Operation[Any]:
    """Send one request of operation ``operation`` and return its answer as ``returns``.

    ``cacheable``: the spec marks the operation a pure read (``x-hat-cacheable``), so the
    client's read cache may answer it; any other call makes every cached read stale (the HAT
    has state-changing GETs, e.g. enabling a data debit).
    """
    content = None if body is None else json_bytes(body)
    request = wire.request(route, content, options=options, anonymous=anonymous)
    reply = yield Call(
        request,
        reads=API_READS if cacheable else None,
        writes=frozenset() if cacheable else _EVERYTHING,
    )
    try:
        return parsed(answered(reply, operation), returns)
    except HatError as failed:
        # A server may echo the password of a login (sent percent-encoded) in its error.
        sent = request.headers.get("password")
        if sent is not None:
            without_secrets(failed, [sent, unquote(sent)])
        raise
