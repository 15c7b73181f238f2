"""A feature whose extra is missing fails with one line naming ``hat-sdk[<extra>]``.

(.ci/wheel-smoke.sh checks the real thing: each extra installed alone from the wheel.)
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hat_sdk._extras import EXTRAS, MissingExtraError, require_extra

ROOT = Path(__file__).resolve().parents[2]


def test_every_declared_extra_is_known_and_checked() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert set(EXTRAS) == set(declared)


def test_a_missing_module_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EXTRAS, "sandbox", ("no_such_module_for_the_test",))
    with pytest.raises(MissingExtraError) as raised:
        require_extra("sandbox", "Sandbox")
    message = str(raised.value)
    assert 'pip install "hat-sdk[sandbox]"' in message
    assert "\n" not in message
    assert isinstance(raised.value, ImportError)


def test_the_sandbox_refuses_at_construction_without_its_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hat_sdk.sandbox import Sandbox

    monkeypatch.setitem(EXTRAS, "sandbox", ("no_such_module_for_the_test",))
    with pytest.raises(MissingExtraError, match=r"hat-sdk\[sandbox\]"):
        Sandbox()
