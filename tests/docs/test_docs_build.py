"""The documentation builds with `mkdocs build --strict` and without any warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_docs_build_strictly_without_warnings(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    # Silences only the theme's end-of-life banner, which is not a documentation problem.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if "WARNING" in line]
    assert warnings == [], "\n".join(warnings)
    reference = (tmp_path / "site" / "reference" / "client" / "index.html").read_text()
    assert "with_options" in reference  # the API reference was rendered from docstrings
    resources = (tmp_path / "site" / "reference" / "resources" / "index.html").read_text()
    assert "skip_duplicates" in resources  # and the generated reference of every method
