"""The rich-data API: records, updates, deletes, batches, links and sources.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/controllers/RichData.scala`` and
``hat/app/org/hatdex/hat/api/service/richData/RichDataService.scala``.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hat_sdk.sandbox._auth import (
    DATA_CREDIT,
    OWNER,
    PLATFORM,
    Caller,
    Role,
    authenticate,
    authorize,
    hat_state,
    is_authorized,
    namespace_read,
    namespace_write,
    optional_caller,
)
from hat_sdk.sandbox._convertors import ENDPOINT
from hat_sdk.sandbox._data_filter import filter_key, record_matches
from hat_sdk.sandbox._endpoint_data import (
    IncomingRecord,
    read_endpoint_data_list,
    written_namespaces,
)
from hat_sdk.sandbox._errors import (
    HatHTTPError,
    data_missing,
    envelope_b,
    internal_error,
)
from hat_sdk.sandbox._http import (
    json_body,
    json_response,
    parse_uuid,
    query_bool,
    query_first,
    query_int,
    query_uuids,
)
from hat_sdk.sandbox._jsonb import JsonValue
from hat_sdk.sandbox._namespace import NAMESPACE
from hat_sdk.sandbox._state import SandboxState
from hat_sdk.sandbox._store import DuplicateDataError, StoredRecord, UnknownRecordError

DEFAULT_TAKE = 1000
_ANY_NAMESPACE_WRITE = namespace_write("*")
# Guards of the multi-namespace operations (PUT, DELETE ?records, data-batch, data-link).
_MULTI_WITH_ROLE: Sequence[Role] = (DATA_CREDIT, OWNER)
_MULTI_APP_ROLES: Sequence[Role] = (_ANY_NAMESPACE_WRITE, OWNER)


def _source(request: Request) -> tuple[str, str]:
    namespace: str = request.path_params["namespace"]
    endpoint: str = request.path_params["endpoint"]
    return namespace, f"{namespace}/{endpoint}"


def _may_write(state: SandboxState, caller: Caller, namespaces: set[str]) -> bool:
    return all(
        is_authorized(
            state, caller, with_role=[namespace_write(ns)], app_roles=[namespace_write(ns)]
        )
        for ns in namespaces
    )


async def get_endpoint_data(request: Request) -> Response:
    """``GET /data/{ns}/{ep}``: a page of records, then the optional query-string filter."""
    # Play binds the route's parameters before the action checks the token (here and below).
    skip = query_int(request, "skip", 0)
    take = query_int(request, "take", DEFAULT_TAKE)
    caller = await authenticate(request)
    namespace, source = _source(request)
    read = namespace_read(namespace)
    authorize(request, caller, with_role=[OWNER, read], app_roles=[OWNER, read])
    # A negative skip or take is a 500 on the server (Postgres refuses a negative OFFSET or
    # LIMIT, [HAT] RichDataService.scala:477-484); here, until the spec documents that 500,
    # a negative skip counts from the start and a negative take returns nothing (FIDELITY.md).
    store = hat_state(request).store
    order_by = query_first(request, "orderBy")
    descending = query_first(request, "ordering") == "descending"
    key = filter_key(list(request.query_params.keys()))
    if key is None:  # the common case: the stored text as it is, in bounded time per record
        body = store.page_of_source_json(
            source, order_by=order_by, descending=descending, skip=skip, take=take
        )
        return Response(body, media_type="application/json")
    records = store.page_of_source(
        source, order_by=order_by, descending=descending, skip=skip, take=take
    )
    wanted = request.query_params.getlist(key)
    return json_response([r.to_json() for r in records if record_matches(r.data, key, wanted)])


def _insert_all(
    state: SandboxState, source: str, values: Sequence[JsonValue]
) -> list[StoredRecord]:
    now = state.now()
    with state.store.transaction():
        return [state.store.insert_record(source, value, now) for value in values]


def _insert_each(
    state: SandboxState, source: str, values: Sequence[JsonValue]
) -> list[StoredRecord]:
    now = state.now()
    stored: list[StoredRecord] = []
    for value in values:
        try:
            stored.append(state.store.insert_record(source, value, now))
        except DuplicateDataError:
            continue
    return stored


async def save_endpoint_data(request: Request) -> Response:
    """``POST /data/{ns}/{ep}``: an array stores one record per element, anything else one."""
    skip_errors = query_bool(request, "skipErrors", False)
    body = await json_body(request)  # the body parser runs before the token check
    caller = await authenticate(request)
    namespace, source = _source(request)
    write = namespace_write(namespace)
    authorize(request, caller, with_role=[write], app_roles=[write])
    state = hat_state(request)
    values = body if isinstance(body, list) else [body]
    try:
        if isinstance(body, list) and skip_errors:
            stored = _insert_each(state, source, values)
        else:
            stored = _insert_all(state, source, values)
    except DuplicateDataError as exc:
        raise envelope_b(400, "Bad Request", f"Duplicate data - {exc.reason}") from None
    records = [r.to_json(links=[]) for r in stored]
    return json_response(records if isinstance(body, list) else records[0], status=201)


async def delete_endpoint_data(request: Request) -> Response:
    """``DELETE /data/{ns}/{ep}``: every record of exactly this endpoint."""
    caller = await authenticate(request)
    namespace, source = _source(request)
    write = namespace_write(namespace)
    authorize(request, caller, with_role=[write], app_roles=[write])
    state = hat_state(request)
    with state.store.transaction():
        state.store.delete_source(source)
    return json_response({"message": "All records deleted"})


async def update_records(request: Request) -> Response:
    """``PUT /data``: replace the data of existing records, all or nothing."""
    records = read_endpoint_data_list(await json_body(request))  # parsed and read before auth
    caller = await authenticate(request)
    authorize(request, caller, with_role=_MULTI_WITH_ROLE, app_roles=_MULTI_APP_ROLES)
    state = hat_state(request)
    namespaces = written_namespaces(records)
    if not _may_write(state, caller, namespaces):
        # The server does not recover this permission failure: it surfaces as a 500.
        raise internal_error("namespace-permissions")
    missing = data_missing("Could not update records: Records missing for updating")
    now = state.now()
    try:
        with state.store.transaction():
            for record in records:
                if record.record_id is None or not state.store.update_record(
                    record.record_id, record.data, now
                ):
                    raise missing
    except DuplicateDataError:
        raise internal_error("duplicate-data") from None
    return json_response(
        [{"endpoint": r.endpoint, "recordId": r.record_id, "data": r.data} for r in records],
        status=201,
    )


async def delete_records(request: Request) -> Response:
    """``DELETE /data?records=..``: delete the listed records, all or nothing."""
    ids = query_uuids(request, "records")
    caller = await authenticate(request)
    authorize(request, caller, with_role=_MULTI_WITH_ROLE, app_roles=_MULTI_APP_ROLES)
    state = hat_state(request)
    found = state.store.get_records(ids)
    if caller.application is not None and not _may_write(
        state, caller, {r.namespace for r in found}
    ):
        raise envelope_b(
            403,
            "Forbidden",
            "Access Denied - Permissions to modify records in some of the namespaces missing",
        )
    # The server compares the rows deleted with the ids given, repeats included, so an id
    # given twice fails like a missing one ([HAT] RichDataService.scala:246-255).
    if len(found) != len(ids):
        raise data_missing("Could not delete records: Records missing for deleting")
    if ids:
        with state.store.transaction():
            state.store.delete_records(ids)
    return json_response({"message": "All records deleted"})


async def list_sources(request: Request) -> Response:
    """``GET /data/sources``: ``{namespace: [endpoint, ...]}`` of every stored source."""
    caller = await authenticate(request)
    authorize(
        request,
        caller,
        with_role=[OWNER, PLATFORM, DATA_CREDIT],
        app_roles=[OWNER, PLATFORM, _ANY_NAMESPACE_WRITE],
    )
    sources: dict[str, list[str]] = {}
    for source in hat_state(request).store.sources():
        namespace, _, endpoint = source.partition("/")
        sources.setdefault(namespace, []).append(endpoint)
    return json_response(sources)


def _insert_batch(state: SandboxState, records: Sequence[IncomingRecord]) -> list[JsonValue]:
    now = state.now()
    saved: list[JsonValue] = []
    with state.store.transaction():
        for record in records:
            stored = state.store.insert_record(record.endpoint, record.data, now)
            links = [state.store.insert_record(ln.endpoint, ln.data, now) for ln in record.links]
            if links:
                state.store.link([stored.record_id, *(ln.record_id for ln in links)])
            saved.append(stored.to_json(links=[ln.to_json() for ln in links]))
    return saved


async def save_batch(request: Request) -> Response:
    """``POST /data-batch``: records of any namespaces (with nested links) in one transaction."""
    records = read_endpoint_data_list(await json_body(request))  # parsed and read before auth
    caller = await authenticate(request)
    authorize(request, caller, with_role=_MULTI_WITH_ROLE, app_roles=_MULTI_APP_ROLES)
    state = hat_state(request)
    namespaces = written_namespaces(records)
    if not _may_write(state, caller, namespaces):
        raise envelope_b(
            403,
            "Forbidden",
            "Access Denied - No rights to insert some or all of the data in the batch",
        )
    try:
        saved = _insert_batch(state, records)
    except DuplicateDataError as exc:
        raise envelope_b(400, "Bad Request", f"Could not insert data - {exc.reason}") from None
    return json_response(saved, status=201)


async def link_records(request: Request) -> Response:
    """``POST /data-link?records=..``: group the listed records."""
    ids = query_uuids(request, "records")
    caller = await authenticate(request)
    authorize(request, caller, with_role=_MULTI_WITH_ROLE, app_roles=_MULTI_APP_ROLES)
    state = hat_state(request)
    if len(set(ids)) != len(ids):
        # One group row per id given: a repeat breaks the (group_id, record_id) primary key
        # ([HAT] RichDataService.scala:298-316), a PSQLException the server does not map: a 500.
        raise internal_error("data_json_group_records_pkey")
    try:
        with state.store.transaction():
            state.store.link(ids)
    except UnknownRecordError:
        # A foreign-key violation the server does not map: a 500.
        raise internal_error("unknown-record") from None
    return json_response({"message": "Grouping registered"}, status=201)


async def get_record(request: Request) -> Response:
    """``GET /data-record/{id}``: any valid token; no token gives an empty 403."""
    record_id = parse_uuid("recordId", request.path_params["record_id"])
    if optional_caller(request) is None:
        raise HatHTTPError(403, None)
    record = hat_state(request).store.get_record(record_id)
    if record is None:
        raise data_missing("Could not find unique record: No single record found for provided ID")
    return json_response(record.to_json())


def _data_routes(prefix: str) -> list[BaseRoute]:
    endpoint_path = f"{prefix}/data/{{namespace:{NAMESPACE}}}/{{endpoint:{ENDPOINT}}}"
    return [
        Route(f"{prefix}/data/sources", list_sources, methods=["GET"]),
        Route(endpoint_path, get_endpoint_data, methods=["GET"]),
        Route(endpoint_path, save_endpoint_data, methods=["POST"]),
        Route(endpoint_path, delete_endpoint_data, methods=["DELETE"]),
        Route(f"{prefix}/data", update_records, methods=["PUT"]),
        Route(f"{prefix}/data", delete_records, methods=["DELETE"]),
        Route(f"{prefix}/data-batch", save_batch, methods=["POST"]),
        Route(f"{prefix}/data-link", link_records, methods=["POST"]),
        Route(f"{prefix}/data-record/{{record_id}}", get_record, methods=["GET"]),
    ]


# The legacy /api/v2 and /api/v2.0 prefixes serve the same data endpoints ([HAT]
# hat/conf/routes:33-34 mount hat/conf/v20.routes).
routes: list[BaseRoute] = [
    route for prefix in ("/api/v2.6", "/api/v2", "/api/v2.0") for route in _data_routes(prefix)
]
