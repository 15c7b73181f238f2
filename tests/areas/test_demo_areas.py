"""examples/demo_areas.py runs end to end against a sandbox."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo_areas.py"


def test_demo_areas_runs_against_a_sandbox(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HAT_URL", raising=False)
    monkeypatch.syspath_prepend(str(DEMO.parent))
    runpy.run_path(str(DEMO), run_name="__main__")
    out = capsys.readouterr().out
    assert "shares ['shared at" in out
    assert "sandbox-app: running" in out
    assert "round trip identical: True" in out
    assert "feed: 0 item(s) this week" in out
