"""HAT date-times in the generated models: every form the HAT writes, read as aware datetimes.

(The handwritten ``HatDateTime``/``Milliseconds`` types are gone: the spec's models now type
the fields, periods stay integer milliseconds as on the wire.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from hat_sdk.types import DataDebit

MOMENT = datetime(2018, 1, 2, 15, 22, 42, tzinfo=UTC)
PAYLOAD = Path(__file__).parents[1] / "contract" / "payloads" / "data-debit-register-response.json"


def debit_starting(start: object) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(PAYLOAD.read_text())
    body["start"] = start
    body["permissions"][0]["start"] = start
    return body


@pytest.mark.parametrize(
    "written",
    [
        "2018-01-02T15:22:42+0000",  # Joda LocalDateTime
        "2018-01-02T15:22:42.000Z",  # Joda DateTime
        "2018-01-02T16:22:42+0100",
        "2018-01-02T15:22:42+00:00",
        1514906562000,  # epoch millis (older builds)
    ],
)
def test_date_times_in_every_written_form(written: object) -> None:
    debit = DataDebit.model_validate(debit_starting(written))
    assert debit.start == MOMENT
    assert debit.permissions[0].start == MOMENT


def test_a_date_time_without_offset_is_refused() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        DataDebit.model_validate(debit_starting("2018-01-02T15:22:42"))
