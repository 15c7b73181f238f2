"""Date formats of the HAT's JSON: Joda ``LocalDateTime`` and ``DateTime``.

``LocalDateTime`` as [MODELS] ``json/LocalDateTimeMarshalling.scala`` writes it, ``DateTime``
through play-json-joda's ``JodaWrites``/``JodaReads``, which ``json/HatJsonFormats.scala:21-22``
and ``json/RichDataJsonFormats.scala:12`` mix in (all under ``src/main/scala/org/hatdex/hat/api/``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any


def local_datetime(moment: datetime) -> str:
    """Joda ``LocalDateTime`` as HAT writes it: ``2018-01-02T15:22:42+0000``."""
    # f-strings, not strftime: glibc's %Y does not pad years below 1000 as Joda does.
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}+0000"


def iso_datetime(moment: datetime) -> str:
    """Joda ``DateTime`` as HAT writes it: ``2018-01-02T15:23:02.000Z``."""
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def parse_datetime(value: Any) -> datetime | None:
    """An ISO-8601 string or epoch-millis number as a UTC datetime; ``None`` if unreadable."""
    # Moments Python cannot represent (beyond years 1-9999) count as unreadable, not as crashes.
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        if not isinstance(value, str):
            return None
        text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.strip()).replace("Z", "+00:00")
        parsed = datetime.fromisoformat(text)
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None
