"""HAT date-times and durations: every form the HAT writes, read as datetime/timedelta."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel

from hat_sdk.types import HatDateTime, Milliseconds


class Sample(BaseModel):
    at: HatDateTime
    period: Milliseconds


MOMENT = datetime(2018, 1, 2, 15, 22, 42, tzinfo=UTC)


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
    assert Sample.model_validate({"at": written, "period": 0}).at == MOMENT


@pytest.mark.parametrize(
    ("written", "duration"),
    [(432000000, timedelta(days=5)), ("PT5M", timedelta(minutes=5)), (1.5, timedelta(0, 0, 1500))],
)
def test_durations(written: object, duration: timedelta) -> None:
    assert Sample.model_validate({"at": MOMENT, "period": written}).period == duration


def test_written_back_as_the_hat_reads_them() -> None:
    sample = Sample(
        at=datetime(2018, 1, 2, 16, 22, 42, tzinfo=timezone(timedelta(hours=1))),
        period=timedelta(days=5),
    )
    assert sample.model_dump(mode="json") == {"at": "2018-01-02T15:22:42.000Z", "period": 432000000}


def test_a_date_time_without_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Sample.model_validate({"at": "2018-01-02T15:22:42", "period": 0})
