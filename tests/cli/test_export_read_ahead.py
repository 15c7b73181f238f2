"""hat export reads pages ahead of the one it writes: every record is still written exactly once,
in order, each page checked against the one before it, and a checkpoint kept only for pages
written in order."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from hat_sdk import GetOpts, HatModel
from hat_sdk._client import HatClient
from hat_sdk._records.replies import StoredPage
from hat_sdk.cli._checkpoint import Checkpoint, checkpoint_path
from hat_sdk.cli._transfer import OVERLAP, export_endpoint
from hat_sdk.errors import HatConnectionError
from hat_sdk.sandbox import Sandbox

from .conftest import Hat
from .test_cli_transfer import _owner_client

COUNT = 2345
PAGE = 100
PAGES = COUNT // PAGE + 1  # the last one is short: it ends the export

Get = Callable[[HatClient, str, GetOpts], StoredPage]


@pytest.fixture
def seeded(hat_sandbox: Sandbox) -> list[int]:
    """2,345 records ``{"n": 0..2344}`` in sandbox-app/items; the request log emptied."""
    with _owner_client(hat_sandbox.url) as client:
        client.post(*(HatModel.model_validate({"n": n, "endpoint": "items"}) for n in range(COUNT)))
    hat_sandbox.clear_request_log()
    return list(range(COUNT))


def _numbers(out: Path) -> list[int]:
    return [json.loads(line)["data"]["n"] for line in out.read_text(encoding="utf-8").splitlines()]


def _export(
    url: str, out: Path, prefetch: int, progress: Callable[[int], None] = lambda _: None
) -> list[int]:
    with _owner_client(url) as client:
        count = export_endpoint(
            client,
            "sandbox-app/items",
            out,
            page_size=PAGE,
            overwrite=False,
            progress=progress,
            prefetch=prefetch,
        )
    numbers = _numbers(out)
    assert count == len(numbers)
    return numbers


def _page_reads(sandbox: Sandbox) -> int:
    return sum(
        1
        for request in sandbox.request_log
        if request.method == "GET" and request.path.endswith("/sandbox-app/items")
    )


def _patch_get(monkeypatch: pytest.MonkeyPatch, wrap: Callable[[Get], Get]) -> None:
    """Make the export's read (``HatClient._get_stored``) the function ``wrap`` builds around
    the original."""
    monkeypatch.setattr(HatClient, "_get_stored", wrap(HatClient._get_stored))


@pytest.mark.parametrize("prefetch", [0, 4])
def test_every_record_is_written_once_in_order_with_at_most_prefetch_reads_past_the_end(
    hat: Hat, seeded: list[int], tmp_path: Path, prefetch: int
) -> None:
    hat.login()
    out = tmp_path / "items.jsonl"
    args = ("-o", str(out), "--page-size", str(PAGE), "--prefetch", str(prefetch))
    done = hat("export", "sandbox-app/items", *args)
    assert done.code == 0, done.stderr
    assert _numbers(out) == seeded
    assert not checkpoint_path(out).exists()
    # prefetch=0: exactly one request per page, as page after page always did.
    assert PAGES <= _page_reads(hat.sandbox) <= PAGES + prefetch


def test_the_second_page_is_asked_for_before_the_first_comes_back(
    hat_sandbox: Sandbox, seeded: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second_asked = threading.Event()

    def first_waits_for_the_second(get: Get) -> Get:
        def patched(self: HatClient, endpoint: str, opts: GetOpts) -> StoredPage:
            if opts.skip == 0:
                # Read page after page, the second page is never asked for: fail, not hang.
                assert second_asked.wait(timeout=30), "the second page was not read ahead"
            else:
                second_asked.set()
            return get(self, endpoint, opts)

        return patched

    _patch_get(monkeypatch, first_waits_for_the_second)
    assert _export(hat_sandbox.url, tmp_path / "items.jsonl", prefetch=1) == seeded


def test_a_shift_under_pages_read_ahead_makes_the_export_read_again_and_miss_nothing(
    hat_sandbox: Sandbox, seeded: list[int], tmp_path: Path
) -> None:
    out = tmp_path / "items.jsonl"
    reports: list[int] = []

    def delete_exported_records_after_the_first_page(count: int) -> None:
        reports.append(count)
        if len(reports) == 2:  # the 1st report is of an earlier run (0), the 2nd of page 1
            lines = out.read_text(encoding="utf-8").splitlines()[20:30]
            with _owner_client(hat_sandbox.url) as owner:
                owner.delete(*(json.loads(line)["recordId"] for line in lines))

    # Page 2 was read ahead before the deletion, or after it; page 3 is read after it. The
    # record after page 1 shifts back by 10 either way: page 2 or page 3 does not start with
    # the end of the page before it, and the export reads the endpoint again.
    numbers = _export(hat_sandbox.url, out, 4, delete_exported_records_after_the_first_page)
    assert numbers == seeded  # the deleted records were written before they were deleted
    assert _page_reads(hat_sandbox) > PAGES + 4 + 1  # more than one pass (and the deletion)


def test_a_failed_read_ahead_keeps_the_pages_before_it_and_the_export_resumes(
    hat_sandbox: Sandbox, seeded: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "items.jsonl"

    def fourth_page_fails(get: Get) -> Get:
        def patched(self: HatClient, endpoint: str, opts: GetOpts) -> StoredPage:
            if opts.skip == 3 * PAGE - OVERLAP:
                raise HatConnectionError("simulated")
            return get(self, endpoint, opts)

        return patched

    with monkeypatch.context() as patch:
        # Page 4 is read ahead while page 2 is written; pages 5-7 are read beside it.
        _patch_get(patch, fourth_page_fails)
        with pytest.raises(HatConnectionError):
            _export(hat_sandbox.url, out, prefetch=4)
    saved = Checkpoint.load(checkpoint_path(out))
    assert saved is not None
    assert saved.done == 3 * PAGE
    assert _numbers(out) == seeded[: 3 * PAGE]

    assert _export(hat_sandbox.url, out, prefetch=4) == seeded
