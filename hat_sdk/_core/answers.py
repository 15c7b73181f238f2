"""Reading area replies: success or the typed error, then the body as a typed value."""

from __future__ import annotations

from collections.abc import Hashable
from functools import cache
from typing import Any, TypeVar, cast

import httpx
from pydantic import TypeAdapter, ValidationError

from hat_sdk._core.area_errors import area_error
from hat_sdk._core.exchange import Call, Operation, Reply
from hat_sdk._core.replies import first_problem
from hat_sdk.errors import ResponseFormatError, error_from_transport

__all__ = ["adapter", "answered", "fetch", "parsed"]

T = TypeVar("T")


@cache
def _adapter(shape: Hashable) -> TypeAdapter[Any]:
    return TypeAdapter(cast(Any, shape))


def adapter(shape: type[T]) -> TypeAdapter[T]:
    """A cached validator of ``shape`` (a model or a type such as ``list[Model]``)."""
    validator: TypeAdapter[T] = _adapter(cast(Hashable, shape))
    return validator


def answered(reply: Reply) -> httpx.Response:
    """The reply's successful response, else raise the error that describes the failure."""
    if reply.error is not None:
        method = reply.error.request.method.lower()
        raise error_from_transport(reply.error, operation=method) from reply.error
    response = reply.response
    assert response is not None  # a reply holds a response or an error
    if not response.is_success:
        raise area_error(response)
    return response


def parsed(response: httpx.Response, shape: type[T]) -> T:
    """The response body validated as ``shape``; ResponseFormatError if it is not one."""
    try:
        value = adapter(shape).validate_json(response.content)
    except ValidationError as invalid:
        raise ResponseFormatError.from_response(
            response,
            f"The HAT's answer is not a valid {getattr(shape, '__name__', shape)} "
            f"({first_problem(invalid)}). Check that the URL points at a HAT.",
        ) from invalid
    return value


def fetch(request: httpx.Request, shape: type[T]) -> Operation[T]:
    """Send ``request`` and return its answer as ``shape``."""
    reply = yield Call(request)
    return parsed(answered(reply), shape)
