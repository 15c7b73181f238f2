"""The Smart HAT Engine: the data feed (``client.feed``) and functions (``client.functions``)."""

from __future__ import annotations

from datetime import datetime

from hat_sdk._core.answers import answered, fetch
from hat_sdk._core.area_wire import Wire
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.session import Area, ModeT, op
from hat_sdk._generated.client.api.she import (
    disable_function,
    enable_function,
    get_function,
    get_she_endpoint_feed,
    get_she_feed,
    list_functions,
    trigger_function,
)
from hat_sdk._generated.client.types import UNSET, Unset
from hat_sdk._generated.models import DataFeedItem, FunctionConfiguration
from hat_sdk.resources._values import unix_seconds

__all__ = ["Feed", "Functions"]


def _seconds(moment: datetime | None) -> int | Unset:
    return UNSET if moment is None else unix_seconds(moment)


def feed(
    wire: Wire, *, since: datetime | None = None, until: datetime | None = None
) -> Operation[list[DataFeedItem]]:
    """The owner's data feed, newest first, between ``since`` (default: 180 days ago) and
    ``until`` (default: 30 days ahead); naive date-times are UTC."""
    kwargs = get_she_feed._get_kwargs(since=_seconds(since), until=_seconds(until))
    return (yield from fetch(wire.request(kwargs), list[DataFeedItem]))


def endpoint_feed(
    wire: Wire,
    endpoint: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Operation[list[DataFeedItem]]:
    """The feed items of sources whose key starts with ``endpoint`` (e.g. ``"notables"``,
    ``"she"`` for insights only)."""
    kwargs = get_she_endpoint_feed._get_kwargs(
        endpoint, since=_seconds(since), until=_seconds(until)
    )
    return (yield from fetch(wire.request(kwargs), list[DataFeedItem]))


class Feed(Area[ModeT]):
    """The SHE data feed: the owner's data as dated, displayable items."""

    items = op(feed)
    endpoint = op(endpoint_feed)


def list_she_functions(wire: Wire) -> Operation[list[FunctionConfiguration]]:
    """Every SHE function with its configuration and status."""
    return (
        yield from fetch(wire.request(list_functions._get_kwargs()), list[FunctionConfiguration])
    )


def get_she_function(wire: Wire, function_id: str) -> Operation[FunctionConfiguration]:
    """One SHE function. Raises ``NotFoundError`` for an unknown id."""
    request = wire.request(get_function._get_kwargs(function_id))
    return (yield from fetch(request, FunctionConfiguration))


def enable_she_function(wire: Wire, function_id: str) -> Operation[FunctionConfiguration]:
    """Enable a SHE function (owner only)."""
    request = wire.request(enable_function._get_kwargs(function_id))
    return (yield from fetch(request, FunctionConfiguration))


def disable_she_function(wire: Wire, function_id: str) -> Operation[FunctionConfiguration]:
    """Disable a SHE function (owner only)."""
    request = wire.request(disable_function._get_kwargs(function_id))
    return (yield from fetch(request, FunctionConfiguration))


def trigger_she_function(wire: Wire, function_id: str, *, use_all: bool = False) -> Operation[None]:
    """Run a SHE function now (``use_all``: over all data, not only new data). Raises
    ``NotEnabledError`` if it is not enabled or not available."""
    kwargs = trigger_function._get_kwargs(function_id, use_all=use_all)
    answered((yield Call(wire.request(kwargs))))


class Functions(Area[ModeT]):
    """SHE functions: computations over the owner's data that write insight records."""

    list = op(list_she_functions)
    get = op(get_she_function)
    enable = op(enable_she_function)
    disable = op(disable_she_function)
    trigger = op(trigger_she_function)
