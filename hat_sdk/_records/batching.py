"""Pure planning of batched writes: request-size splits and duplicates within one call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from hat_sdk.errors import InvalidInputError

__all__ = ["MAX_BODY_BYTES", "MAX_TARGET_BYTES", "batched_by_size", "repeats", "split_by_size"]

T = TypeVar("T")

#: Play's ``maxMemoryBuffer=10M`` (10 MiB) caps JSON bodies; keep a margin for headers/rounding.
MAX_BODY_BYTES = 10 * 1024 * 1024 - 64 * 1024
#: Akka HTTP's default ``max-uri-length`` is 2 KiB; ``DELETE ?records=…`` must fit in it.
MAX_TARGET_BYTES = 2048


def batched_by_size(
    items: Iterable[T], size_of: Callable[[T], int], *, limit: int, most: int | None = None
) -> Iterator[list[T]]:
    """Consecutive lists of items whose sizes add up to at most ``limit`` (one item bigger
    than that alone), and of at most ``most`` items; streamed, one list at a time."""
    batch: list[T] = []
    used = 0
    for item in items:
        size = size_of(item)
        if batch and (used + size > limit or len(batch) == most):
            yield batch
            batch, used = [], 0
        batch.append(item)
        used += size
    if batch:
        yield batch


def split_by_size(sizes: Sequence[int], limit: int, *, overhead: int = 2) -> list[range]:
    """Split items of ``sizes`` into consecutive runs whose joined size stays within ``limit``.

    Items are joined by one separator byte each, plus ``overhead`` for the enclosing brackets
    (or the fixed part of a URL). Raises ``InvalidInputError`` for an item that can never fit.
    """
    for index, size in enumerate(sizes):
        if overhead + size > limit:
            raise InvalidInputError(
                f"record #{index} is {size} bytes once serialised, more than the HAT accepts in one"
                f" request ({limit} bytes): make it smaller or split it into several records"
            )
    # n items take overhead + sum(sizes) + (n - 1) bytes: each item counts its separator, and
    # the limit gains back the one the first item does not have.
    runs = batched_by_size(range(len(sizes)), lambda i: sizes[i] + 1, limit=limit - overhead + 1)
    return [range(run[0], run[-1] + 1) for run in runs]


def repeats(keys: Sequence[bytes]) -> dict[int, int]:
    """Map the index of each key seen before to the index where it first appeared."""
    first: dict[bytes, int] = {}
    repeated: dict[int, int] = {}
    for index, key in enumerate(keys):
        seen = first.setdefault(key, index)
        if seen != index:
            repeated[index] = seen
    return repeated
