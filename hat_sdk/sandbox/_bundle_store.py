"""Persistence of combinators and data bundles in the sandbox store's blob table.

Bundle names are global: data bundles registered directly and the bundles of data debits share
one namespace, as in the server's ``data_bundles`` table. ``debit`` records which data debit (if
any) a bundle belongs to.
"""

from __future__ import annotations

from hat_sdk.sandbox._queries import (
    Bundle,
    EndpointQuery,
    Json,
    parse_bundle_properties,
    parse_endpoint_queries,
)
from hat_sdk.sandbox._store import Store

_COMBINATOR = "combinator"
_BUNDLE = "bundle"
PHATA_BUNDLE = "phata"


def save_combinator(store: Store, name: str, queries: tuple[EndpointQuery, ...]) -> None:
    """Insert or replace combinator ``name``."""
    store.put_blob(_COMBINATOR, name, [q.to_json() for q in queries])


def load_combinator(store: Store, name: str) -> tuple[EndpointQuery, ...] | None:
    """Combinator ``name``, or ``None`` when it was never registered."""
    stored = store.get_blob(_COMBINATOR, name)
    return None if stored is None else parse_endpoint_queries(stored)


def save_bundle(store: Store, bundle: Bundle, *, debit: str | None = None) -> None:
    """Insert or replace ``bundle`` under its name, remembering the owning data debit."""
    store.put_blob(_BUNDLE, bundle.name, {"bundle": bundle.bundle_json(), "debit": debit})


def load_bundle(store: Store, name: str) -> Bundle | None:
    """Bundle ``name``, or ``None`` when it was never registered."""
    stored = store.get_blob(_BUNDLE, name)
    return None if stored is None else parse_bundle_properties(name, stored["bundle"])


def bundle_owner(store: Store, name: str) -> tuple[bool, str | None]:
    """``(exists, owning debit key)`` of bundle ``name``."""
    stored = store.get_blob(_BUNDLE, name)
    return (False, None) if stored is None else (True, stored.get("debit"))


# The server's built-in phata bundle (HAT2.0 ``hat/conf/phata.conf``).
_DEFAULT_PHATA: dict[str, Json] = {
    "name": "phata",
    "bundle": {
        "notables": {
            "endpoints": [
                {
                    "filters": [
                        {"field": "shared", "operator": {"value": True, "operator": "contains"}},
                        {
                            "field": "shared_on",
                            "operator": {"value": "phata", "operator": "contains"},
                        },
                    ],
                    "mapping": {
                        "kind": "kind",
                        "shared": "shared",
                        "message": "message",
                        "author": "authorv1",
                        "location": "locationv1",
                        "shared_on": "shared_on",
                        "created_time": "created_time",
                        "public_until": "public_until",
                        "updated_time": "updated_time",
                    },
                    "endpoint": "rumpel/notablesv1",
                }
            ],
            "orderBy": "updated_time",
            "ordering": "descending",
        },
        "profile": {
            "endpoints": [{"endpoint": "rumpel/profile", "mapping": {"shared": "shared"}}],
            "orderBy": "dateCreated",
            "ordering": "descending",
            "limit": 1,
        },
    },
}


def phata_bundle(store: Store) -> Bundle:
    """The stored ``phata`` bundle, else the server's built-in default (``hat/conf/phata.conf``)."""
    stored = load_bundle(store, PHATA_BUNDLE)
    if stored is not None:
        return stored
    return parse_bundle_properties(PHATA_BUNDLE, _DEFAULT_PHATA["bundle"])
