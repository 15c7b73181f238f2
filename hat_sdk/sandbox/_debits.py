"""Data-debit state and its JSON form (v2.6 format). Pure: callers pass ``now``.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/service/richData/DataDebitService.scala``; [MODELS]
``src/main/scala/org/hatdex/hat/api/models/EndpointData.scala:142-231`` and
``json/RichDataJsonFormats.scala:172-195``.

A data debit keeps every permissions row ever requested. Whether a row is active, and when it
ends, is derived from its acceptance, start, period and cancellation exactly as the server does.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from hat_sdk.sandbox._dates import iso_datetime, local_datetime, parse_datetime
from hat_sdk.sandbox._queries import (
    Bundle,
    Json,
    QueryValidationError,
    parse_bundle_at,
    parse_bundle_properties,
)

DEBIT_ID_RE = re.compile(r"^[0-9a-zA-Z-]+$")


_DURATION_RE = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


_LONG_MAX = 2**63 - 1


_ONE_MILLISECOND = timedelta(milliseconds=1)


def parse_period(value: Json) -> timedelta | None:
    """A Joda ``Duration``: milliseconds, or an ISO-8601 duration such as ``PT432000S``/``P5D``."""
    try:
        return _parse_period(value)
    except OverflowError:  # beyond Python's timedelta (about 2.7 million years)
        return None


def _parse_period(value: Json) -> timedelta | None:
    # Joda durations are whole milliseconds: a fraction is not a Long, and a period shorter
    # than 1 ms would make the period arithmetic of ``Permissions.end`` divide by zero.
    if isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) > _LONG_MAX or value != int(value):  # the millisecond count is a Long
            return None
        period = timedelta(milliseconds=int(value))
    elif isinstance(value, str):
        match = _DURATION_RE.match(value.strip().upper())
        if match is None or value.strip().upper() in ("P", "PT"):
            return None
        parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
        period = timedelta(
            weeks=parts["w"],
            days=parts["d"],
            hours=parts["h"],
            minutes=parts["m"],
            seconds=parts["s"],
        )
    else:
        return None
    return period if period >= _ONE_MILLISECOND else None


@dataclass(frozen=True)
class SetupRequest:
    """A parsed ``DataDebitSetupRequest``."""

    purpose: str
    start: datetime
    period: timedelta
    cancel_at_period_end: bool
    client_name: str
    client_url: str
    client_logo_url: str
    terms_url: str
    bundle: Bundle
    conditions: Bundle | None = None
    application_id: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Permissions:
    """One permissions row of a data debit."""

    date_created: datetime
    purpose: str
    start: datetime
    period: timedelta
    cancel_at_period_end: bool
    terms_url: str
    bundle: Bundle
    conditions: Bundle | None = None
    canceled_at: datetime | None = None
    accepted: bool = False

    def end(self) -> datetime | None:
        """When the permission stops; ``None`` for a rolling, never-cancelled one."""
        if self.canceled_at is not None:
            if not self.cancel_at_period_end:
                return self.canceled_at
            periods = math.ceil((self.canceled_at - self.start) / self.period)
            return self.start + self.period * periods
        return self.start + self.period if self.cancel_at_period_end else None

    def is_active(self, now: datetime) -> bool:
        """Accepted, started, and not yet ended."""
        end = self.end()
        return self.accepted and self.start <= now and (end is None or end > now)

    def to_json(self, now: datetime) -> dict[str, Json]:
        """The ``DataDebitPermissions`` JSON (``end`` written as ``null`` when absent)."""
        out: dict[str, Json] = {
            "dateCreated": local_datetime(self.date_created),
            "purpose": self.purpose,
            "start": iso_datetime(self.start),
            "period": int(self.period / timedelta(milliseconds=1)),
            "cancelAtPeriodEnd": self.cancel_at_period_end,
        }
        if self.canceled_at is not None:
            out["canceledAt"] = iso_datetime(self.canceled_at)
        out["termsUrl"] = self.terms_url
        if self.conditions is not None:
            out["conditions"] = self.conditions.to_json()
        out["bundle"] = self.bundle.to_json()
        out["accepted"] = self.accepted
        out["active"] = self.is_active(now)
        end = self.end()
        out["end"] = None if end is None else iso_datetime(end)
        return out


@dataclass(frozen=True)
class DataDebit:
    """A data debit: client details plus every permissions row, oldest first."""

    key: str
    date_created: datetime
    client_name: str
    client_url: str
    client_logo_url: str
    application_id: str | None = None
    description: str | None = None
    permissions: tuple[Permissions, ...] = field(default_factory=tuple)

    def latest(self) -> Permissions | None:
        """The most recently created permissions row."""
        return _newest(self.permissions)

    def active_permissions(self, now: datetime) -> Permissions | None:
        """The most recently created active permissions row, if any."""
        return _newest(tuple(p for p in self.permissions if p.is_active(now)))

    def bundle_names(self) -> set[str]:
        """Names of every bundle (and conditions bundle) this debit uses."""
        names = {p.bundle.name for p in self.permissions}
        return names | {p.conditions.name for p in self.permissions if p.conditions}

    def to_json(self, now: datetime) -> dict[str, Json]:
        """The ``DataDebit`` JSON; the ``addField`` options are ``null`` when absent."""
        active, latest = self.active_permissions(now), self.latest()
        shown = active or latest
        out: dict[str, Json] = {
            "dataDebitKey": self.key,
            "dateCreated": local_datetime(self.date_created),
            "permissions": [p.to_json(now) for p in self.permissions],
            "requestClientName": self.client_name,
            "requestClientUrl": self.client_url,
            "requestClientLogoUrl": self.client_logo_url,
        }
        if self.application_id is not None:
            out["requestApplicationId"] = self.application_id
        if self.description is not None:
            out["requestDescription"] = self.description
        end = shown.end() if shown else None
        out.update(
            {
                "active": active is not None,
                "accepted": any(p.accepted for p in self.permissions),
                "start": iso_datetime(shown.start) if shown else None,
                "end": None if end is None else iso_datetime(end),
                "permissionsActive": active.to_json(now) if active else None,
                "permissionsLatest": latest.to_json(now) if latest else None,
            }
        )
        return out


def _newest(rows: tuple[Permissions, ...]) -> Permissions | None:
    # Rows are appended in creation order, so the position breaks ties of equal timestamps.
    ranked = max(enumerate(rows), key=lambda item: (item[1].date_created, item[0]), default=None)
    return None if ranked is None else ranked[1]


def new_permissions(request: SetupRequest, now: datetime) -> Permissions:
    """A fresh, not yet accepted permissions row for ``request``."""
    return Permissions(
        date_created=now,
        purpose=request.purpose,
        start=request.start,
        period=request.period,
        cancel_at_period_end=request.cancel_at_period_end,
        terms_url=request.terms_url,
        bundle=request.bundle,
        conditions=request.conditions,
    )


def create(key: str, request: SetupRequest, now: datetime) -> DataDebit:
    """A new data debit with one unaccepted permissions row."""
    return DataDebit(
        key=key,
        date_created=now,
        client_name=request.client_name,
        client_url=request.client_url,
        client_logo_url=request.client_logo_url,
        application_id=request.application_id,
        description=request.description,
        permissions=(new_permissions(request, now),),
    )


def update(debit: DataDebit, request: SetupRequest, now: datetime) -> DataDebit:
    """Append a new permissions row; the client details keep their registered values.

    HAT2.0 DataDebitService.updateDataDebitPermissions (l.165-268) only inserts a permissions
    row; the client details change only through the application setup path (:func:`refresh_info`).
    """
    return replace(debit, permissions=(*debit.permissions, new_permissions(request, now)))


def refresh_info(debit: DataDebit, request: SetupRequest) -> DataDebit:
    """The client details of ``request`` (DataDebitService.updateDataDebitInfo, l.136-163)."""
    return replace(
        debit,
        client_name=request.client_name,
        client_url=request.client_url,
        client_logo_url=request.client_logo_url,
        application_id=request.application_id,
        description=request.description,
    )


def enable(debit: DataDebit) -> DataDebit:
    """Accept (and un-cancel) the newest permissions row and every row naming its bundle.

    Every other row is un-accepted: HAT2.0 DataDebitService.dataDebitEnableNewestPermissions
    (l.339-360) un-accepts all rows, then accepts those whose ``bundleId`` is the newest row's.
    """
    latest = debit.latest()
    if latest is None:
        return debit
    rows = tuple(
        replace(p, accepted=True, canceled_at=None)
        if p.bundle.name == latest.bundle.name
        else replace(p, accepted=False)
        for p in debit.permissions
    )
    return replace(debit, permissions=rows)


def disable(debit: DataDebit, now: datetime, at_period_end: bool) -> DataDebit:
    """Cancel every permissions row now, immediately or at the end of the current period."""
    rows = tuple(
        replace(p, canceled_at=now, cancel_at_period_end=at_period_end) for p in debit.permissions
    )
    return replace(debit, permissions=rows)


def _field(obj: dict[str, Json], key: str, kind: type, errors: dict[str, Json]) -> Json:
    if key not in obj:
        errors[f"obj.{key}"] = [{"msg": ["error.path.missing"], "args": []}]
        return None
    value = obj[key]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        expected = {str: "error.expected.jsstring", bool: "error.expected.jsboolean"}[kind]
        errors[f"obj.{key}"] = [{"msg": [expected], "args": []}]
        return None
    return value


def _optional_string(obj: dict[str, Json], key: str, errors: dict[str, Json]) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    errors[f"obj.{key}"] = [{"msg": ["error.expected.jsstring"], "args": []}]
    return None


def parse_setup_request(body: Json) -> SetupRequest:
    """Parse a ``DataDebitSetupRequest``; raises ``QueryValidationError`` like Play."""
    if not isinstance(body, dict):
        raise QueryValidationError({"obj": [{"msg": ["error.expected.jsobject"], "args": []}]})
    errors: dict[str, Json] = {}
    strings = {
        key: _field(body, key, str, errors)
        for key in (
            "dataDebitKey",
            "purpose",
            "requestClientName",
            "requestClientUrl",
            "requestClientLogoUrl",
            "termsUrl",
        )
    }
    cancel = _field(body, "cancelAtPeriodEnd", bool, errors)
    start = parse_datetime(body.get("start"))
    if start is None:
        message = "error.path.missing" if "start" not in body else "error.expected.jodadate.format"
        errors["obj.start"] = [{"msg": [message], "args": []}]
    period = parse_period(body.get("period"))
    if period is None:
        message = "error.path.missing" if "period" not in body else "error.expected.duration"
        errors["obj.period"] = [{"msg": [message], "args": []}]
    application_id = _optional_string(body, "requestApplicationId", errors)
    description = _optional_string(body, "requestDescription", errors)
    _optional_string(body, "requestClientCallbackUrl", errors)  # read, then not stored
    bundle = None
    if "bundle" not in body:
        errors["obj.bundle"] = [{"msg": ["error.path.missing"], "args": []}]
    else:
        bundle = parse_bundle_at(body["bundle"], "obj.bundle", errors)
    conditions = None
    if body.get("conditions") is not None:
        conditions = parse_bundle_at(body["conditions"], "obj.conditions", errors)
    if errors or bundle is None or start is None or period is None:
        raise QueryValidationError(errors)
    return SetupRequest(
        purpose=strings["purpose"],
        start=start,
        period=period,
        cancel_at_period_end=bool(cancel),
        client_name=strings["requestClientName"],
        client_url=strings["requestClientUrl"],
        client_logo_url=strings["requestClientLogoUrl"],
        terms_url=strings["termsUrl"],
        bundle=bundle,
        conditions=conditions,
        application_id=application_id,
        description=description,
    )


def application_request(application: dict[str, Json], now: datetime) -> SetupRequest:
    """The setup request an application's ``permissions.dataRetrieved`` bundle implies.

    Field for field ``Application.dataDebitSetupRequest`` of the server's models
    (hat-client-scala-play models/applications/Application.scala l.211-233). Raises
    ``QueryValidationError`` when the bundle is not an ``EndpointDataBundle``.
    """
    errors: dict[str, Json] = {}
    bundle_json = application.get("permissions", {}).get("dataRetrieved")
    bundle = parse_bundle_at(bundle_json, "obj.dataRetrieved", errors)
    if bundle is None:
        raise QueryValidationError(errors)
    info = application.get("info", {})
    return SetupRequest(
        purpose=str(info.get("dataUsePurpose", "")),
        start=now,
        period=timedelta(days=30),
        cancel_at_period_end=False,
        client_name=str(info.get("name", "")),
        client_url=str(application.get("kind", {}).get("url", "")),
        client_logo_url=str(info.get("graphics", {}).get("logo", {}).get("normal", "")),
        terms_url=str(info.get("termsUrl", "")),
        bundle=bundle,
        application_id=str(application["id"]),
        description=info.get("description", {}).get("text"),
    )


def debit_from_json(state: Json) -> DataDebit:
    """Rebuild a debit from ``debit_state`` output (persistence format, not wire format)."""

    def when(value: Json) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)

    def bundle(value: Json) -> Bundle | None:
        return None if value is None else parse_bundle_properties(value["name"], value["bundle"])

    rows = []
    for row in state["permissions"]:
        main = bundle(row["bundle"])
        assert main is not None
        rows.append(
            Permissions(
                date_created=datetime.fromisoformat(row["dateCreated"]),
                purpose=row["purpose"],
                start=datetime.fromisoformat(row["start"]),
                period=timedelta(milliseconds=row["period"]),
                cancel_at_period_end=row["cancelAtPeriodEnd"],
                terms_url=row["termsUrl"],
                bundle=main,
                conditions=bundle(row.get("conditions")),
                canceled_at=when(row.get("canceledAt")),
                accepted=row["accepted"],
            )
        )
    return DataDebit(
        key=state["key"],
        date_created=datetime.fromisoformat(state["dateCreated"]),
        client_name=state["clientName"],
        client_url=state["clientUrl"],
        client_logo_url=state["clientLogoUrl"],
        application_id=state.get("applicationId"),
        description=state.get("description"),
        permissions=tuple(rows),
    )


def debit_state(debit: DataDebit) -> dict[str, Json]:
    """A lossless JSON form of ``debit`` for storage (full-precision timestamps)."""
    return {
        "key": debit.key,
        "dateCreated": debit.date_created.isoformat(),
        "clientName": debit.client_name,
        "clientUrl": debit.client_url,
        "clientLogoUrl": debit.client_logo_url,
        "applicationId": debit.application_id,
        "description": debit.description,
        "permissions": [
            {
                "dateCreated": p.date_created.isoformat(),
                "purpose": p.purpose,
                "start": p.start.isoformat(),
                "period": p.period / timedelta(milliseconds=1),
                "cancelAtPeriodEnd": p.cancel_at_period_end,
                "termsUrl": p.terms_url,
                "bundle": p.bundle.to_json(),
                "conditions": p.conditions.to_json() if p.conditions else None,
                "canceledAt": p.canceled_at.isoformat() if p.canceled_at else None,
                "accepted": p.accepted,
            }
            for p in debit.permissions
        ],
    }
