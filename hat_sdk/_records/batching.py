"""Pure planning of batched writes: request-size splits and duplicates within one call."""

from __future__ import annotations

from collections.abc import Sequence

from hat_sdk.errors import InvalidInputError

__all__ = ["MAX_BODY_BYTES", "MAX_TARGET_BYTES", "repeats", "split_by_size"]

#: Play's ``maxMemoryBuffer=10M`` (10 MiB) caps JSON bodies; keep a margin for headers/rounding.
MAX_BODY_BYTES = 10 * 1024 * 1024 - 64 * 1024
#: Akka HTTP's default ``max-uri-length`` is 2 KiB; ``DELETE ?records=…`` must fit in it.
MAX_TARGET_BYTES = 2048


def split_by_size(sizes: Sequence[int], limit: int, *, overhead: int = 2) -> list[range]:
    """Split items of ``sizes`` into consecutive runs whose joined size stays within ``limit``.

    Items are joined by one separator byte each, plus ``overhead`` for the enclosing brackets
    (or the fixed part of a URL). Raises ``InvalidInputError`` for an item that can never fit.
    """
    runs: list[range] = []
    start, used = 0, overhead
    for index, size in enumerate(sizes):
        if overhead + size > limit:
            raise InvalidInputError(
                f"record #{index} is {size} bytes once serialised, more than the HAT accepts in one"
                f" request ({limit} bytes): make it smaller or split it into several records"
            )
        extra = size if index == start else size + 1
        if used + extra > limit:
            runs.append(range(start, index))
            start, used = index, overhead + size
        else:
            used += extra
    if start < len(sizes):
        runs.append(range(start, len(sizes)))
    return runs


def repeats(keys: Sequence[bytes]) -> dict[int, int]:
    """Map the index of each key seen before to the index where it first appeared."""
    first: dict[bytes, int] = {}
    repeated: dict[int, int] = {}
    for index, key in enumerate(keys):
        seen = first.setdefault(key, index)
        if seen != index:
            repeated[index] = seen
    return repeated
