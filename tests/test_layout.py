"""The layout shows the design: no two packages of hat_sdk import each other, even indirectly
(the engine does not know tokens, records or the generated code; they build on it)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "hat_sdk"


def _unit(module: str) -> str:
    """The package (or top-level module) of hat_sdk that ``module`` belongs to."""
    parts = module.split(".")
    if len(parts) < 2:
        return module
    return parts[1] if (PACKAGE / parts[1]).is_dir() else f"hat_sdk.{parts[1]}"


def _imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        source = _unit(module.removesuffix(".__init__"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            imported = node.module if isinstance(node, ast.ImportFrom) and node.level == 0 else None
            if imported and imported.startswith("hat_sdk.") and _unit(imported) != source:
                edges[source].add(_unit(imported))
    return edges


def test_no_package_imports_itself_through_another() -> None:
    edges = _imports()

    def reachable(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for target in edges.get(stack.pop(), set()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen

    assert edges["_core"]  # the check sees the imports at all
    assert sorted(unit for unit in edges if unit in reachable(unit)) == []


def test_the_engine_builds_on_nothing_but_errors_and_the_extras_messages() -> None:
    assert _imports()["_core"] <= {"hat_sdk.errors", "hat_sdk._extras"}
