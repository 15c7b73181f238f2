"""Timing helpers: medians of repeated runs, and alternating runs of rivals."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` took."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs of ``action``."""
    return statistics.median(timed(action) for _ in range(repeat))


def alternating(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds of each action, run in turn ``repeat`` times (so that drifting machine
    load affects every rival alike)."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            samples[name].append(timed(action))
    return {name: statistics.median(times) for name, times in samples.items()}


async def alternating_async(
    actions: dict[str, Callable[[], Awaitable[object]]], repeat: int
) -> dict[str, float]:
    """:func:`alternating` for coroutine functions, inside the running event loop."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            start = time.perf_counter()
            await action()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}
