"""Resources: one sans-IO implementation per operation, typed for sync, async and raw calls.

An operation is a generator function ``fn(wire, *args) -> Operation[T]``. Declaring
``get = op(fn)`` on a ``Resource`` gives ``resource.get(*args)``, which returns ``T`` on
a blocking resource, an awaitable of ``T`` on an async one, and a ``RawResponse`` of ``T``
(or an awaitable of it) on the resources of ``client.with_raw_response``: the descriptor's
overloads pick the result type from the resource's mode, so there is one implementation and
no twin methods.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import httpx

from hat_sdk._core.exchange import Call, Operation, Reply
from hat_sdk._core.wire import Wire

__all__ = [
    "ASYNC_RAW_RESULT",
    "ASYNC_RESULT",
    "SYNC_RAW_RESULT",
    "SYNC_RESULT",
    "AsyncMode",
    "AsyncRawMode",
    "ModeT",
    "Moded",
    "RawResponse",
    "Resource",
    "Session",
    "SyncMode",
    "SyncRawMode",
    "op",
    "with_raw_response",
]

P = ParamSpec("P")
T = TypeVar("T")


class SyncMode:
    """Marker: the resource blocks and returns results."""


class AsyncMode:
    """Marker: the resource returns awaitables of results."""


class SyncRawMode:
    """Marker: the resource blocks and returns ``RawResponse``s."""


class AsyncRawMode:
    """Marker: the resource returns awaitables of ``RawResponse``s."""


ModeT = TypeVar("ModeT", SyncMode, AsyncMode, SyncRawMode, AsyncRawMode)


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """An operation's last HTTP answer (status, headers, body) with its parsed result.

    Attributes:
        http_response: the ``httpx.Response`` of the operation's last request (already read;
            as received, so its headers may hold the refreshed token, and its ``request`` the
            token sent: keep it secret).
        parsed: what the method returns without ``with_raw_response``.
        retries_taken: how many times the last request was sent again (after a transport error
            or a retryable status) before this answer.
    """

    http_response: httpx.Response
    parsed: T
    retries_taken: int = 0

    def parse(self) -> T:
        """The typed result, as the method returns it without ``with_raw_response``."""
        return self.parsed

    @property
    def status_code(self) -> int:
        """The HTTP status of the last answer."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The headers of the last answer, without the refreshed token (``X-Auth-Token``),
        which the client has already adopted."""
        headers = self.http_response.headers.copy()
        headers.pop("X-Auth-Token", None)
        return headers


def with_raw_response(operation: Operation[T]) -> Operation[RawResponse[T]]:
    """``operation``, returning its last response alongside its result."""
    last: Reply | None = None
    try:
        call: Call = next(operation)
        while True:
            reply = yield call
            if reply.response is not None:
                last = reply
            call = operation.send(reply)
    except StopIteration as done:
        if last is None or last.response is None:  # pragma: no cover - every operation sends
            raise RuntimeError("the operation sent no request") from None
        return RawResponse(last.response, done.value, last.attempts - 1)


#: How each mode's methods return an operation's result ``{}``, for the signatures help() shows.
SYNC_RESULT, ASYNC_RESULT = "{}", "Coroutine[Any, Any, {}]"
SYNC_RAW_RESULT, ASYNC_RAW_RESULT = "RawResponse[{}]", "Coroutine[Any, Any, RawResponse[{}]]"


@dataclass(frozen=True, slots=True)
class Session(Generic[ModeT]):
    """What a resource needs: the request builder and the runner of operations.

    ``run`` returns the operation's result (sync), a coroutine of it (async), or the same with
    a ``RawResponse`` (raw modes); ``result`` says which, as one of the ``*_RESULT`` formats.
    """

    wire: Wire
    run: Callable[[Operation[Any]], Any]
    result: str


class Moded(Generic[ModeT]):
    """Anything whose methods are ``op`` s: it runs them in its session's mode."""

    def _op_session(self) -> Session[ModeT]:
        raise NotImplementedError  # provided by the resources and the clients


