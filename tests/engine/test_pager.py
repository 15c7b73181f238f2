"""Planning the pages of an iteration, without sockets: windows, batches and the end."""

from __future__ import annotations

import httpx

from hat_sdk import GetOpts, HatModel
from hat_sdk._core.wire import Wire
from hat_sdk._records.reads import Pager
from hat_sdk._records.requests import RecordRequests
from hat_sdk._records.scope import Scope


class Reading(HatModel):
    value: int


def _pager(options: GetOpts, page_size: int) -> Pager[Reading]:
    wire = Wire("http://hat.test", httpx.Client().build_request)
    return Pager(Scope("ns", RecordRequests(wire)), Reading, "readings", options, page_size)


def _windows(pager: Pager[Reading], count: int) -> list[tuple[int, int]]:
    windows = []
    for page in pager.next_pages(count):
        params = next(page).request.url.params
        windows.append((int(params.get("skip", 0)), int(params["take"])))
    return windows


def _records(count: int) -> list[Reading]:
    return [Reading(value=i) for i in range(count)]


def test_a_batch_plans_consecutive_windows_within_take() -> None:
    pager = _pager(GetOpts(skip=5, take=12), page_size=5)
    assert _windows(pager, 4) == [(5, 5), (10, 5), (15, 2)]


def test_a_short_page_ends_the_iteration_and_later_pages_are_dropped() -> None:
    pager = _pager(GetOpts(), page_size=3)
    assert _windows(pager, 3) == [(0, 3), (3, 3), (6, 3)]
    kept = pager.settle([_records(3), _records(1), []])
    assert [len(page) for page in kept] == [3, 1]
    assert pager.next_pages(3) == []


def test_full_batches_continue_where_they_ended() -> None:
    pager = _pager(GetOpts(), page_size=2)
    assert _windows(pager, 2) == [(0, 2), (2, 2)]
    pager.settle([_records(2), _records(2)])
    assert _windows(pager, 2) == [(4, 2), (6, 2)]
