"""Combinators and data bundles (``client.combinators``, ``client.bundles``).

A combinator is a stored query over endpoints (mapping, filters, links) read like an
endpoint; a bundle is a stored set of named queries (properties) read all at once. Build
queries with :mod:`hat_sdk.queries`.
"""

from __future__ import annotations

from typing import Any

import httpx

from hat_sdk._core.answers import answered, fetch
from hat_sdk._core.area_wire import Wire, attrs_body
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.replies import format_error
from hat_sdk._core.session import Area, ModeT, op
from hat_sdk._core.validation import InvalidInputError, check_options
from hat_sdk._generated.client.api.bundles import (
    get_bundle_data,
    get_bundle_structure,
    register_bundle,
)
from hat_sdk._generated.client.api.combinators import get_combinator_data, register_combinator
from hat_sdk._generated.client.models import (
    BundleDefinition as _BundleBody,
    EndpointQuery as _QueryBody,
)
from hat_sdk._generated.client.types import UNSET
from hat_sdk._generated.models import EndpointData, EndpointDataBundle, EndpointQuery
from hat_sdk._records.models import ModelT as RecordT
from hat_sdk._records.options import GetOpts
from hat_sdk.resources._typed_records import ModelChoice, bundle_records, json_object, records_of

__all__ = ["Bundles", "Combinators"]

_ALL = GetOpts()


def _read_combinator(wire: Wire, name: str, options: GetOpts | None) -> httpx.Request:
    chosen = check_options(options or _ALL)
    kwargs = get_combinator_data._get_kwargs(
        name,
        order_by=chosen.order_by if chosen.order_by is not None else UNSET,
        ordering=chosen.ordering.value if chosen.ordering is not None else UNSET,
        skip=chosen.skip or UNSET,
        take=chosen.take if chosen.take is not None else UNSET,
    )
    return wire.request(kwargs)


def _json_list(response: httpx.Response) -> list[Any]:
    try:
        body = response.json()
    except ValueError as invalid:
        raise format_error(response, str(invalid)) from invalid
    if not isinstance(body, list):
        raise format_error(response, "expected a JSON array")
    return body


def register_combinator_(wire: Wire, name: str, *queries: EndpointQuery) -> Operation[None]:
    """Store (or replace) combinator ``name``: the records of all ``queries`` (see
    :func:`hat_sdk.queries.endpoint_query`). Owner-level tokens only."""
    if not queries:
        raise InvalidInputError("a combinator needs at least one endpoint query")
    bodies = [attrs_body(_QueryBody, query) for query in queries]
    kwargs = register_combinator._get_kwargs(name, body=bodies)
    answered((yield Call(wire.request(kwargs, queries))))


def combinator_data(
    wire: Wire, name: str, model: type[RecordT], opts: GetOpts | None = None
) -> Operation[list[RecordT]]:
    """Combinator ``name``'s records (shaped by its mappings) as ``model`` instances; ``opts``
    orders and windows them (at most 1000 without ``take``). Raises ``NotFoundError`` for an
    unknown combinator."""
    response = answered((yield Call(_read_combinator(wire, name, opts))))
    return records_of(response, _json_list(response), model)


def combinator_records(
    wire: Wire, name: str, opts: GetOpts | None = None
) -> Operation[list[EndpointData]]:
    """Combinator ``name``'s records as ``EndpointData``, with ``links`` to linked records
    when its queries declare links."""
    return (yield from fetch(_read_combinator(wire, name, opts), list[EndpointData]))


class Combinators(Area[ModeT]):
    """Stored queries over endpoints, read like an endpoint."""

    register = op(register_combinator_)
    data = op(combinator_data)
    records = op(combinator_records)


def register_bundle_(wire: Wire, bundle: EndpointDataBundle) -> Operation[None]:
    """Store (or replace) a bundle under its name (see :func:`hat_sdk.queries.data_bundle`).
    Owner-level tokens only."""
    if not isinstance(bundle, EndpointDataBundle):
        raise InvalidInputError(
            f"bundle must be an EndpointDataBundle (hat_sdk.queries.data_bundle), got"
            f" {type(bundle).__name__}"
        )
    kwargs = register_bundle._get_kwargs(bundle.name, body=attrs_body(_BundleBody, bundle.bundle))
    answered((yield Call(wire.request(kwargs, bundle.bundle))))


def bundle_data(
    wire: Wire, name: str, model: ModelChoice[RecordT]
) -> Operation[dict[str, list[RecordT]]]:
    """Bundle ``name``'s records per property, parsed as ``model`` (one model, or a model per
    property name). Raises ``NotFoundError`` for an unknown bundle."""
    response = answered((yield Call(wire.request(get_bundle_data._get_kwargs(name)))))
    return bundle_records(response, json_object(response), model)


def bundle_structure(wire: Wire, name: str) -> Operation[EndpointDataBundle]:
    """The stored definition of bundle ``name``."""
    request = wire.request(get_bundle_structure._get_kwargs(name))
    return (yield from fetch(request, EndpointDataBundle))


class Bundles(Area[ModeT]):
    """Stored sets of named queries, read all at once (also what data debits share)."""

    register = op(register_bundle_)
    data = op(bundle_data)
    structure = op(bundle_structure)
