"""Unit tests of data-debit state rules and the application data-debit hook.

Server source: dataswift/HAT2.0
``hat/app/org/hatdex/hat/api/service/richData/DataDebitService.scala``; models in
hat-client-scala-play ``src/main/scala/org/hatdex/hat/api/models/EndpointData.scala:142-211``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hat_sdk.sandbox import _debits
from hat_sdk.sandbox._bundle_store import save_bundle
from hat_sdk.sandbox._catalogue import application_json
from hat_sdk.sandbox._config import SandboxConfig
from hat_sdk.sandbox._debit_store import DataDebitApplicationHooks, load_debit, save_debit
from hat_sdk.sandbox._errors import HatHTTPError
from hat_sdk.sandbox._knobs import Knobs
from hat_sdk.sandbox._queries import Bundle
from hat_sdk.sandbox._routes_applications import hat_application, set_application_enabled
from hat_sdk.sandbox._state import SandboxState

_START = datetime(2024, 1, 1, tzinfo=UTC)
_DAY = timedelta(days=1)


def _permissions(**changes: Any) -> _debits.Permissions:
    base = _debits.Permissions(
        date_created=_START,
        purpose="p",
        start=_START,
        period=10 * _DAY,
        cancel_at_period_end=False,
        terms_url="t",
        bundle=Bundle("b"),
        accepted=True,
    )
    return replace(base, **changes)


def test_end_rules() -> None:
    assert _permissions().end() is None
    assert _permissions(cancel_at_period_end=True).end() == _START + 10 * _DAY
    cancelled = _START + 13 * _DAY
    assert _permissions(canceled_at=cancelled).end() == cancelled
    at_period_end = _permissions(canceled_at=cancelled, cancel_at_period_end=True)
    assert at_period_end.end() == _START + 20 * _DAY


def test_active_needs_acceptance_start_and_no_end_yet() -> None:
    now = _START + 5 * _DAY
    assert _permissions().is_active(now)
    assert not _permissions(accepted=False).is_active(now)
    assert not _permissions(start=now + _DAY).is_active(now)
    assert not _permissions(canceled_at=now).is_active(now)
    assert _permissions(canceled_at=now, cancel_at_period_end=True).is_active(now)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (432000000, timedelta(days=5)),
        ("P5D", timedelta(days=5)),
        ("PT432000S", timedelta(days=5)),
        ("P1W", timedelta(weeks=1)),
        ("PT1H30M", timedelta(minutes=90)),
        ("P1Y", None),
        (0, None),
        (True, None),
    ],
)
def test_period_parsing(value: Any, expected: timedelta | None) -> None:
    assert _debits.parse_period(value) == expected


def test_state_round_trip() -> None:
    debit = _debits.DataDebit(
        key="k",
        date_created=_START,
        client_name="c",
        client_url="u",
        client_logo_url="l",
        description="d",
        permissions=(_permissions(conditions=Bundle("cond")), _permissions(accepted=False)),
    )
    assert _debits.debit_from_json(_debits.debit_state(debit)) == debit


@pytest.fixture
def state() -> Iterator[SandboxState]:
    sandbox_state = SandboxState.create(SandboxConfig(), Knobs())
    yield sandbox_state
    sandbox_state.store.close()


def _application(bundle_name: str) -> dict[str, Any]:
    return {
        "id": "reader",
        "info": {"name": "Reader", "termsUrl": "https://reader.example.com/terms"},
        "permissions": {
            "rolesGranted": [],
            "dataRetrieved": {
                "name": bundle_name,
                "bundle": {"notes": {"endpoints": [{"endpoint": "rumpel/notablesv1"}]}},
            },
        },
    }


def test_application_setup_creates_and_enables_its_debit(state: SandboxState) -> None:
    hooks = DataDebitApplicationHooks()
    hooks.on_setup(state, _application("reader-bundle"))
    debit = load_debit(state.store, "app-reader")
    assert debit is not None
    assert debit.active_permissions(state.now()) is not None
    assert debit.to_json(state.now())["requestApplicationId"] == "reader"

    hooks.on_disable(state, _application("reader-bundle"))
    disabled = load_debit(state.store, "app-reader")
    assert disabled is not None
    assert disabled.active_permissions(state.now() + timedelta(seconds=1)) is None

    hooks.on_setup(state, _application("reader-bundle-v2"))
    again = load_debit(state.store, "app-reader")
    assert again is not None
    active = again.active_permissions(state.now())
    assert active is not None
    assert active.bundle.name == "reader-bundle-v2"


def test_application_setup_with_a_clashing_bundle_is_malformed(state: SandboxState) -> None:
    save_bundle(state.store, Bundle("taken"), debit="other")
    with pytest.raises(HatHTTPError) as caught:
        DataDebitApplicationHooks().on_setup(state, _application("taken"))
    assert caught.value.status == 500
    # The cause names the legacy permissions.dataRequired bundle, absent here, so "None"
    # (HAT2.0 hat/app/org/hatdex/hat/api/controllers/Applications.scala:149-160).
    assert caught.value.body == {
        "message": "Application malformed",
        "cause": "Application reader bundle None clashes with one already setup",
    }


def test_application_without_data_retrieved_gets_no_debit(state: SandboxState) -> None:
    DataDebitApplicationHooks().on_setup(state, {"id": "plain", "permissions": {}})
    assert load_debit(state.store, "app-plain") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (86400000, timedelta(days=1)),
        (1.0, timedelta(milliseconds=1)),
        ("PT1S", timedelta(seconds=1)),
        ("P5D", timedelta(days=5)),
    ],
)
def test_periods_are_whole_milliseconds(value: Any, expected: timedelta) -> None:
    assert _debits.parse_period(value) == expected


@pytest.mark.parametrize("value", [2.5890419884777833e-42, 0.5, 0, -1, "PT0.0001S", "P", True])
def test_periods_shorter_than_a_millisecond_or_fractional_are_rejected(value: Any) -> None:
    # A sub-millisecond period used to pass and then divide by zero when the debit ended.
    assert _debits.parse_period(value) is None


def test_application_debit_takes_the_applications_details_and_grows_on_each_setup(
    state: SandboxState,
) -> None:
    # Application.dataDebitSetupRequest (hat-client-scala-play models/applications/
    # Application.scala:211-233) and ApplicationsService.enableAssociatedDataDebit (HAT2.0
    # api/service/applications/ApplicationsService.scala:185-216): create, or refresh the client
    # details and add a permissions row, then enable the newest.
    application = {
        **_application("reader-bundle"),
        "kind": {"kind": "App", "url": "https://reader.example.com"},
    }
    application["info"] = {
        **application["info"],
        "dataUsePurpose": "Reads your notes",
        "description": {"text": "A reader"},
        "graphics": {"logo": {"normal": "https://reader.example.com/logo.png"}},
    }
    hooks = DataDebitApplicationHooks()
    hooks.on_setup(state, application)
    hooks.on_setup(state, application)
    debit = load_debit(state.store, "app-reader")
    assert debit is not None
    shown = debit.to_json(state.now())
    assert (shown["requestClientUrl"], shown["requestClientLogoUrl"]) == (
        "https://reader.example.com",
        "https://reader.example.com/logo.png",
    )
    assert shown["requestDescription"] == "A reader"
    assert [p["purpose"] for p in shown["permissions"]] == ["Reads your notes"] * 2
    assert [p["accepted"] for p in shown["permissions"]] == [True, True]


def test_an_application_is_active_only_while_its_debit_shares_its_bundle(
    state: SandboxState,
) -> None:
    # ApplicationsService.checkDataDebit (HAT2.0 api/service/applications/
    # ApplicationsService.scala:404-423) feeds HatApplication.active (l.457-490).
    application = application_json(
        "reader", name="Reader", kind="App", version="1.0.0", headline="h", roles=[]
    )
    application["permissions"]["dataRetrieved"] = _application("reader-bundle")["permissions"][
        "dataRetrieved"
    ]
    state.catalogue["reader"] = application
    state.application_hooks.append(DataDebitApplicationHooks())
    set_application_enabled(state, "reader", enabled=True)
    assert hat_application(state, "reader")["active"] is True
    debit = load_debit(state.store, "app-reader")
    assert debit is not None
    save_debit(state.store, _debits.disable(debit, state.now(), at_period_end=False))
    state.knobs.clock_offset = timedelta(seconds=1)
    shown = hat_application(state, "reader")
    assert (shown["enabled"], shown["active"]) == (True, False)
