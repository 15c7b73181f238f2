"""Helpers for the model generator tests: payload files and importing generated source."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hat_sdk._records.models import HatModel

PAYLOADS = Path(__file__).resolve().parent / "payloads"

Loader = Callable[[str, str], type[HatModel]]


@pytest.fixture
def payloads_dir() -> Path:
    """The directory of real HAT payloads kept for these tests."""
    return PAYLOADS


@pytest.fixture
def payload() -> Callable[[str], Any]:
    """Read one of the kept HAT payload files."""

    def read(name: str) -> Any:
        return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))

    return read


@pytest.fixture
def load_generated(tmp_path: Path) -> Iterator[Loader]:
    """Import generated source as a module and return its record model by class name."""
    loaded: list[str] = []

    def load(code: str, class_name: str) -> type[HatModel]:
        module_name = f"hat_generated_{len(loaded)}_{class_name.lower()}"
        path = tmp_path / f"{module_name}.py"
        path.write_text(code, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # pydantic resolves the postponed annotations through sys.modules.
        sys.modules[module_name] = module
        loaded.append(module_name)
        spec.loader.exec_module(module)
        model = getattr(module, class_name)
        assert isinstance(model, type)
        assert issubclass(model, HatModel)
        return model

    yield load
    for name in loaded:
        sys.modules.pop(name, None)
