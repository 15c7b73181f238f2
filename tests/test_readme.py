"""The README's tour is real code: it runs against a sandbox as written."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_opens_with_the_two_quickstart_commands() -> None:
    commands = re.findall(r"^make (\w+)", README.read_text(), flags=re.MULTILINE)
    assert commands[:2] == ["demo", "test"]


def test_the_tour_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HAT_URL", "HAT_USERNAME", "HAT_PASSWORD", "HAT_APP"):
        monkeypatch.setenv(name, "")  # the tour sets them: restored (or removed) after the test
    tour = re.search(r"## A tour\n\n```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert tour is not None, "README.md lost its tour"
    script = tmp_path / "tour.py"
    script.write_text(tour.group(1))
    runpy.run_path(str(script), run_name="__main__")
    assert re.search(r"^[0-9a-f-]{36} 52\.0$", capsys.readouterr().out, flags=re.MULTILINE)
