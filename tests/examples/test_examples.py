"""The runnable examples work against a sandbox: in-process, and as scripts (own sandbox)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, HatClient, HatModel
from hat_sdk.sandbox import Sandbox

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _example(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(EXAMPLES))  # examples import their helper `_hat`
    return importlib.import_module(name)


def _owner(sandbox: Sandbox) -> ApiOwnerToken:
    return ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=sandbox.url)


def _run_script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAT_")}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_quickstart_returns_the_runs_longest_first_and_cleans_up(
    hat_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    quickstart = _example("quickstart", monkeypatch)
    token = _owner(hat_sandbox)
    runs = quickstart.quickstart(token, "sandbox-app")
    assert [run.distance_km for run in runs] == [10.0, 5.2, 3.1]
    with HatClient(token, "sandbox-app") as client:
        assert client.get(HatModel, "runs") == []


def test_export_records_writes_every_record_once(
    hat_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    example = _example("export_records", monkeypatch)
    token = _owner(hat_sandbox)
    example.seed(token, "sandbox-app", "steps", 1200)
    out = tmp_path / "steps.jsonl"
    assert example.export_records(token, "sandbox-app", "steps", out) == 1200
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["data"]["step"] for line in lines) == list(range(1200))
    assert len({line["recordId"] for line in lines}) == 1200


def test_the_examples_run_as_scripts_with_their_own_sandbox(tmp_path: Path) -> None:
    quickstart = _run_script("quickstart.py")
    assert quickstart.returncode == 0, quickstart.stderr
    assert quickstart.stdout.splitlines()[0].strip() == "10.0 km in 58 min (river path)"
    out = tmp_path / "steps.jsonl"
    export = _run_script("export_records.py", "steps", str(out))
    assert export.returncode == 0, export.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2500
