"""The spec drives the client: a new parameter, field, operation and tag in a copy of
openapi/hat.yaml reach HatClient and AsyncHatClient, typed, after `make generate` alone.

The copy is regenerated with the repo's pinned generator, then a user module is type-checked
with ``mypy --strict`` against it (and a wrong use of each new thing must fail), and run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

USER_MODULE = """
from typing import assert_type

from hat_sdk import AsyncHatClient, HatClient, RawResponse
from hat_sdk.types import DataDebit, Widget


def sync_use(client: HatClient) -> None:
    debits = client.data_debits.list(include_expired=True)
    assert_type(debits, list[DataDebit])
    assert_type(debits[0].colour, str | None)
    widget = client.widgets.get("w-1", timeout=5)
    assert_type(widget, Widget)
    assert_type(widget.size, int)
    raw = client.with_raw_response.widgets.get("w-1")
    assert_type(raw, RawResponse[Widget])


async def async_use(client: AsyncHatClient) -> None:
    debits = await client.data_debits.list(include_expired=False)
    assert_type(debits, list[DataDebit])
    widget = await client.widgets.get("w-1", extra_headers={"X-Trace": "1"})
    assert_type(widget, Widget)


def wrong_uses(client: HatClient) -> None:
    # Each must be a type error: --strict's warn_unused_ignores fails the run if one is not.
    client.data_debits.list(include_expired="yes")  # type: ignore[arg-type]
    client.widgets.get(42)  # type: ignore[arg-type]
    client.widgets.get("w", size=3)  # type: ignore[call-arg]
    name: int = client.widgets.get("w").name  # type: ignore[assignment]
"""


def _edit_spec(spec: dict[str, object]) -> None:
    paths = spec["paths"]
    assert isinstance(paths, dict)
    paths["/api/v2.6/data-debit"]["get"].setdefault("parameters", []).append(
        {"name": "includeExpired", "in": "query", "required": False, "schema": {"type": "boolean"}}
    )
    schemas = spec["components"]["schemas"]  # type: ignore[index]
    schemas["DataDebit"]["properties"]["colour"] = {"type": "string"}
    schemas["Widget"] = {
        "type": "object",
        "required": ["name", "size"],
        "properties": {"name": {"type": "string"}, "size": {"type": "integer"}},
    }
    paths["/api/v2.6/widgets/{widgetId}"] = {
        "get": {
            "operationId": "getWidget",
            "x-hat-method": "get",
            "tags": ["widgets"],
            "summary": "One widget",
            "parameters": [
                {"name": "widgetId", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "The widget",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}
                    },
                }
            },
        }
    }
    spec["tags"].append({"name": "widgets", "description": "Widgets."})  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("repo")
    for name in ("generator", "openapi", "hat_sdk", "docs"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    spec_path = copy / "openapi" / "hat.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    _edit_spec(spec)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    subprocess.run([sys.executable, str(copy / "generator" / "generate.py")], check=True, cwd=copy)
    return copy


def _mypy(copy: Path, source: str) -> subprocess.CompletedProcess[str]:
    (copy / "user_module.py").write_text(source)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--config-file",
            "/dev/null",
            "--python-version",
            "3.11",
            "user_module.py",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(copy)},
        check=False,
    )


def test_new_parameter_field_operation_and_tag_type_check(regenerated: Path) -> None:
    """Right uses pass, and each wrong use is an error (or its ignore would be unused)."""
    result = _mypy(regenerated, USER_MODULE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_operation_is_a_method_at_run_time(regenerated: Path) -> None:
    probe = (
        "import inspect\n"
        "from hat_sdk import HatClient\n"
        "from hat_sdk.types import Widget, DataDebit\n"
        "from hat_sdk._generated.client.api.widgets import WidgetsResource, get_widget\n"
        "assert 'colour' in DataDebit.model_fields\n"
        "assert Widget(name='a', size=1).size == 1\n"
        "assert 'widgets' in dir(HatClient)\n"
        "assert list(inspect.signature(WidgetsResource.get._fn).parameters)[1] == 'widget_id'\n"
        "assert get_widget._route('w-1')['url'] == '/api/v2.6/widgets/w-1'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=regenerated,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(regenerated)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
