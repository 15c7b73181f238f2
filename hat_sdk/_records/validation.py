"""Checks of user input made before any request, with messages that say what to fix."""

from __future__ import annotations

import re
from uuid import UUID

from hat_sdk._records.models import HatModel
from hat_sdk._records.options import GetOpts, Ordering
from hat_sdk.errors import InvalidInputError

__all__ = [
    "InvalidInputError",
    "check_model",
    "check_namespace",
    "check_options",
    "endpoint_path",
    "record_uuid",
]

_NAMESPACE = re.compile(r"[0-9a-z-]+")
_ENDPOINT_SEGMENT = re.compile(r"[0-9a-z-]+")


def check_namespace(namespace: str) -> str:
    """Return ``namespace`` if the HAT accepts it (``^[0-9a-z-]+$``), else raise."""
    if not isinstance(namespace, str) or not _NAMESPACE.fullmatch(namespace):
        raise InvalidInputError(
            f"namespace {namespace!r} is invalid: use only lowercase letters a-z, digits and '-'"
            " (e.g. 'my-app')"
        )
    return namespace


def endpoint_path(namespace: str, endpoint: str | None) -> tuple[str, str]:
    """Split ``endpoint`` into (namespace, endpoint), by one unambiguous rule.

    ``"locations"`` is an endpoint of the client's namespace; a path with a ``/`` names its
    namespace first: ``"<namespace>/locations/ios"``. So ``"rumpel/notes"`` on a client of
    another namespace is refused rather than written to ``<namespace>/rumpel/notes``, which is
    not what it looks like.
    """
    if endpoint is None:
        raise InvalidInputError(
            "the record has no endpoint: set endpoint='<name>' on the model (e.g. 'locations')"
        )
    if not all(_ENDPOINT_SEGMENT.fullmatch(segment) for segment in endpoint.split("/")):
        raise InvalidInputError(
            f"endpoint {endpoint!r} is invalid: use '/'-separated non-empty segments of lowercase"
            " letters a-z, digits and '-' (e.g. 'locations' or 'locations/ios'); no '.', '?',"
            " '#', '%', spaces or other characters"
        )
    if "/" in endpoint and not endpoint.startswith(f"{namespace}/"):
        first = endpoint.split("/", 1)[0]
        raise InvalidInputError(
            f"endpoint {endpoint!r} is ambiguous on a client of namespace {namespace!r}: a path"
            f" with '/' must start with the namespace. Write '{namespace}/{endpoint}' for a"
            f" sub-endpoint of {namespace!r}, or use a client of namespace {first!r} for that"
            " namespace's records"
        )
    relative = endpoint.removeprefix(f"{namespace}/")
    return namespace, relative


def check_model(model: object) -> None:
    """Raise unless ``model`` is a HatModel subclass (the class, not an instance)."""
    if not (isinstance(model, type) and issubclass(model, HatModel)):
        raise InvalidInputError(
            f"{model!r} is not a HatModel subclass: pass the class of your records, e.g."
            " client.get(Location, 'locations') with class Location(HatModel)"
        )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_options(options: GetOpts) -> GetOpts:
    """Return ``options`` if its values make sense, else raise."""
    if not isinstance(options, GetOpts):
        raise InvalidInputError(f"options must be a GetOpts, got {type(options).__name__}")
    if not _is_int(options.skip) or (options.take is not None and not _is_int(options.take)):
        raise InvalidInputError(
            f"skip and take must be whole numbers, got skip={options.skip!r} take={options.take!r}"
        )
    if options.ordering is not None and options.ordering not in set(Ordering):
        raise InvalidInputError(
            f'ordering must be Ordering.ASCENDING or Ordering.DESCENDING (or "ascending",'
            f' "descending"), got {options.ordering!r}'
        )
    if options.order_by is not None and not isinstance(options.order_by, str):
        raise InvalidInputError(f"order_by must be a str path, got {options.order_by!r}")
    if options.skip < 0:
        raise InvalidInputError(f"skip must be >= 0, got {options.skip}")
    if options.take is not None and options.take < 0:
        raise InvalidInputError(f"take must be >= 0 (or None for the default), got {options.take}")
    if options.order_by is not None and not options.order_by:
        raise InvalidInputError("order_by must be a non-empty dot-separated path, or None")
    return options


def record_uuid(value: object) -> UUID:
    """Return the record id held by ``value`` (a HatModel, UUID or UUID string), else raise."""
    record_id = getattr(value, "record_id", value)
    if isinstance(record_id, UUID):
        return record_id
    if isinstance(record_id, str):
        try:
            return UUID(record_id)
        except ValueError:
            pass
    raise InvalidInputError(
        f"{value!r} does not identify a stored record: pass a model returned by the HAT"
        " (with record_id set), or its record id"
    )
