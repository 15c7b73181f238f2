"""The real HAT payloads of these areas (tests/contract/payloads) through the area operations.

The operations are sans-IO generators: each test answers their calls with a captured body,
without a server, and checks the typed result.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from hat_sdk import HatModel, NotEnabledError
from hat_sdk._core.exchange import Operation, Reply
from hat_sdk._core.wire import Wire, json_bytes
from hat_sdk._generated.client.api import (
    applications as applications_api,
    data_debits as debits_api,
    feed as feed_api,
    files as files_api,
    records as records_api,
)
from hat_sdk.queries import between, datetime_extract, endpoint_query
from hat_sdk.resources import applications, data_debits as debits
from hat_sdk.types import (
    ApiHatFile,
    BundleDefinition,
    DataDebit,
    DataDebitSetupRequest,
    EndpointDataBundle,
    EndpointQuery,
)

PAYLOADS = Path(__file__).parents[1] / "contract" / "payloads"
T = TypeVar("T")
WIRE = Wire("https://owner.hubat.net", httpx.Client().build_request)


def payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


def answer(operation: Operation[T], body: Any, status: int = 200) -> T:
    """Run ``operation`` answering its one call with ``body``."""
    call = next(operation)
    response = httpx.Response(status, json=body, request=call.request)
    with pytest.raises(StopIteration) as finished:
        operation.send(Reply(response, None, False))
    result: T = finished.value.value
    return result


class Notable(HatModel):
    """The notables records of the captured data debit values."""

    message: str
    kind: str


def test_data_debit_register_response() -> None:
    body = payload("data-debit-register-response.json")
    debit = answer(debits_api._get_data_debit(WIRE, "test1"), body)
    assert isinstance(debit, DataDebit)
    # Joda LocalDateTime, kept as the HAT wrote it (not RFC 3339).
    assert debit.date_created == "2018-11-14T23:51:40+0000"
    assert debit.permissions[0].start == datetime(2018, 11, 14, 23, 51, 40, tzinfo=UTC)
    assert debit.permissions[0].period == timedelta(days=5) // timedelta(milliseconds=1)
    assert debit.start == datetime(2018, 4, 18, 9, 26, 57, tzinfo=UTC)
    assert debit.end is None


def test_data_debit_values_response() -> None:
    body = payload("data-debit-values-response.json")
    models: dict[str, type[HatModel]] = {"profile": HatModel, "notables": Notable}
    values = answer(debits.debit_values(WIRE, "d", models), body)
    assert set(values.bundle) == set(body["bundle"])
    notables = values.bundle["notables"]
    assert isinstance(notables[0], Notable)
    assert notables[0].message == "oooo"
    assert values.bundle["profile"][0].endpoint == "rumpel/profile"


def test_data_debit_not_enabled_error() -> None:
    with pytest.raises(NotEnabledError) as caught:
        answer(
            debits.debit_values(WIRE, "d", HatModel),
            payload("error-data-debit-not-enabled.json"),
            400,
        )
    assert caught.value.cause == "Data Debit locationlocationlocation not enabled"


def test_applications_list_response() -> None:
    body = payload("applications-list-response.json")
    # The iOS test stub's rating lacks `points`, an Int the server's format requires
    # (hat-client-scala-play models/applications/Application.scala:44-46); restore one.
    body[0]["application"]["info"]["rating"]["points"] = 3
    apps = answer(applications_api._list_applications(WIRE), body)
    assert apps[0].application.id
    assert applications.app_status(apps[0]) in set(applications.AppStatus)


def test_file_upload_response() -> None:
    body = payload("file-upload-response.json")
    # The capture's user id was hand-redacted into a non-UUID ("14wf"); restore a valid one.
    body["permissions"][0]["userId"] = body["permissions"][0]["userId"].replace("w", "a")
    file = answer(files_api._get_file(WIRE, "f"), body)
    assert isinstance(file, ApiHatFile)
    assert file.date_created is not None
    assert file.date_created.tzinfo is not None


def test_she_feed_response() -> None:
    items = answer(feed_api._get_she_feed(WIRE), payload("she-feed-response.json"))
    assert items[0].source == "facebook"
    assert items[0].date.iso == datetime(2018, 11, 15, 11, tzinfo=UTC)


def test_data_sources_response() -> None:
    sources = answer(records_api._list_data_sources(WIRE), payload("data-sources-response.json"))
    assert sources.root["rumpel"] == ["profile", "dev-profile", "notablesv1", "locations/android"]


def test_request_payloads_are_models() -> None:
    for name in (
        "combinator-mapping-request.json",
        "combinator-multi-endpoint-request.json",
        "combinator-linked-request.json",
        "combinator-filter-request.json",
    ):
        for query in payload(name):
            EndpointQuery.model_validate(query)
    BundleDefinition.model_validate(payload("data-bundle-register-request.json"))
    EndpointDataBundle.model_validate(payload("phata-default-bundle.json"))
    ApiHatFile.model_validate(payload("files-search-request.json"))


def test_builders_write_the_captured_filter_request() -> None:
    query = endpoint_query(
        "rumpel/locations",
        filters=[
            between("data.locations.timestamp", 7, 9, transformation=datetime_extract("hour"))
        ],
    )
    assert json.loads(json_bytes([query])) == payload("combinator-filter-request.json")


def test_data_debit_terms_are_written_as_the_hat_reads_them() -> None:
    """The generated request model sends wire names, the period as integer milliseconds and
    the start as an ISO-8601 date-time with its offset (the HAT's JodaTime formats)."""
    bundle = EndpointDataBundle.model_validate(payload("phata-default-bundle.json"))
    terms = DataDebitSetupRequest(
        data_debit_key="d",
        purpose="p",
        start=datetime(2018, 1, 2, 16, 22, 42, tzinfo=timezone(timedelta(hours=1))),
        period=timedelta(days=5) // timedelta(milliseconds=1),
        cancel_at_period_end=False,
        request_client_name="n",
        request_client_url="https://c.example.com",
        request_client_logo_url="https://c.example.com/l.png",
        terms_url="https://c.example.com/t",
        bundle=bundle,
    )
    written = json.loads(json_bytes(terms))
    assert written["period"] == 432000000
    assert datetime.fromisoformat(written["start"]) == datetime(2018, 1, 2, 15, 22, 42, tzinfo=UTC)
    assert set(written) == {
        "dataDebitKey",
        "purpose",
        "start",
        "period",
        "cancelAtPeriodEnd",
        "requestClientName",
        "requestClientUrl",
        "requestClientLogoUrl",
        "termsUrl",
        "bundle",
    }
    assert DataDebitSetupRequest.model_validate(written) == terms


def test_an_api_model_gives_back_the_hat_s_json() -> None:
    body = payload("data-debit-register-response.json")
    debit = DataDebit.model_validate(body)
    as_sent = debit.to_dict()
    assert as_sent.keys() == body.keys()  # the HAT's names, only what it sent
    assert "data_debit_key" in debit.model_dump()  # pydantic's own dump: Python names
    assert DataDebit.model_validate(as_sent) == debit
    assert json.loads(debit.to_json()) == as_sent
