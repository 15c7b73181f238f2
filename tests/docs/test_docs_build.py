"""The documentation builds with `mkdocs build --strict` and without any warning, and every
cross-reference in it is rendered as a link (no Sphinx role left as literal text)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: A Sphinx role as mkdocs renders it when nothing resolves it: ":class:<code>X</code>".
LITERAL_ROLE = re.compile(r":(?:class|meth|func|attr|mod|exc|data|obj):(?:`|<code>)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The built site and the build's output."""
    site = tmp_path_factory.mktemp("docs") / "site"
    mkdocs = Path(sys.executable).parent / "mkdocs"
    # Silences only the theme's end-of-life banner, which is not a documentation problem.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return site, output


def test_docs_build_strictly_without_warnings(built: tuple[Path, str]) -> None:
    site, output = built
    warnings = [line for line in output.splitlines() if "WARNING" in line]
    assert warnings == [], "\n".join(warnings)
    reference = (site / "reference" / "client" / "index.html").read_text()
    assert "with_options" in reference  # the API reference was rendered from docstrings
    resources = (site / "reference" / "resources" / "index.html").read_text()
    assert "skip_duplicates" in resources  # and the generated reference of every method


def test_no_sphinx_role_is_left_as_literal_text(built: tuple[Path, str]) -> None:
    site, _ = built
    literal = {
        f"{page.relative_to(site)}: {match.group(0)}{page.read_text()[match.end() :][:40]}"
        for page in site.rglob("*.html")
        for match in LITERAL_ROLE.finditer(page.read_text())
    }
    assert sorted(literal) == []


def test_the_errors_guide_lists_every_public_error(built: tuple[Path, str]) -> None:
    import hat_sdk.errors

    site, _ = built
    guide = (site / "guides" / "errors" / "index.html").read_text()
    public = [name for name in hat_sdk.errors.__all__ if name.endswith("Error")]
    assert [name for name in public if f"<code>{name}</code>" not in guide] == []


def test_the_hat_error_attributes_table_has_one_row_per_attribute(
    built: tuple[Path, str],
) -> None:
    site, _ = built
    page = (site / "reference" / "errors" / "index.html").read_text()
    start = page.index('id="hat_sdk.errors.HatError"')
    table = page[start : page.index("</table>", start)]
    row = r'<tr class="doc-section-item">\s*<td><code><span title="[^"]*">([^<]*)<'
    rows = re.findall(row, table)
    assert rows == [
        "summary",
        "status_code",
        "headers",
        "message",
        "cause",
        "details",
        "method",
        "url",
        "operation",
        "attempts",
        "body",
    ]
