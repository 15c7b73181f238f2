"""Data debits (``client.data_debits``): the generated operations, plus ``values`` typed by
the user's record models."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic

import httpx

from hat_sdk._core.calls import answered
from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.resource import ModeT, op
from hat_sdk._core.wire import CallOptions, Wire
from hat_sdk._generated.client.api.data_debits import (
    DataDebitsResource,
    route_get_data_debit_values,
)
from hat_sdk._records.models import ModelT
from hat_sdk.resources._typed_records import ModelChoice, bundle_records, json_object

__all__ = ["DataDebitValues", "DataDebits"]


@dataclass(frozen=True, slots=True)
class DataDebitValues(Generic[ModelT]):
    """What a data debit shares now: each bundle property's records as user models.

    ``conditions``: whether each condition of the debit holds (None when it has none); when
    one does not hold, ``bundle`` is empty.
    """

    bundle: dict[str, list[ModelT]]
    conditions: dict[str, bool] | None


def debit_values(
    wire: Wire,
    debit_id: str,
    model: ModelChoice[ModelT],
    *,
    timeout: float | httpx.Timeout | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> Operation[DataDebitValues[ModelT]]:
    """What an enabled data debit shares now, each property's records parsed as ``model``
    (one model, or a model per property name), linked records in each record's ``links``.

    Like ``get_values`` (``GET /api/v2.6/data-debit/{dataDebitId}/values``), typed. Raises
    ``NotEnabledError`` if the debit is not active (not enabled, not started yet or ended).

    ``timeout`` (seconds) and ``extra_headers`` apply to this call's requests.
    """
    wire = wire.with_options(CallOptions(timeout, extra_headers))
    request = wire.request(route_get_data_debit_values(debit_id))
    response = answered((yield Call(request, reads=None)), "getDataDebitValues")
    body = json_object(response)
    conditions = body.get("conditions")
    return DataDebitValues(
        bundle=bundle_records(response, body.get("bundle", {}), model),
        conditions=dict(conditions) if isinstance(conditions, dict) else None,
    )


class DataDebits(DataDebitsResource[ModeT]):
    """Consented, periodic sharing of a bundle of data (the generated operations, and
    ``values`` typed by your models)."""

    values = op(debit_values)
