"""examples/demo.py (``make demo``) runs end to end and reports the request costs."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.py"


def test_demo_runs_against_a_sandbox(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HAT_URL", raising=False)
    monkeypatch.syspath_prepend(str(DEMO.parent))  # as when run as a script: demo_areas, _hat
    runpy.run_path(str(DEMO), run_name="__main__")
    out = capsys.readouterr().out
    batch = out.split("== POST 1,000 records to 10 endpoints")[1].split("==")[0]
    assert "stored 1000" in batch
    assert "-> 1 HTTP request(s)" in batch
    assert "records left: 0" in out
    assert "eyJ" not in out  # claims are printed, the token never
