"""The resources reference lists every public method of every resource, and is current."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _renderer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "docs_reference", ROOT / "generator" / "docs_reference.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["docs_reference"] = module
    spec.loader.exec_module(module)
    return module


def test_every_resource_method_is_in_the_reference() -> None:
    renderer = _renderer()
    page = (ROOT / "docs" / "reference" / "resources.md").read_text()
    methods = [
        f"### `{accessor}.{name}`"
        for accessor, cls in renderer._resources()
        for name, _, _ in renderer._methods(cls)
    ]
    assert len(methods) > 57  # every operation of the spec, and the helpers
    missing = [method for method in methods if method not in page]
    assert missing == []


def test_the_reference_is_current() -> None:
    assert (ROOT / "docs" / "reference" / "resources.md").read_text() == _renderer().render()
