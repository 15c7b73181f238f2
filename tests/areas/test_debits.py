"""Data debits through client.data_debits (sync and async) against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hat_sdk import (
    AlreadyExistsError,
    BadRequestError,
    HatModel,
    NotEnabledError,
    NotFoundError,
)
from hat_sdk.queries import contains, data_bundle, endpoint_query, property_query
from hat_sdk.types import DataDebitSetupRequest, EndpointDataBundle
from tests.areas.conftest import AnyClient, Note, done, raises

pytestmark = pytest.mark.anyio


THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000


def terms(
    debit_id: str, bundle: EndpointDataBundle, conditions: EndpointDataBundle | None = None
) -> DataDebitSetupRequest:
    return DataDebitSetupRequest(
        data_debit_key=debit_id,
        purpose="Show notes on the test dashboard",
        start=datetime.now(UTC) - timedelta(minutes=1),
        period=THIRTY_DAYS_MS,
        cancel_at_period_end=False,
        request_client_name="Test client",
        request_client_url="https://client.example.com",
        request_client_logo_url="https://client.example.com/logo.png",
        terms_url="https://client.example.com/terms",
        bundle=bundle,
        conditions=conditions,
    )


def notes_bundle(name: str) -> EndpointDataBundle:
    return data_bundle(name, {"notes": property_query(endpoint_query("sandbox-app/notes"))})


async def test_register_enable_values_disable(hat: AnyClient) -> None:
    await done(
        hat.post(Note(endpoint="notes", message="first"), Note(endpoint="notes", message="second"))
    )

    registered = await done(
        hat.data_debits.register("dd-notes", terms("dd-notes", notes_bundle("dd-notes-b")))
    )
    assert registered.data_debit_key == "dd-notes"
    assert not registered.active
    assert not registered.accepted
    # Joda LocalDateTime (offset without colon), as the HAT writes it.
    created = datetime.strptime(registered.date_created, "%Y-%m-%dT%H:%M:%S%z")
    assert abs(created - datetime.now(UTC)) < timedelta(hours=1)
    assert registered.permissions[0].period == THIRTY_DAYS_MS

    with_values = await raises(NotEnabledError, lambda: hat.data_debits.values("dd-notes", Note))
    assert with_values.value.status_code == 400

    enabled = await done(hat.data_debits.enable("dd-notes"))
    assert enabled.active
    assert enabled.permissions_active is not None

    values = await done(hat.data_debits.values("dd-notes", Note))
    assert sorted(note.message for note in values.bundle["notes"]) == ["first", "second"]
    assert all(note.record_id is not None for note in values.bundle["notes"])
    assert values.conditions is None

    listed = await done(hat.data_debits.list())
    assert "dd-notes" in {debit.data_debit_key for debit in listed}
    assert (await done(hat.data_debits.get("dd-notes"))).active

    disabled = await done(hat.data_debits.disable("dd-notes", at_period_end=False))
    assert not disabled.active
    await raises(NotEnabledError, lambda: hat.data_debits.values("dd-notes", Note))


async def test_update_adds_terms_and_conditions_gate_values(hat: AnyClient) -> None:
    await done(hat.post(Note(endpoint="notes", message="hello")))
    await done(hat.data_debits.register("dd-gated", terms("dd-gated", notes_bundle("dd-gated-b"))))
    never = data_bundle(
        "dd-gated-c",
        {
            "flag": property_query(
                endpoint_query("sandbox-app/notes", filters=[contains("message", "absent")])
            )
        },
    )
    updated = await done(
        hat.data_debits.update("dd-gated", terms("dd-gated", notes_bundle("dd-gated-b"), never))
    )
    assert len(updated.permissions) == 2
    await done(hat.data_debits.enable("dd-gated"))

    values = await done(hat.data_debits.values("dd-gated", {"notes": HatModel}))
    assert values.conditions == {"flag": False}
    assert values.bundle == {}


async def test_failures_are_typed(hat: AnyClient) -> None:
    await raises(NotFoundError, lambda: hat.data_debits.get("no-such-debit"))
    # The HAT answers enabling an unknown data debit with 400 "Not Found".
    refused = await raises(BadRequestError, lambda: hat.data_debits.enable("no-such-debit"))
    assert refused.value.message == "Not Found"
    assert isinstance(refused.value, NotFoundError)  # a missing item, whatever its status
    assert refused.value.operation == "enableDataDebit"
    await done(hat.data_debits.register("dd-twice", terms("dd-twice", notes_bundle("dd-twice-b"))))
    await raises(
        AlreadyExistsError,
        lambda: hat.data_debits.register(
            "dd-twice", terms("dd-twice", notes_bundle("dd-twice-other"))
        ),
    )
