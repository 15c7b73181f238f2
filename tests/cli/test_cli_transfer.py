"""hat export / hat import of 5,000 records survive interruptions: every record exactly once."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, GetOpts
from hat_sdk._client import HatClient
from hat_sdk._records.batching import batched_by_size
from hat_sdk._records.models import HatModel
from hat_sdk.cli import _transfer
from hat_sdk.cli._checkpoint import Checkpoint, checkpoint_path
from hat_sdk.errors import HatConnectionError, OutcomeUnknownError
from hat_sdk.sandbox import Sandbox

from .conftest import Hat

COUNT = 5000


def _owner_client(url: str) -> HatClient:
    token = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=url)
    return HatClient(token, "sandbox-app")


def _stored_data(url: str) -> list[dict[str, Any]]:
    with _owner_client(url) as client:
        return [r.record_data() for r in client.iter(HatModel, "items", page_size=1000)]


def _fail_once_on_call(
    monkeypatch: pytest.MonkeyPatch,
    owner: Any,
    name: str,
    call: int,
    fault: Callable[[Callable[..., Any], tuple[Any, ...]], Any],
) -> None:
    """Make the ``call``-th call of ``owner.name`` run ``fault(original, args)`` instead, once."""
    original = getattr(owner, name)
    calls = iter(range(1, 1_000_000))

    def patched(*args: Any, **kwargs: Any) -> Any:
        if next(calls) == call:
            return fault(lambda *a: original(*a, **kwargs), args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, patched)


def _fail_once_on_page(
    monkeypatch: pytest.MonkeyPatch,
    ends_at: int,
    fault: Callable[[Callable[..., Any], tuple[Any, ...]], Any],
) -> None:
    """Make the first read (``HatClient._get_stored``) of the window that ends at record
    ``ends_at`` (skip + take) run ``fault(original, args)`` instead, once: the same page
    whichever thread reads it and in whatever order the pages read ahead go out."""
    original = HatClient._get_stored
    lock = threading.Lock()
    fired = False

    def patched(*args: Any, **kwargs: Any) -> Any:
        nonlocal fired
        opts = next((arg for arg in args if isinstance(arg, GetOpts)), None)
        with lock:
            hit = not fired and opts is not None and opts.skip + (opts.take or 0) == ends_at
            fired = fired or hit
        if hit:
            return fault(lambda *a: original(*a, **kwargs), args)
        return original(*args, **kwargs)

    monkeypatch.setattr(HatClient, "_get_stored", patched)


def _raise(error: Exception) -> Callable[[Callable[..., Any], tuple[Any, ...]], Any]:
    def fault(_original: Callable[..., Any], _args: tuple[Any, ...]) -> Any:
        raise error

    return fault


def _store_then_lose_the_answer(original: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    original(*args)  # the HAT stores the batch...
    raise OutcomeUnknownError("simulated: connection lost after sending")  # ...we never hear


@pytest.fixture
def seeded(hat: Hat) -> list[dict[str, Any]]:
    """5,000 distinct records in sandbox-app/items; the owner logged in with `hat login`."""
    records = [{"n": n, "text": f"record {n}", "even": n % 2 == 0} for n in range(COUNT)]
    with _owner_client(hat.sandbox.url) as client:
        client.post(*(HatModel.model_validate({**r, "endpoint": "items"}) for r in records))
    hat.login()
    return records


def _done(checkpoint: Path) -> int:
    saved = Checkpoint.load(checkpoint)
    assert saved is not None
    return saved.done


def _export(hat: Hat, out: Path) -> Any:
    return hat("export", "sandbox-app/items", "-o", str(out), "--page-size", "500")


def test_export_resumes_after_interruptions_without_loss_or_repeats(
    hat: Hat, seeded: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "items.jsonl"
    checkpoint = tmp_path / "items.jsonl.checkpoint"
    with monkeypatch.context() as patch:
        # The read of the 3rd page (records up to 1,500) fails: two pages are safely on disk.
        _fail_once_on_page(patch, 1500, _raise(HatConnectionError("simulated")))
        first = _export(hat, out)
    assert first.code == 4, first.stderr
    assert _done(checkpoint) == 1000

    with monkeypatch.context() as patch:
        # A crash after a page is written but before its checkpoint: the file has extra lines.
        # Every page is committed here, and from the 4th on no checkpoint can be saved (not
        # even the one an export saves when it stops on an error).
        patch.setattr(_transfer, "COMMIT_SECONDS", 0)
        save = Checkpoint.save
        saves = iter(range(1, 1_000))

        def failing_from_the_4th(checkpoint: Checkpoint, path: Path) -> None:
            if next(saves) >= 4:
                raise OSError("simulated disk error")
            save(checkpoint, path)

        patch.setattr(Checkpoint, "save", failing_from_the_4th)
        second = _export(hat, out)
    assert second.code != 0
    assert len(out.read_text(encoding="utf-8").splitlines()) > _done(checkpoint)

    third = _export(hat, out)
    assert third.code == 0, third.stderr
    assert f"Exported {COUNT} records" in third.stdout
    assert not checkpoint.exists()
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len({line["recordId"] for line in lines}) == COUNT
    assert [line["data"] for line in lines] == seeded  # oldest first, each exactly once
    assert {line["endpoint"] for line in lines} == {"sandbox-app/items"}


def test_export_refuses_to_overwrite_without_force(
    hat: Hat, seeded: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "items.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    refused = _export(hat, out)
    assert refused.code == 2
    assert "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert hat("export", "sandbox-app/items", "-o", str(out), "--force").code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(seeded)


def test_export_with_force_starts_afresh_over_another_runs_checkpoint(
    hat: Hat, seeded: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "items.jsonl"
    out.write_text("half of another export\n", encoding="utf-8")
    Checkpoint("export", "https://other.hubat.net", "other/x").advanced(done=1, size=23).save(
        checkpoint_path(out)
    )
    refused = _export(hat, out)
    assert refused.code == 2
    assert "belongs to another run" in refused.stderr
    assert "pass --force to start afresh" in refused.stderr
    assert hat("export", "sandbox-app/items", "-o", str(out), "--force").code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["data"] for line in lines] == seeded
    assert not checkpoint_path(out).exists()


def test_export_refuses_a_checkpoint_its_file_does_not_match(
    hat: Hat, seeded: list[dict[str, Any]], tmp_path: Path
) -> None:
    del seeded
    out = tmp_path / "items.jsonl"
    out.write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")  # edited since: 2 lines, 18 bytes
    marker = checkpoint_path(out)
    hat_url = hat.sandbox.url
    for done, size in [(2, 12), (3, 18), (2, 40)]:  # mid-line, a line short, past the end
        Checkpoint("export", hat_url, "sandbox-app/items").advanced(done=done, size=size).save(
            marker
        )
        refused = _export(hat, out)
        assert refused.code == 2, refused.stderr
        assert "changed since" in refused.stderr
        assert out.read_text(encoding="utf-8") == '{"a": 1}\n{"a": 2}\n'  # left as it was
    marker.write_text(
        json.dumps({"command": "export", "hat_url": hat_url, "target": "x", "size": "5"}),
        encoding="utf-8",
    )
    broken = _export(hat, out)
    assert broken.code == 2
    assert "is not a hat checkpoint (size is not a count)" in broken.stderr


@pytest.fixture
def exported(hat: Hat, seeded: list[dict[str, Any]], tmp_path: Path) -> Path:
    """The seeded endpoint, as `hat export` writes it."""
    del seeded
    source = tmp_path / "items.jsonl"
    assert _export(hat, source).code == 0
    return source


@pytest.fixture
def target(hat: Hat) -> Iterator[Sandbox]:
    """A second, empty HAT; the owner logged in to it with `hat login`."""
    sandbox = Sandbox()
    with sandbox as url:
        assert hat("--hat-url", url, "login", input="sandbox\n").code == 0
        yield sandbox


def test_import_resumes_after_interruptions_without_loss_or_duplicates(
    hat: Hat, exported: Path, target: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run() -> Any:
        # One batch at a time, so that the failures below hit known batches.
        args = ("import", str(exported), "--batch-size", "500", "--in-flight", "1")
        return hat("--hat-url", target.url, *args)

    with monkeypatch.context() as patch:
        # Batch 4 is stored by the HAT but the answer is lost.
        _fail_once_on_call(patch, HatClient, "post", 4, _store_then_lose_the_answer)
        first = run()
    assert first.code == 8, first.stderr
    assert len(_stored_data(target.url)) == 2000

    with monkeypatch.context() as patch:
        # Batch 4 is found stored, so not sent again; batch 5 is stored; batch 6 is lost
        # before it reaches the HAT, but the client cannot know that.
        lost = OutcomeUnknownError("simulated: connection lost before sending")
        _fail_once_on_call(patch, HatClient, "post", 2, _raise(lost))
        second = run()
    assert second.code == 8, second.stderr
    assert "lines 2501-3000 were sent but are not confirmed stored" in second.stderr
    assert "Lines 1-2500" in second.stderr
    assert len(_stored_data(target.url)) == 2500

    third = run()
    assert third.code == 0, third.stderr
    assert not checkpoint_path(exported).exists()
    stored = _stored_data(target.url)
    assert len(stored) == COUNT
    assert sorted(r["n"] for r in stored) == list(range(COUNT))


def test_an_import_refuses_to_resume_on_a_file_that_changed(
    hat: Hat, exported: Path, target: Sandbox
) -> None:
    Checkpoint("import", target.url, "", source="digest of another file").advanced(done=10).save(
        checkpoint_path(exported)
    )
    refused = hat("--hat-url", target.url, "import", str(exported))
    assert refused.code == 2, refused.stderr
    assert "the file changed since the import" in refused.stderr
    Checkpoint("import", target.url, "").advanced(done=10).save(checkpoint_path(exported))
    older = hat("--hat-url", target.url, "import", str(exported))  # from an earlier hat-sdk
    assert older.code == 2, older.stderr
    assert "written by an earlier hat-sdk" in older.stderr
    assert _stored_data(target.url) == []


def test_an_import_with_batches_under_way_resumes_after_a_lost_answer(
    hat: Hat, exported: Path, target: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("--hat-url", target.url, "import", str(exported), "--batch-size", "500")
    with monkeypatch.context() as patch:
        # Two batches under way: batch 5 is sent before the answer to batch 4 (stored by
        # the HAT, the answer lost) is known to be missing.
        _fail_once_on_call(patch, HatClient, "post", 4, _store_then_lose_the_answer)
        first = hat(*args, "--in-flight", "2")
    assert first.code == 8, first.stderr
    assert "Lines 1-1500" in first.stderr
    assert "lines 1501-2500 were sent but are not confirmed stored" in first.stderr
    assert len(_stored_data(target.url)) == 2500

    second = hat(*args)
    assert second.code == 0, second.stderr
    assert "Imported 2500 records" in second.stdout
    assert "(1000 already on the HAT, skipped)" in second.stdout
    stored = _stored_data(target.url)
    assert sorted(r["n"] for r in stored) == list(range(COUNT))  # each exactly once


def test_an_import_refused_as_a_duplicate_of_another_endpoint_says_nothing_was_stored(
    hat: Hat, exported: Path, target: Sandbox, tmp_path: Path
) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()[:3]
    source = tmp_path / "three.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    into = ("--hat-url", target.url, "import", str(source))
    assert hat(*into).code == 0  # now in sandbox-app/items of the target
    elsewhere = (*into, "--to", "sandbox-app/copies")  # the HAT refuses data it holds anywhere
    for _ in range(2):  # and again: the same answer, not a silent skip
        refused = hat(*elsewhere)
        assert refused.code == 5, refused.stderr
        assert "not confirmed" not in refused.stderr
        assert "Nothing of this request was stored" in refused.stderr
    assert hat(*elsewhere, "--skip-duplicates").code == 0
    assert len(_stored_data(target.url)) == 3


@pytest.mark.parametrize(("options", "posts"), [((), 1), (("--batch-size", "1000"), 5)])
def test_import_sends_as_many_records_per_request_as_fit_unless_told(
    hat: Hat, exported: Path, target: Sandbox, options: tuple[str, ...], posts: int
) -> None:
    target.clear_request_log()
    done = hat("--hat-url", target.url, "import", str(exported), *options)
    assert done.code == 0, done.stderr
    sent = [r for r in target.request_log if r.method == "POST" and "/data/" in r.path]
    assert len(sent) == posts  # 5,000 small records fit in one request
    assert len(_stored_data(target.url)) == COUNT


def test_batches_by_size_keep_within_the_limit_and_the_count() -> None:
    sizes = [3, 4, 2, 9, 1, 1, 1, 1]
    batches = list(batched_by_size(sizes, lambda size: size, limit=8, most=3))
    assert batches == [[3, 4], [2], [9], [1, 1, 1], [1]]  # 9 alone: bigger than the limit


def test_import_of_plain_data_needs_a_target(hat: Hat, tmp_path: Path) -> None:
    hat.login()
    source = tmp_path / "plain.jsonl"
    source.write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    refused = hat("import", str(source))
    assert refused.code == 2
    assert "--to" in refused.stderr
    done = hat("import", str(source), "--to", "sandbox-app/plain")
    assert done.code == 0, done.stderr
    assert "Imported 2 records" in done.stdout


@pytest.mark.parametrize(
    ("text", "problem"),
    [('"a\\u0000b"', "holds a NUL character"), ('"\\ud800"', "holds an unpaired surrogate")],
    ids=["nul", "surrogate"],
)
def test_import_refuses_data_the_hat_would_change_before_sending_any(
    hat: Hat, tmp_path: Path, text: str, problem: str
) -> None:
    hat.login()
    source = tmp_path / "plain.jsonl"
    source.write_text(f'{{"a": 1}}\n{{"a": {text}}}\n', encoding="utf-8")
    refused = hat("import", str(source), "--to", "sandbox-app/plain", "--batch-size", "1")
    assert refused.code == 2, refused.stderr
    assert f"line 2: its data {problem}" in refused.stderr
    with _owner_client(hat.sandbox.url) as client:
        assert client.get(HatModel, "plain") == []
