"""Data debits (``client.data_debits``): register, inspect, enable/disable, read values."""

from __future__ import annotations

from hat_sdk._core.answers import answered, fetch
from hat_sdk._core.area_wire import Wire, attrs_body
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.session import Area, ModeT, op
from hat_sdk._core.validation import InvalidInputError
from hat_sdk._generated.client.api.data_debits import (
    disable_data_debit,
    enable_data_debit,
    get_data_debit,
    get_data_debit_values,
    list_data_debits,
    register_data_debit,
    update_data_debit,
)
from hat_sdk._generated.client.models import DataDebitSetupRequest as _SetupBody
from hat_sdk._records.models import ModelT as RecordT
from hat_sdk.resources._debit_models import DataDebit, DataDebitRequest, DataDebitValues
from hat_sdk.resources._typed_records import ModelChoice, bundle_records, json_object

__all__ = ["DataDebits"]


def _keyed(debit_id: str, request: DataDebitRequest) -> DataDebitRequest:
    if not isinstance(request, DataDebitRequest):
        raise InvalidInputError(
            f"request must be a hat_sdk.types.DataDebitRequest, got {type(request).__name__}"
        )
    return request.model_copy(update={"data_debit_key": debit_id})


def list_debits(wire: Wire) -> Operation[list[DataDebit]]:
    """Every data debit of the HAT (owner only)."""
    return (yield from fetch(wire.request(list_data_debits._get_kwargs()), list[DataDebit]))


def get_debit(wire: Wire, debit_id: str) -> Operation[DataDebit]:
    """One data debit. Raises ``NotFoundError`` if there is none with this id."""
    request = wire.request(get_data_debit._get_kwargs(debit_id))
    return (yield from fetch(request, DataDebit))


def register_debit(wire: Wire, debit_id: str, request: DataDebitRequest) -> Operation[DataDebit]:
    """Register a new data debit (not yet enabled). Raises ``AlreadyExistsError`` if the id,
    or the name of its bundle (bundle names are global), is taken."""
    body = _keyed(debit_id, request)
    kwargs = register_data_debit._get_kwargs(debit_id, body=attrs_body(_SetupBody, body))
    return (yield from fetch(wire.request(kwargs, body), DataDebit))


def update_debit(wire: Wire, debit_id: str, request: DataDebitRequest) -> Operation[DataDebit]:
    """Add new terms to a data debit (they need enabling again)."""
    body = _keyed(debit_id, request)
    kwargs = update_data_debit._get_kwargs(debit_id, body=attrs_body(_SetupBody, body))
    return (yield from fetch(wire.request(kwargs, body), DataDebit))


def enable_debit(wire: Wire, debit_id: str) -> Operation[DataDebit]:
    """Accept the newest terms of a data debit (owner only)."""
    request = wire.request(enable_data_debit._get_kwargs(debit_id))
    return (yield from fetch(request, DataDebit))


def disable_debit(wire: Wire, debit_id: str, *, at_period_end: bool) -> Operation[DataDebit]:
    """Cancel a data debit now, or at the end of its current period (owner only)."""
    kwargs = disable_data_debit._get_kwargs(debit_id, at_period_end=at_period_end)
    return (yield from fetch(wire.request(kwargs), DataDebit))


def debit_values(
    wire: Wire, debit_id: str, model: ModelChoice[RecordT]
) -> Operation[DataDebitValues[RecordT]]:
    """What an enabled data debit shares now, each property's records parsed as ``model``
    (one model, or a model per property name). Raises ``NotEnabledError`` if the debit is not
    active (not enabled, not started yet or ended)."""
    reply = yield Call(wire.request(get_data_debit_values._get_kwargs(debit_id)))
    response = answered(reply)
    body = json_object(response)
    conditions = body.get("conditions")
    return DataDebitValues(
        bundle=bundle_records(response, body.get("bundle", {}), model),
        conditions=dict(conditions) if isinstance(conditions, dict) else None,
    )


class DataDebits(Area[ModeT]):
    """The HAT's data debits: consented, periodic sharing of a bundle of data."""

    list = op(list_debits)
    get = op(get_debit)
    register = op(register_debit)
    update = op(update_debit)
    enable = op(enable_debit)
    disable = op(disable_debit)
    values = op(debit_values)
