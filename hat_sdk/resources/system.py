"""System information (``client.system``) and the HAT-wide record operations of the client
(``sources``, ``link``, ``get_record``)."""

from __future__ import annotations

from uuid import UUID

from hat_sdk._core.answers import answered, fetch
from hat_sdk._core.area_wire import Wire, attrs_body
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.session import Area, ModeT, op
from hat_sdk._core.validation import InvalidInputError, record_uuid
from hat_sdk._generated.client.api.records import get_record, link_data_records, list_data_sources
from hat_sdk._generated.client.api.system import (
    get_api_health,
    get_health,
    get_phata_profile,
    get_system_status,
    get_version,
    report_frontend_action,
)
from hat_sdk._generated.client.models import LogRequest as _LogBody
from hat_sdk._generated.models import HatStatus, HealthStatus, LogRequest, VersionInfo
from hat_sdk._records.models import HatModel, ModelT as RecordT
from hat_sdk.resources._typed_records import ModelChoice, bundle_records, json_object, records_of

__all__ = ["ClientRecordsMixin", "System"]


def system_status(wire: Wire) -> Operation[list[HatStatus]]:
    """The HAT's status metrics (storage used, owner email, previous login...). Owner or
    platform tokens only."""
    return (yield from fetch(wire.request(get_system_status._get_kwargs()), list[HatStatus]))


def version(wire: Wire) -> Operation[str]:
    """The HAT server's version (e.g. ``"v2.8.18"``)."""
    info = yield from fetch(wire.request(get_version._get_kwargs()), VersionInfo)
    return info.version


def health(wire: Wire) -> Operation[HealthStatus]:
    """The HAT's health check (``/healthz``)."""
    return (yield from fetch(wire.request(get_health._get_kwargs()), HealthStatus))


def api_health(wire: Wire) -> Operation[HealthStatus]:
    """The HAT API's health check (``/api/v2.6/healthz``)."""
    return (yield from fetch(wire.request(get_api_health._get_kwargs()), HealthStatus))


def phata_profile(wire: Wire, model: ModelChoice[RecordT]) -> Operation[dict[str, list[RecordT]]]:
    """The owner's public profile (the ``phata`` bundle), per property, as ``model``."""
    response = answered((yield Call(wire.request(get_phata_profile._get_kwargs()))))
    return bundle_records(response, json_object(response), model)


def report_action(
    wire: Wire, action_code: str, *, message: str | None = None, log_group: str | None = None
) -> Operation[None]:
    """Log a front-end action in the HAT's logs (e.g. ``"hmi_invalid_redirect_url"``)."""
    body = LogRequest(action_code=action_code)
    if message is not None:
        body.message = message
    if log_group is not None:
        body.log_group = log_group
    kwargs = report_frontend_action._get_kwargs(body=attrs_body(_LogBody, body))
    answered((yield Call(wire.request(kwargs, body))))


class System(Area[ModeT]):
    """The HAT server: status metrics, version, health, public profile, action log."""

    status = op(system_status)
    version = op(version)
    health = op(health)
    api_health = op(api_health)
    profile = op(phata_profile)
    report_action = op(report_action)


def sources(wire: Wire) -> Operation[dict[str, list[str]]]:
    """Every namespace holding records, with its endpoints (``{"rumpel": ["profile"]}``)."""
    response = answered((yield Call(wire.request(list_data_sources._get_kwargs()))))
    body = json_object(response)
    return {namespace: [str(e) for e in endpoints] for namespace, endpoints in body.items()}


def link(wire: Wire, *records: HatModel | UUID | str) -> Operation[None]:
    """Link stored records (models or record ids) into one group; combinators with ``links``
    then return them together. Raises on ids the HAT does not know (it answers 500)."""
    if len(records) < 2:
        raise InvalidInputError("link needs at least two records (models or record ids)")
    ids = list(dict.fromkeys(record_uuid(record) for record in records))
    answered((yield Call(wire.request(link_data_records._get_kwargs(records=ids)))))


def get_one_record(
    wire: Wire, record_id: HatModel | UUID | str, model: type[RecordT]
) -> Operation[RecordT]:
    """One record by id, from any endpoint, as ``model``. Raises ``RecordNotFoundError`` if
    there is no such record."""
    request = wire.request(get_record._get_kwargs(record_uuid(record_id)))
    response = answered((yield Call(request)))
    return records_of(response, [json_object(response)], model)[0]


class ClientRecordsMixin(Area[ModeT]):
    """The record operations across namespaces, on the client itself."""

    sources = op(sources)
    link = op(link)
    get_record = op(get_one_record)
