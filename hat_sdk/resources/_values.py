"""Date-times and durations as the HAT writes them, as Python ``datetime``/``timedelta``.

The HAT writes ``LocalDateTime`` as ``2018-01-02T15:22:42+0000`` (offset without colon),
``DateTime`` as ISO-8601 with millis (``2018-01-02T15:23:02.000Z``) and, in older builds,
as epoch milliseconds; durations are milliseconds (or ISO-8601 duration strings).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator, PlainSerializer

__all__ = ["HatDateTime", "Milliseconds", "format_datetime", "unix_seconds"]

_COMPACT_OFFSET = re.compile(r"(.*[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-]\d{2})(\d{2})")


def _read_datetime(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    if isinstance(value, str):
        compact = _COMPACT_OFFSET.fullmatch(value)
        if compact is not None:
            return f"{compact[1]}{compact[2]}:{compact[3]}"
    return value


def format_datetime(value: datetime) -> str:
    """``value`` as the HAT writes ``DateTime``: UTC ISO-8601 with millis (naive = UTC)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def unix_seconds(value: datetime) -> int:
    """``value`` as Unix seconds (naive = UTC)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return int(aware.timestamp())


def _read_duration(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(milliseconds=value)
    return value


def _write_duration(value: timedelta) -> int:
    return value // timedelta(milliseconds=1)


#: A HAT date-time (either written form, or epoch millis) as an aware ``datetime``.
HatDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(_read_datetime),
    PlainSerializer(format_datetime, return_type=str, when_used="json"),
]
#: A HAT duration (milliseconds on the wire) as a ``timedelta``.
Milliseconds = Annotated[
    timedelta,
    BeforeValidator(_read_duration),
    PlainSerializer(_write_duration, return_type=int, when_used="json"),
]
