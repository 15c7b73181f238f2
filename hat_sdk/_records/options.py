"""GetOpts and Ordering: how a read selects and orders records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = ["GetOpts", "Ordering", "SortOrdering", "sort_ordering"]


class Ordering(StrEnum):
    """Sort direction of ``GetOpts.order_by`` (the HAT sorts ascending unless told otherwise)."""

    ASCENDING = "ascending"
    DESCENDING = "descending"


#: The ``ordering`` query value the HAT reads.
SortOrdering = Literal["ascending", "descending"]


def sort_ordering(ordering: Ordering | SortOrdering | None) -> SortOrdering | None:
    """``ordering`` as the query value (None: not sent)."""
    if ordering is None:
        return None
    return "descending" if Ordering(ordering) is Ordering.DESCENDING else "ascending"


@dataclass(frozen=True, slots=True)
class GetOpts:
    """Options of a read: ordering and the window of records to return.

    ``order_by`` is a dot-separated path into the record's data (default: insertion time,
    oldest first); ``ordering`` is ``Ordering.DESCENDING`` or ``"descending"`` (or ascending,
    the default); ``skip`` records are passed over; ``take`` caps the number returned
    (``None``: the HAT's default of 1000 for ``get``, everything for ``iter``).
    """

    order_by: str | None = None
    ordering: Ordering | SortOrdering | None = None
    skip: int = 0
    take: int | None = None
