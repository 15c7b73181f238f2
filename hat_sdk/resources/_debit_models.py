"""Data debit models with Python date-times and durations.

They mirror the spec's ``DataDebit``, ``DataDebitPermissions`` and ``DataDebitSetupRequest``
field for field (a test keeps them in step) with ``dateCreated`` as ``datetime`` and
``period`` as ``timedelta`` instead of the generated ``str``/``int``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic

from pydantic import BaseModel, ConfigDict, Field

from hat_sdk._generated.models import EndpointDataBundle
from hat_sdk._records.models import ModelT
from hat_sdk.resources._values import HatDateTime, Milliseconds

__all__ = ["DataDebit", "DataDebitPermissions", "DataDebitRequest", "DataDebitValues"]

_CONFIG = ConfigDict(extra="allow", populate_by_name=True)


class DataDebitRequest(BaseModel):
    """The terms of a data debit to register or update (the v2.6 ``DataDebitSetupRequest``).

    ``period`` is the length of one period; ``cancel_at_period_end`` makes the debit end at
    the end of its first period instead of rolling on. ``data_debit_key`` may stay empty:
    the HAT uses the id of the URL (the client fills it in).
    """

    model_config = _CONFIG
    data_debit_key: Annotated[str, Field(alias="dataDebitKey")] = ""
    purpose: str
    start: HatDateTime
    period: Milliseconds
    cancel_at_period_end: Annotated[bool, Field(alias="cancelAtPeriodEnd")] = False
    request_client_name: Annotated[str, Field(alias="requestClientName")]
    request_client_url: Annotated[str, Field(alias="requestClientUrl")]
    request_client_logo_url: Annotated[str, Field(alias="requestClientLogoUrl")]
    request_client_callback_url: Annotated[str | None, Field(alias="requestClientCallbackUrl")] = (
        None
    )
    request_application_id: Annotated[str | None, Field(alias="requestApplicationId")] = None
    request_description: Annotated[str | None, Field(alias="requestDescription")] = None
    terms_url: Annotated[str, Field(alias="termsUrl")]
    conditions: EndpointDataBundle | None = None
    bundle: EndpointDataBundle


class DataDebitPermissions(BaseModel):
    """One version of a data debit's terms, with its state."""

    model_config = _CONFIG
    date_created: Annotated[HatDateTime, Field(alias="dateCreated")]
    purpose: str
    start: HatDateTime
    period: Milliseconds
    cancel_at_period_end: Annotated[bool, Field(alias="cancelAtPeriodEnd")]
    canceled_at: Annotated[HatDateTime | None, Field(alias="canceledAt")] = None
    terms_url: Annotated[str, Field(alias="termsUrl")]
    conditions: EndpointDataBundle | None = None
    bundle: EndpointDataBundle
    accepted: bool
    active: bool
    end: HatDateTime | None
    """When these terms stop (None: rolling on)."""


class DataDebit(BaseModel):
    """A data debit with every version of its terms (the newest active and latest apart)."""

    model_config = _CONFIG
    data_debit_key: Annotated[str, Field(alias="dataDebitKey")]
    date_created: Annotated[HatDateTime, Field(alias="dateCreated")]
    permissions: list[DataDebitPermissions]
    request_client_name: Annotated[str, Field(alias="requestClientName")]
    request_client_url: Annotated[str, Field(alias="requestClientUrl")]
    request_client_logo_url: Annotated[str, Field(alias="requestClientLogoUrl")]
    request_application_id: Annotated[str | None, Field(alias="requestApplicationId")] = None
    request_description: Annotated[str | None, Field(alias="requestDescription")] = None
    active: bool
    accepted: bool
    start: HatDateTime | None
    end: HatDateTime | None
    permissions_active: Annotated[DataDebitPermissions | None, Field(alias="permissionsActive")]
    permissions_latest: Annotated[DataDebitPermissions | None, Field(alias="permissionsLatest")]


@dataclass(frozen=True, slots=True)
class DataDebitValues(Generic[ModelT]):
    """What a data debit shares now: each bundle property's records as user models.

    ``conditions``: whether each condition of the debit holds (None when it has none); when
    one does not hold, ``bundle`` is empty.
    """

    bundle: dict[str, list[ModelT]]
    conditions: dict[str, bool] | None
