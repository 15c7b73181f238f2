"""hat export / import / post never double, drop or half-store records without saying so."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hat_sdk import HatModel
from hat_sdk._client import HatClient
from hat_sdk.errors import HatConnectionError

from .conftest import Hat
from .test_cli_transfer import (
    _fail_once_on_call,
    _fail_once_on_page,
    _owner_client,
    _raise,
    _stored_data,
)

COUNT = 1200


@pytest.fixture
def seeded(hat: Hat) -> list[dict[str, Any]]:
    """1,200 records in sandbox-app/items, posted with keys in an order the HAT does not keep
    (it answers ``n, even, text``); the owner logged in with `hat login`."""
    records = [{"n": n, "text": f"record {n}", "even": n % 2 == 0} for n in range(COUNT)]
    with _owner_client(hat.sandbox.url) as client:
        client.post(*(HatModel.model_validate({**r, "endpoint": "items"}) for r in records))
    hat.login()
    return records


def _export(hat: Hat, out: Path, page_size: int = 100) -> Any:
    return hat("export", "sandbox-app/items", "-o", str(out), "--page-size", str(page_size))


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.usefixtures("seeded")
def test_export_then_import_into_the_same_hat_stores_nothing_new(hat: Hat, tmp_path: Path) -> None:
    out = tmp_path / "items.jsonl"
    assert _export(hat, out).code == 0
    assert list(_lines(out)[0]["data"]) == ["n", "even", "text"]  # the HAT's key order

    refused = hat("import", str(out))
    assert refused.code == 5, refused.stderr
    assert f"{COUNT} lines" in refused.stderr
    assert "nothing was stored" in refused.stderr

    skipped = hat("import", str(out), "--skip-duplicates")
    assert skipped.code == 0, skipped.stderr
    assert f"Imported 0 records from {out} ({COUNT} already on the HAT" in skipped.stdout
    assert len(_stored_data(hat.sandbox.url)) == COUNT


def test_import_refuses_a_file_that_repeats_a_record(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    source = tmp_path / "plain.jsonl"
    source.write_text('{"a": 1, "b": 2}\n{"c": 3}\n{"b": 2, "a": 1.0}\n', encoding="utf-8")
    refused = hat("import", str(source), "--to", "sandbox-app/plain")
    assert refused.code == 5, refused.stderr
    assert "lines 3" in refused.stderr
    done = hat("import", str(source), "--to", "sandbox-app/plain", "--skip-duplicates")
    assert done.code == 0, done.stderr
    assert "Imported 2 records" in done.stdout


def test_data_posted_by_hat_is_recognised_by_the_hat_when_it_comes_back(
    hat: Hat, tmp_path: Path
) -> None:
    """hat sends data in the HAT's stored key order, so the HAT's own duplicate check (a hash
    of the data as sent) matches the data as exported."""
    hat.login()
    source = tmp_path / "items.jsonl"
    source.write_text("".join(f'{{"text": "t{n}", "n": {n}}}\n' for n in range(50)), "utf-8")
    assert hat("post", "sandbox-app/items", str(source)).code == 0
    out = tmp_path / "export.jsonl"
    assert _export(hat, out).code == 0
    again = tmp_path / "again.jsonl"
    again.write_text("".join(json.dumps(line["data"]) + "\n" for line in _lines(out)), "utf-8")
    # hat post does not read the endpoint first: only the HAT's own check can skip these.
    repost = hat("post", "sandbox-app/items", str(again), "--skip-duplicates")
    assert repost.code == 0, repost.stderr
    assert "Stored 0 records in sandbox-app/items (50 duplicates skipped)" in repost.stdout


def _delete_then(
    hat: Hat, doomed: Callable[[list[HatModel]], list[HatModel]]
) -> Callable[[Callable[..., Any], tuple[Any, ...]], Any]:
    """A fault that deletes ``doomed(stored records)`` and then lets the call go on."""

    def fault(original: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        with _owner_client(hat.sandbox.url) as owner:
            owner.delete(*doomed(list(owner.iter(HatModel, "items"))))
        return original(*args)

    return fault


def _expected_after(seeded: list[dict[str, Any]], exported: range, deleted: set[int]) -> list[int]:
    return [r["n"] for r in seeded if r["n"] in exported or r["n"] not in deleted]


def test_a_resumed_export_misses_nothing_after_earlier_records_were_deleted(
    hat: Hat, seeded: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "items.jsonl"
    with monkeypatch.context() as patch:
        # The read of the 4th page (records up to 400) fails.
        _fail_once_on_page(patch, 400, _raise(HatConnectionError("simulated")))
        first = _export(hat, out)
    assert first.code == 4, first.stderr
    assert "300 records are exported" in first.stderr
    assert "Run the same command again" in first.stderr
    deleted = {*range(10, 30), *range(700, 710)}  # 20 already exported, 10 not yet
    with _owner_client(hat.sandbox.url) as owner:
        owner.delete(*(r for r in owner.iter(HatModel, "items") if r.record_data()["n"] in deleted))

    second = _export(hat, out)
    assert second.code == 0, second.stderr
    numbers = [line["data"]["n"] for line in _lines(out)]
    assert numbers == _expected_after(seeded, range(300), deleted)  # each exactly once


def test_an_export_misses_nothing_when_records_are_deleted_while_it_runs(
    hat: Hat, seeded: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "items.jsonl"
    deleted = {5, 6, 7, 250, 251}

    def doomed(records: list[HatModel]) -> list[HatModel]:
        return [r for r in records if r.record_data()["n"] in deleted]

    with monkeypatch.context() as patch:
        # Before the 3rd page (records up to 300) is read, records of pages 1 and 3 are deleted.
        _fail_once_on_page(patch, 300, _delete_then(hat, doomed))
        done = _export(hat, out)
    assert done.code == 0, done.stderr
    numbers = [line["data"]["n"] for line in _lines(out)]
    assert numbers == _expected_after(seeded, range(200), deleted)


def test_post_checks_the_whole_file_before_storing_anything(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    source = tmp_path / "items.jsonl"
    source.write_text('{"n": 1}\n{"n": 2}\n{"n": 3}\n{"n": 4,\n{"n": 5}\n', encoding="utf-8")
    refused = hat("post", "sandbox-app/items", str(source), "--batch-size", "2")
    assert refused.code == 2
    assert "line 4" in refused.stderr
    assert _stored_data(hat.sandbox.url) == []


def test_a_failed_post_says_what_is_stored_and_how_to_finish(
    hat: Hat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hat.login()
    source = tmp_path / "items.jsonl"
    source.write_text("".join(f'{{"n": {n}}}\n' for n in range(1, 11)), encoding="utf-8")

    def post(*extra: str) -> Any:
        return hat("post", "sandbox-app/items", str(source), "--batch-size", "4", *extra)

    with monkeypatch.context() as patch:
        _fail_once_on_call(patch, HatClient, "post", 2, _raise(HatConnectionError("down")))
        failed = post()
    assert failed.code == 4, failed.stderr
    assert "Lines 1-4 of" in failed.stderr
    assert "lines 5-8 were sent but are not confirmed stored" in failed.stderr
    assert "--skip-duplicates" in failed.stderr
    assert len(_stored_data(hat.sandbox.url)) == 4

    finished = post("--skip-duplicates")
    assert finished.code == 0, finished.stderr
    assert "Stored 6 records in sandbox-app/items (4 duplicates skipped)" in finished.stdout
    assert sorted(r["n"] for r in _stored_data(hat.sandbox.url)) == list(range(1, 11))
