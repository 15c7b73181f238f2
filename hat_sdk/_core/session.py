"""How area resources run their sans-IO operations, written once for sync and async.

An area operation is a generator function ``fn(wire, *args) -> Operation[T]``. Declaring
``get = op(fn)`` on a resource class gives ``resource.get(*args)`` returning ``T`` on a
sync resource and an awaitable of ``T`` on an async one: the descriptor's overloads pick the
result type from the resource's mode, so there is one implementation and no twin methods.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import httpx

from hat_sdk._auth.tokens import TOKEN_HEADER, HatToken
from hat_sdk._core.area_wire import ANONYMOUS, Wire
from hat_sdk._core.drivers import AsyncDriver, SyncDriver
from hat_sdk._core.exchange import Operation
from hat_sdk._core.retry import RetryPolicy

__all__ = [
    "Area",
    "AsyncMode",
    "ModeT",
    "Session",
    "SyncMode",
    "async_session",
    "op",
    "sync_session",
]

P = ParamSpec("P")
T = TypeVar("T")


class SyncMode:
    """Marker: the resource blocks and returns results."""


class AsyncMode:
    """Marker: the resource returns awaitables."""


ModeT = TypeVar("ModeT", SyncMode, AsyncMode)


@dataclass(frozen=True, slots=True)
class Session(Generic[ModeT]):
    """What a resource needs: the request builder and the runner of operations.

    ``run`` returns the operation's result (sync) or a coroutine of it (async).
    """

    wire: Wire
    run: Callable[[Operation[Any]], Any]


class Area(Generic[ModeT]):
    """Base of the area resources (``client.data_debits``, ``client.files``...)."""

    def __init__(self, session: Session[ModeT]) -> None:
        self._session: Session[ModeT] = session

    def _area_session(self) -> Session[ModeT]:
        return self._session

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._area_session().wire.hat_url}>"


class op(Generic[P, T]):
    """Declares a resource method from a sans-IO operation ``fn(wire, *args)``."""

    def __init__(self, fn: Callable[Concatenate[Wire, P], Operation[T]]) -> None:
        self._fn = fn
        self.__doc__ = fn.__doc__
        # What help() and IDEs show for the bound method: the operation minus its wire.
        signature = inspect.signature(fn)
        self._signature = signature.replace(
            parameters=list(signature.parameters.values())[1:],
            return_annotation=inspect.Signature.empty,
        )

    @overload
    def __get__(self, area: None, owner: type[Any]) -> op[P, T]: ...
    @overload
    def __get__(self, area: Area[SyncMode], owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, area: Area[AsyncMode], owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, area: Area[Any] | None, owner: type[Any]) -> Any:
        if area is None:
            return self
        session = area._area_session()
        fn = self._fn

        @functools.wraps(fn)
        def bound(*args: P.args, **kwargs: P.kwargs) -> Any:
            return session.run(fn(session.wire, *args, **kwargs))

        bound.__signature__ = self._signature  # type: ignore[attr-defined]
        return bound


class _AreaAuth(httpx.Auth):
    """The client's token, except on requests marked anonymous (sent with no token at all:
    the HAT refuses a token on some routes, and storage hosts must never see it)."""

    def __init__(self, token: HatToken[Any]) -> None:
        self._token = token

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        if request.extensions.get(ANONYMOUS):
            request.headers.pop(TOKEN_HEADER, None)
            yield request
            return
        yield from self._token.sync_auth_flow(request)

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if request.extensions.get(ANONYMOUS):
            request.headers.pop(TOKEN_HEADER, None)
            yield request
            return
        flow = self._token.async_auth_flow(request)
        outgoing = await flow.__anext__()
        while True:
            response = yield outgoing
            try:
                outgoing = await flow.asend(response)
            except StopAsyncIteration:
                return


def sync_session(
    http: httpx.Client, token: HatToken[Any], policy: RetryPolicy
) -> Session[SyncMode]:
    """A blocking session over ``http`` (no read cache: area reads are not cached)."""
    driver = SyncDriver(http, _AreaAuth(token), policy)
    return Session(Wire(token.hat_url, http.build_request), driver.run)


def async_session(
    http: httpx.AsyncClient, token: HatToken[Any], policy: RetryPolicy
) -> Session[AsyncMode]:
    """An awaiting session over ``http`` (no read cache: area reads are not cached)."""
    driver = AsyncDriver(http, _AreaAuth(token), policy)
    return Session(Wire(token.hat_url, http.build_request), driver.run)