class Resource(Moded[ModeT]):
    """Base of the resources (``client.data_debits``, ``client.files``...)."""

    def __init__(self, session: Session[ModeT]) -> None:
        self._session: Session[ModeT] = session

    def _op_session(self) -> Session[ModeT]:
        return self._session

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._session.wire.hat_url}>"


class op(Generic[P, T]):
    """Declares a resource method from a sans-IO operation ``fn(wire, *args)``."""

    def __init__(self, fn: Callable[Concatenate[Wire, P], Operation[T]]) -> None:
        self._fn = fn
        self.__doc__ = fn.__doc__
        self.__name__ = self.__qualname__ = fn.__name__
        self.__module__ = fn.__module__
        # What help(), inspect and IDEs show: the operation minus its wire, which the resource
        # gives, and with the result its mode returns instead of the operation.
        signature = inspect.signature(fn)
        self._parameters = list(signature.parameters.values())[1:]
        returned = signature.return_annotation
        self._result = (
            returned[len("Operation[") : -1]
            if isinstance(returned, str) and returned.startswith("Operation[")
            else None
        )
        self.__signature__ = signature.replace(
            parameters=[
                inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY),
                *self._parameters,
            ],
            return_annotation=inspect.Signature.empty,  # the mode's, on the instance
        )
        self._signatures: dict[str, inspect.Signature] = {}

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.__name__, self.__qualname__ = name, f"{owner.__qualname__}.{name}"

    def _refuse_arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Raise a ``TypeError`` naming this method (not the operation behind it) if the
        arguments do not fit its parameters."""
        try:
            self._signature(SYNC_RESULT).bind(*args, **kwargs)
        except TypeError as unfit:
            raise TypeError(f"{self.__qualname__}() {unfit}") from None

    def _signature(self, result: str) -> inspect.Signature:
        if result not in self._signatures:
            returned = (
                inspect.Signature.empty if self._result is None else result.format(self._result)
            )
            self._signatures[result] = inspect.Signature(
                self._parameters, return_annotation=returned
            )
        return self._signatures[result]

    @overload
    def __call__(self, resource: Moded[SyncMode], /, *args: P.args, **kwargs: P.kwargs) -> T: ...
    @overload
    def __call__(
        self, resource: Moded[AsyncMode], /, *args: P.args, **kwargs: P.kwargs
    ) -> Coroutine[Any, Any, T]: ...
    @overload
    def __call__(
        self, resource: Moded[SyncRawMode], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[T]: ...
    @overload
    def __call__(
        self, resource: Moded[AsyncRawMode], /, *args: P.args, **kwargs: P.kwargs
    ) -> Coroutine[Any, Any, RawResponse[T]]: ...
    def __call__(self, resource: Moded[Any], /, *args: P.args, **kwargs: P.kwargs) -> Any:
        """Called on the class, like a plain method: ``HatClient.get(client, Model, ...)``."""
        method: Callable[P, Any] = op.__get__(self, resource, type(resource))
        return method(*args, **kwargs)

    @overload
    def __get__(self, resource: None, owner: type[Any]) -> op[P, T]: ...
    @overload
    def __get__(self, resource: Moded[SyncMode], owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, resource: Moded[AsyncMode], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    @overload
    def __get__(
        self, resource: Moded[SyncRawMode], owner: type[Any]
    ) -> Callable[P, RawResponse[T]]: ...
    @overload
    def __get__(
        self, resource: Moded[AsyncRawMode], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, RawResponse[T]]]: ...
    def __get__(self, resource: Moded[Any] | None, owner: type[Any]) -> Any:
        if resource is None:
            return self
        session = resource._op_session()
        fn = self._fn

        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                operation = fn(session.wire, *args, **kwargs)
            except TypeError:
                self._refuse_arguments(args, kwargs)
                raise
            return session.run(operation)

        bound.__name__, bound.__qualname__ = self.__name__, self.__qualname__
        bound.__module__, bound.__doc__ = self.__module__, self.__doc__
        bound.__signature__ = self._signature(session.result)  # type: ignore[attr-defined]
        return bound
