"""Pausing Python's cycle collector while a bulk parse builds objects that all stay alive."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_paused_here = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cycle collector paused (unless something else paused it).

    Parsing a page builds thousands of small objects (models, their dicts and lists) that are
    kept, and form no reference cycles: every collection the allocations trigger walks the
    live records for nothing, which made parsing 100,000 records take twice the time per
    record of parsing 1,000. Reference counting still frees everything as usual; cycles made
    meanwhile (by a validator, say) are collected on the collector's next pass.

    Pauses may overlap (parses in several threads): the collector is enabled again when the
    last one ends, and only if a pause disabled it.
    """
    global _pauses, _paused_here
    with _lock:
        if _pauses == 0:
            _paused_here = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _paused_here:
                gc.enable()
