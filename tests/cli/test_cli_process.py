"""The real ``hat`` process against a sandbox: Ctrl-C during export and import says how to
continue, and running the same command again finishes with every record exactly once."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hat_sdk import HatModel
from hat_sdk.cli._checkpoint import Checkpoint, checkpoint_path
from hat_sdk.sandbox import Sandbox

from .conftest import default_sigint
from .test_cli_transfer import _owner_client, _stored_data

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

COUNT = 3000
ROOT = Path(__file__).resolve().parents[2]


def _hat(url: str, *args: str) -> subprocess.Popen[str]:
    """Start ``python -m hat_sdk.cli ARGS`` for the sandbox at ``url``."""
    env = {
        **os.environ,
        "HAT_URL": url,
        "HAT_USERNAME": "sandbox",
        "HAT_APP": "",
        "HAT_TEST_PASSWORD": "sandbox",
        "PYTHON_KEYRING_BACKEND": "tests.cli._env_keyring.EnvKeyring",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "hat_sdk.cli", *args]
    return subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def _interrupt_once_done(process: subprocess.Popen[str], data_file: Path, done: int) -> None:
    """Send Ctrl-C (SIGINT) as soon as the checkpoint of ``data_file`` records ``done``."""
    marker = checkpoint_path(data_file)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        state = Checkpoint.load(marker) if marker.exists() else None
        if state is not None and state.done >= done:
            process.send_signal(signal.SIGINT)
            return
        time.sleep(0.005)  # polling the checkpoint the child writes, not waiting for a server
    pytest.fail(f"the child never recorded {done} done (exit {process.poll()})")


@pytest.fixture
def seeded(hat_sandbox: Sandbox) -> list[dict[str, Any]]:
    records = [{"n": n, "text": f"record {n}"} for n in range(COUNT)]
    with _owner_client(hat_sandbox.url) as client:
        client.post(*(HatModel.model_validate({**r, "endpoint": "items"}) for r in records))
    return records


def test_ctrl_c_during_export_says_how_to_continue(
    hat_sandbox: Sandbox, seeded: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "items.jsonl"
    args = ("export", "sandbox-app/items", "-o", str(out), "--page-size", "50")
    hat_sandbox.knobs.latency = 0.05  # 60 page reads, 4 at a time: time to interrupt in the middle
    export = _hat(hat_sandbox.url, *args)
    _interrupt_once_done(export, out, 500)
    code, _, err = _finish(export)
    assert code != 0
    assert "records are exported to" in err
    assert "Run the same command again to continue" in err
    assert checkpoint_path(out).exists()

    hat_sandbox.knobs.latency = 0
    code, out_text, err = _finish(_hat(hat_sandbox.url, *args))
    assert code == 0, err
    assert f"Exported {COUNT} records" in out_text
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["data"]["n"] for line in lines] == [r["n"] for r in seeded]


def test_ctrl_c_during_import_says_how_to_continue(
    hat_sandbox: Sandbox, seeded: list[dict[str, Any]], tmp_path: Path
) -> None:
    source = tmp_path / "items.jsonl"
    code, _, err = _finish(_hat(hat_sandbox.url, "export", "sandbox-app/items", "-o", str(source)))
    assert code == 0, err
    target = Sandbox()
    with target:
        args = ("import", str(source), "--batch-size", "50")
        target.knobs.latency = 0.05
        importing = _hat(target.url, *args)
        _interrupt_once_done(importing, source, 500)
        code, _, err = _finish(importing)
        assert code != 0
        assert "of " + str(source) in err or "No line is stored" in err
        assert "Run the same command again to continue" in err
        interrupted = Checkpoint.load(checkpoint_path(source))
        assert interrupted is not None

        target.knobs.latency = 0
        code, out_text, err = _finish(_hat(target.url, *args))
        assert code == 0, err
        # The lines done are not read again; of those sent but not confirmed (the batches under
        # way at Ctrl-C), the ones the HAT stored are skipped.
        found = re.search(
            r"Imported (\d+) records from \S+(?: \((\d+) already on the HAT)?", out_text
        )
        assert found is not None, out_text
        imported, skipped = int(found[1]), int(found[2] or 0)
        assert imported + skipped == COUNT - interrupted.done
        assert skipped <= interrupted.pending - interrupted.done
        assert not checkpoint_path(source).exists()
        stored = _stored_data(target.url)
    assert sorted(r["n"] for r in stored) == [r["n"] for r in seeded]


def test_export_then_import_into_the_same_hat_stores_nothing_new(
    hat_sandbox: Sandbox, seeded: list[dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "items.jsonl"
    code, _, err = _finish(_hat(hat_sandbox.url, "export", "sandbox-app/items", "-o", str(out)))
    assert code == 0, err
    code, out_text, err = _finish(_hat(hat_sandbox.url, "import", str(out), "--skip-duplicates"))
    assert code == 0, err
    assert f"Imported 0 records from {out} ({COUNT} already on the HAT, skipped)." in out_text
    assert len(_stored_data(hat_sandbox.url)) == len(seeded)
