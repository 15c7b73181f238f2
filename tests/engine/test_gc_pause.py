"""The cycle collector pause used while parsing: it always ends as it began."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from hat_sdk._core.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def _parse_that_fails() -> None:
    with gc_paused():
        assert not gc.isenabled()
        raise ValueError("a record that does not fit")


def test_a_pause_disables_the_collector_and_enables_it_again_even_on_error() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        _parse_that_fails()
    assert gc.isenabled()


def test_a_collector_disabled_by_someone_else_stays_disabled() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads_enable_it_when_the_last_ends() -> None:
    entered, release = threading.Event(), threading.Event()

    def other_parse() -> None:
        with gc_paused():
            entered.set()
            release.wait(timeout=30)

    worker = threading.Thread(target=other_parse)
    with gc_paused():
        worker.start()
        assert entered.wait(timeout=30)
    assert not gc.isenabled()  # the other thread still parses
    release.set()
    worker.join(timeout=30)
    assert gc.isenabled()
