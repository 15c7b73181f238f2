"""GetOpts and Ordering: how a read selects and orders records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["GetOpts", "Ordering"]


class Ordering(StrEnum):
    """Sort direction of ``GetOpts.order_by`` (the HAT sorts ascending unless told otherwise)."""

    ASCENDING = "ascending"
    DESCENDING = "descending"


@dataclass(frozen=True, slots=True)
class GetOpts:
    """Options of a read: ordering and the window of records to return.

    ``order_by`` is a dot-separated path into the record's data (default: insertion time,
    oldest first); ``skip`` records are passed over; ``take`` caps the number returned
    (``None``: the HAT's default of 1000 for ``get``, everything for ``iter``).
    """

    order_by: str | None = None
    ordering: Ordering | None = None
    skip: int = 0
    take: int | None = None
