"""Combinators and bundles read as the user's record models (``client.combinators.data``,
``client.bundles.data``); the other operations are the generated ones.

Build queries with ``hat_sdk.queries``.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from hat_sdk._core.calls import answered
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.resource import ModeT, op
from hat_sdk._core.wire import CallOptions, Wire
from hat_sdk._generated.client.api import given
from hat_sdk._generated.client.api.bundles import BundlesResource, route_get_bundle_data
from hat_sdk._generated.client.api.combinators import CombinatorsResource, route_get_combinator_data
from hat_sdk._records.models import ModelT
from hat_sdk._records.options import GetOpts, sort_ordering
from hat_sdk._records.replies import parse_records
from hat_sdk._records.validation import check_options
from hat_sdk.resources._typed_records import ModelChoice, bundle_records, json_object

__all__ = ["Bundles", "Combinators"]

_ALL = GetOpts()


def combinator_data(
    wire: Wire,
    name: str,
    model: type[ModelT],
    opts: GetOpts | None = None,
    *,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[list[ModelT]]:
    """Combinator ``name``'s records (shaped by its mappings) as ``model`` instances, linked
    records in each one's ``links``; ``opts`` orders and windows them (at most 1000 without
    ``take``). Like ``records`` (``GET /api/v2.6/combinator/{name}``), typed. Raises
    ``NotFoundError`` for an unknown combinator.

    ``timeout`` (seconds) and ``extra_headers`` apply to this call's requests.
    """
    wire = wire.with_options(CallOptions(timeout, extra_headers))
    chosen = check_options(opts or _ALL)
    route = route_get_combinator_data(
        name,
        order_by=given(chosen.order_by),
        ordering=given(sort_ordering(chosen.ordering)),
        skip=given(chosen.skip or None),
        take=given(chosen.take),
    )
    response = answered((yield Call(wire.request(route))), "getCombinatorData")
    return parse_records(response, model)


def bundle_data(
    wire: Wire,
    name: str,
    model: ModelChoice[ModelT],
    *,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[dict[str, list[ModelT]]]:
    """Bundle ``name``'s records per property, parsed as ``model`` (one model, or a model per
    property name). Like ``get_data`` (``GET /api/v2.6/data-bundle/{bundleId}``), typed.
    Raises ``NotFoundError`` for an unknown bundle.

    ``timeout`` (seconds) and ``extra_headers`` apply to this call's requests.
    """
    wire = wire.with_options(CallOptions(timeout, extra_headers))
    response = answered((yield Call(wire.request(route_get_bundle_data(name)))), "getBundleData")
    return bundle_records(response, json_object(response), model)


class Combinators(CombinatorsResource[ModeT]):
    """Stored queries over endpoints, read like an endpoint (generated operations, and
    ``data`` typed by your model)."""

    data = op(combinator_data)


class Bundles(BundlesResource[ModeT]):
    """Stored sets of named queries read all at once, also what data debits share
    (generated operations, and ``data`` typed by your models)."""

    data = op(bundle_data)
