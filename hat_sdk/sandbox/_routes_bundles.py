"""Combinators, data bundles and the public phata profile.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/RichData.scala:238-272, 393-432`` and
``hat/app/org/hatdex/hat/phata/controllers/Phata.scala:75-86``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox._auth import OWNER, authenticate, authorize, hat_state, optional_caller
from hat_sdk.sandbox._bundle_store import (
    bundle_owner,
    load_bundle,
    load_combinator,
    phata_bundle,
    save_bundle,
    save_combinator,
)
from hat_sdk.sandbox._bundles import QueryEvaluationError, bundle_records, query_records
from hat_sdk.sandbox._convertors import ENDPOINT, IDENTIFIER
from hat_sdk.sandbox._debit_store import refresh_debit_bundle
from hat_sdk.sandbox._errors import HatHTTPError, bad_request, envelope_b
from hat_sdk.sandbox._http import json_body, json_response, query_first, query_int
from hat_sdk.sandbox._queries import (
    QueryValidationError,
    parse_bundle_properties,
    parse_endpoint_queries,
)

_COMBINATOR_DEFAULT_TAKE = 1000


# Play binds parameters and parses the JSON body before the action checks the token
# (HatBodyParsers.scala l.39-55): those 400/413/415 come first, without a refreshed token.
async def _authorize_owner_level(request: Request) -> None:
    caller = await authenticate(request)
    authorize(request, caller, with_role=[OWNER], app_roles=[OWNER])


def _combinator_not_found(name: str) -> HatHTTPError:
    return envelope_b(404, "Combinator Not Found", f"Combinator {name} not found")


def _bundle_not_found(bundle_id: str) -> HatHTTPError:
    return envelope_b(404, "Bundle Not Found", f"Bundle {bundle_id} not found")


async def register_combinator(request: Request) -> Response:
    """``POST /api/v2.6/combinator/{name}``: upsert an ``EndpointQuery[]``."""
    name: str = request.path_params["name"]
    try:
        queries = parse_endpoint_queries(await json_body(request))
    except QueryValidationError as exc:
        raise bad_request(exc.errors) from None
    await _authorize_owner_level(request)
    state = hat_state(request)
    with state.store.transaction():
        save_combinator(state.store, name, queries)
    return json_response({"message": f"Combinator {name} registered"}, status=201)


async def combinator_data(request: Request) -> Response:
    """``GET /api/v2.6/combinator/{name}``: the combinator's records; any failure is a 404."""
    name: str = request.path_params["name"]
    skip = query_int(request, "skip", 0)
    take = query_int(request, "take", _COMBINATOR_DEFAULT_TAKE)
    await _authorize_owner_level(request)
    state = hat_state(request)
    queries = load_combinator(state.store, name)
    if queries is None or skip < 0 or take < 0:
        # A negative OFFSET or LIMIT fails in Postgres, and getCombinatorData answers every
        # failure with this 404 ([HAT] RichData.scala:266-271; RichDataService.scala:477-484).
        raise _combinator_not_found(name)
    try:
        records = query_records(
            queries,
            state.store,
            order_by=query_first(request, "orderBy"),
            descending=query_first(request, "ordering") == "descending",
            skip=skip,
            take=take,
        )
    except QueryEvaluationError:
        raise _combinator_not_found(name) from None
    return json_response(records)


async def register_bundle(request: Request) -> Response:
    """``POST /api/v2.6/data-bundle/{bundleId}``: upsert a bundle (body: the property map)."""
    bundle_id: str = request.path_params["bundle_id"]
    try:
        bundle = parse_bundle_properties(bundle_id, await json_body(request))
    except QueryValidationError as exc:
        raise bad_request(exc.errors) from None
    await _authorize_owner_level(request)
    state = hat_state(request)
    with state.store.transaction():
        # Re-registering a data debit's bundle keeps it linked and changes that debit too.
        save_bundle(state.store, bundle, debit=bundle_owner(state.store, bundle_id)[1])
        refresh_debit_bundle(state.store, bundle)
    return json_response({"message": f"Bundle {bundle_id} registered"}, status=201)


async def bundle_data(request: Request) -> Response:
    """``GET /api/v2.6/data-bundle/{bundleId}``: ``{property: EndpointData[]}``."""
    await _authorize_owner_level(request)
    bundle_id: str = request.path_params["bundle_id"]
    state = hat_state(request)
    bundle = load_bundle(state.store, bundle_id)
    if bundle is None:
        raise _bundle_not_found(bundle_id)
    try:
        return json_response(bundle_records(bundle, state.store))
    except QueryEvaluationError:
        raise _bundle_not_found(bundle_id) from None


async def bundle_structure(request: Request) -> Response:
    """``GET /api/v2.6/data-bundle/{bundleId}/structure``: ``{"name", "bundle"}``."""
    await _authorize_owner_level(request)
    bundle_id: str = request.path_params["bundle_id"]
    bundle = load_bundle(hat_state(request).store, bundle_id)
    if bundle is None:
        raise _bundle_not_found(bundle_id)
    return json_response(bundle.to_json())


async def phata_profile(request: Request) -> Response:
    """``GET /api/v2.6/phata/profile`` (no auth): the data of the ``phata`` bundle."""
    optional_caller(request)  # UserAwareAction (Phata.scala:75-86): a valid token is refreshed
    state = hat_state(request)
    try:
        return json_response(bundle_records(phata_bundle(state.store), state.store))
    except QueryEvaluationError:
        return json_response({})


routes: list[BaseRoute] = [
    Route(f"/api/v2.6/combinator/{{name:{ENDPOINT}}}", register_combinator, methods=["POST"]),
    Route(f"/api/v2.6/combinator/{{name:{ENDPOINT}}}", combinator_data, methods=["GET"]),
    Route(
        f"/api/v2.6/data-bundle/{{bundle_id:{IDENTIFIER}}}/structure",
        bundle_structure,
        methods=["GET"],
    ),
    Route(f"/api/v2.6/data-bundle/{{bundle_id:{IDENTIFIER}}}", register_bundle, methods=["POST"]),
    Route(f"/api/v2.6/data-bundle/{{bundle_id:{IDENTIFIER}}}", bundle_data, methods=["GET"]),
    Route("/api/v2.6/phata/profile", phata_profile, methods=["GET"]),
]
