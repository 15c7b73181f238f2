"""The record methods of HatClient and AsyncHatClient (``get``, ``post``, ``put``,
``delete``), each one sans-IO operation typed for both clients by ``op``."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

import httpx

from hat_sdk._core.exchange import Operation
from hat_sdk._core.resource import Moded, ModeT, op
from hat_sdk._core.wire import CallOptions, Wire
from hat_sdk._records import reads, writes
from hat_sdk._records.models import HatModel, ModelT
from hat_sdk._records.options import GetOpts
from hat_sdk._records.replies import StoredPage
from hat_sdk._records.requests import RecordRequests
from hat_sdk._records.scope import Scope

__all__ = ["RecordMethods", "scope_of"]

_ALL = GetOpts()


def scope_of(
    wire: Wire, timeout: float | httpx.Timeout | None, extra_headers: Mapping[str, str] | None
) -> Scope:
    """Where record operations work: the wire's namespace, with this call's options."""
    call_wire = wire.with_options(CallOptions(timeout, extra_headers))
    return Scope(wire.namespace, RecordRequests(call_wire))


def get(
    wire: Wire,
    model: type[ModelT],
    endpoint: str | HatModel,
    opts: GetOpts | None = None,
    *,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[list[ModelT]]:
    """Read records of ``endpoint`` as ``model`` instances (one request).

    ``endpoint`` is a name (``"locations"``, or ``"<namespace>/locations/ios"``: a path with
    ``/`` starts with the client's namespace) or a model whose ``endpoint`` is used. ``opts``
    orders and windows the read; without ``take`` the HAT returns at most 1000 records (use
    ``iter`` for all of them). ``timeout`` and ``extra_headers`` apply to this call.
    """
    scope = scope_of(wire, timeout, extra_headers)
    return (yield from reads.get(scope, model, endpoint, opts or _ALL))


def get_stored(wire: Wire, endpoint: str, opts: GetOpts) -> Operation[StoredPage]:
    """Read one window of ``endpoint``'s records as the HAT sends them (``hat export``)."""
    return (yield from reads.get_stored(scope_of(wire, None, None), endpoint, opts))


def post(
    wire: Wire,
    *records: ModelT,
    skip_duplicates: bool = False,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[list[ModelT]]:
    """Store new records (each model's ``endpoint`` says where); return them with
    ``record_id`` set, in input order. The inputs are not modified.

    One request for everything (``/data-batch`` for several endpoints), split only to respect
    the HAT's 10 MB body limit. The HAT refuses data identical to any stored record: that
    raises ``DuplicateDataError`` unless ``skip_duplicates=True``, which stores the rest (one
    request per endpoint) and returns only what was stored. A POST whose outcome is unknown
    (its answer lost) raises ``OutcomeUnknownError`` with the records concerned; it is never
    retried. ``timeout`` and ``extra_headers`` apply to this call.
    """
    scope = scope_of(wire, timeout, extra_headers)
    return (yield from writes.post(scope, records, skip_duplicates=skip_duplicates))


def put(
    wire: Wire,
    *records: ModelT,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[list[ModelT]]:
    """Replace the data of stored records (models with ``record_id``); return the updated
    records as new models, in input order (one request, split by body size). ``timeout`` and
    ``extra_headers`` apply to this call."""
    return (yield from writes.put(scope_of(wire, timeout, extra_headers), records))


def delete(
    wire: Wire,
    *records: HatModel | UUID | str | None,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[None]:
    """Delete records given as models or record ids (one request, split to keep the URL
    short). Raises ``RecordNotFoundError`` (nothing deleted) if any is missing.

    ``None`` (a ``record_id`` never set) is refused with ``InvalidInputError`` before any
    request; it is accepted by the signature so ``delete(m.record_id)`` type-checks.
    ``timeout`` and ``extra_headers`` apply to this call.
    """
    return (yield from writes.delete(scope_of(wire, timeout, extra_headers), records))


class RecordMethods(Moded[ModeT]):
    """The records of the client's namespace as your models: ``get``, ``post``, ``put``,
    ``delete`` (and ``iter`` on the clients)."""

    get = op(get)
    #: For copying records as they are stored (``hat export``): not public, no model involved.
    _get_stored = op(get_stored)
    post = op(post)
    put = op(put)
    delete = op(delete)
