"""Persistence of data debits and the application setup hook that manages ``app-<id>`` debits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hat_sdk.sandbox import _debits
from hat_sdk.sandbox._bundle_store import bundle_owner, load_bundle, save_bundle
from hat_sdk.sandbox._debits import DataDebit, SetupRequest
from hat_sdk.sandbox._errors import HatHTTPError, envelope_b, internal_error
from hat_sdk.sandbox._queries import Bundle, QueryValidationError
from hat_sdk.sandbox._state import SandboxState
from hat_sdk.sandbox._store import Store

_DEBIT = "data-debit"


class DebitConflict(Exception):
    """A register/update request clashes with stored state; ``str()`` is the server's cause."""


def load_debit(store: Store, key: str) -> DataDebit | None:
    """Data debit ``key``, or ``None``."""
    stored = store.get_blob(_DEBIT, key)
    return None if stored is None else _debits.debit_from_json(stored)


def list_debits(store: Store) -> list[DataDebit]:
    """Every data debit, ordered by key."""
    return [_debits.debit_from_json(state) for _, state in store.list_blobs(_DEBIT)]


def save_debit(store: Store, debit: DataDebit) -> None:
    """Insert or replace ``debit``."""
    store.put_blob(_DEBIT, debit.key, _debits.debit_state(debit))


def _request_bundles(request: SetupRequest) -> list[Bundle]:
    return [b for b in (request.bundle, request.conditions) if b is not None]


def register_debit(state: SandboxState, key: str, request: SetupRequest) -> DataDebit:
    """Create data debit ``key`` and its bundles; raises ``DebitConflict``."""
    store = state.store
    if load_debit(store, key) is not None:
        raise DebitConflict("Data Debit with such ID already exists")
    names = [bundle.name for bundle in _request_bundles(request)]
    # A conditions bundle named like the main one is a second insert of the same key
    # (HAT2.0 DataDebitService.scala:69-77, 105-113).
    if len(set(names)) < len(names) or any(bundle_owner(store, name)[0] for name in names):
        raise DebitConflict("Data bundle with such ID already exists")
    debit = _debits.create(key, request, state.now())
    for bundle in _request_bundles(request):
        save_bundle(store, bundle, debit=key)
    save_debit(store, debit)
    return debit


def update_debit(state: SandboxState, key: str, request: SetupRequest) -> DataDebit:
    """Add a permissions row to data debit ``key``; raises ``DebitConflict``.

    A bundle whose name is already linked to this debit is reused as stored (the server only
    inserts bundles it does not have), so its content in the request is ignored. A name that
    exists but no data debit uses (a registerBundle bundle) makes the server's insert hit the
    bundles' primary key, an error nothing maps: a 500 (HAT2.0 DataDebitService.scala l.188-201,
    l.247-255; DataDebits.scala l.100-102 recovers only RichDataServiceException).
    """
    store = state.store
    debit = load_debit(store, key)
    if debit is None:
        raise DebitConflict("Data Debit being updated does not exist")
    for bundle in _request_bundles(request):
        exists, owner = bundle_owner(store, bundle.name)
        if exists and owner is None:
            raise internal_error("data_bundles_pkey")
        if exists and owner != key:
            raise DebitConflict(
                f"Bundle {bundle.name} already linked and could not be reassigned "
                "to a different data debit"
            )
    request = replace(
        request,
        bundle=_stored_or_new(store, request.bundle, key),
        conditions=request.conditions and _stored_or_new(store, request.conditions, key),
    )
    updated = _debits.update(debit, request, state.now())
    save_debit(store, updated)
    return updated


def _stored_or_new(store: Store, bundle: Bundle, key: str) -> Bundle:
    stored = load_bundle(store, bundle.name)
    if stored is not None:
        return stored
    save_bundle(store, bundle, debit=key)
    return bundle


def refresh_debit_bundle(store: Store, bundle: Bundle) -> None:
    """After bundle ``bundle`` was re-registered, make its data debit (if any) use the new one.

    Debits reference bundles by name on the server, so re-registering one changes them too.
    """
    owner = bundle_owner(store, bundle.name)[1]
    debit = load_debit(store, owner) if owner is not None else None
    if debit is None:
        return

    def swap(current: Bundle) -> Bundle:
        return bundle if current.name == bundle.name else current

    rows = tuple(
        replace(p, bundle=swap(p.bundle), conditions=p.conditions and swap(p.conditions))
        for p in debit.permissions
    )
    save_debit(store, replace(debit, permissions=rows))


def application_debit_key(app_id: str) -> str:
    """The data debit an application's ``dataRetrieved`` bundle is served through."""
    return f"app-{app_id}"


def setup_application_debit(state: SandboxState, application: dict[str, Any]) -> None:
    """Create or update, then enable, data debit ``app-<id>`` from ``permissions.dataRetrieved``.

    Like HAT2.0 ApplicationsService.enableAssociatedDataDebit (l.185-216): an existing debit
    gets the application's client details and a new permissions row on every setup. Does
    nothing for applications without ``dataRetrieved``. Raises ``HatHTTPError`` 500
    "Application malformed" when the bundle name clashes with one already set up elsewhere.
    """
    if application.get("permissions", {}).get("dataRetrieved") is None:
        return
    key = application_debit_key(str(application["id"]))
    try:
        request = _debits.application_request(application, state.now())
    except QueryValidationError:
        raise _malformed(application) from None
    debit = load_debit(state.store, key)
    try:
        if debit is None:
            debit = register_debit(state, key, request)
        else:
            save_debit(state.store, _debits.refresh_info(debit, request))
            debit = update_debit(state, key, request)
    except DebitConflict:
        raise _malformed(application) from None
    save_debit(state.store, _debits.enable(debit))


def disable_application_debit(state: SandboxState, application: dict[str, Any]) -> None:
    """Cancel data debit ``app-<id>`` immediately, if the application has one."""
    debit = load_debit(state.store, application_debit_key(str(application["id"])))
    if debit is not None:
        save_debit(state.store, _debits.disable(debit, state.now(), at_period_end=False))


def _malformed(application: dict[str, Any]) -> HatHTTPError:
    # The server's message names the legacy ``permissions.dataRequired`` bundle (usually absent,
    # so "None"), not the ``dataRetrieved`` one that clashed (HAT2.0 Applications.scala l.149-160).
    app_id = application["id"]
    required = application.get("permissions", {}).get("dataRequired")
    bundle = required.get("bundle") if isinstance(required, dict) else None
    name = bundle.get("name") if isinstance(bundle, dict) else None
    shown = "None" if name is None else f"Some({name})"
    return envelope_b(
        500,
        "Application malformed",
        f"Application {app_id} bundle {shown} clashes with one already setup",
    )


class DataDebitApplicationHooks:
    """``ApplicationHooks`` managing ``app-<id>`` data debits."""

    def on_setup(self, state: SandboxState, application: dict[str, Any]) -> None:
        """Create/update and enable the application's data debit."""
        setup_application_debit(state, application)

    def on_disable(self, state: SandboxState, application: dict[str, Any]) -> None:
        """Disable the application's data debit."""
        disable_application_debit(state, application)
