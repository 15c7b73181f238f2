"""The lazy public surface of ``hat_sdk``: what type checkers see is what runtime serves."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import hat_sdk

INIT = Path(hat_sdk.__file__)


def _type_checking_imports() -> dict[str, str]:
    """Name -> module of the imports under ``if TYPE_CHECKING:`` in hat_sdk/__init__.py."""
    tree = ast.parse(INIT.read_text())
    guard = next(
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )
    return {
        alias.name: node.module or ""
        for node in guard.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_type_checking_imports_and_the_lazy_map_name_the_same_places() -> None:
    assert _type_checking_imports() == hat_sdk._EXPORTS


def test_every_public_name_resolves() -> None:
    for name in hat_sdk.__all__:
        assert getattr(hat_sdk, name) is not None, name
    assert set(hat_sdk.__all__) <= set(dir(hat_sdk))


def test_importing_the_package_loads_neither_httpx_nor_pydantic() -> None:
    code = "import sys, hat_sdk; sys.exit('httpx' in sys.modules or 'pydantic' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=30).returncode == 0


def test_importing_the_client_leaves_the_transport_for_the_first_client() -> None:
    # httpx imports httpcore (and the trio or h2 it finds) when a client is created; so must we.
    code = (
        "import sys\nfrom hat_sdk import HatClient, HatModel, AppToken\n"
        "sys.exit('httpcore' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=30).returncode == 0
