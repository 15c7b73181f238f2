"""The optional extras of hat-sdk and the one-line error when a feature's extra is missing."""

from __future__ import annotations

from importlib.util import find_spec

__all__ = ["EXTRAS", "MissingExtraError", "require_extra"]

#: The modules each extra brings (``pyproject.toml``, ``[project.optional-dependencies]``);
#: a dotted name imports its parent package to look for it.
EXTRAS: dict[str, tuple[str, ...]] = {
    "sandbox": ("starlette", "uvicorn"),
    "cache": ("hishel.httpx", "anysqlite"),
    "cli": ("typer", "rich"),
    "codegen": ("datamodel_code_generator", "genson"),
}


class MissingExtraError(ModuleNotFoundError):
    """A feature was used without the extra that brings its dependencies.

    Attributes:
        extra: the extra to install, e.g. ``"sandbox"``.
    """

    def __init__(self, feature: str, extra: str, missing: str) -> None:
        super().__init__(
            f'{feature} needs the `{extra}` extra: pip install "hat-sdk[{extra}]" '
            f"(module {missing!r} is not installed)",
            name=missing,
        )
        self.extra = extra


def require_extra(extra: str, feature: str) -> None:
    """Raise ``MissingExtraError`` unless every module of ``extra`` can be imported."""
    for module in EXTRAS[extra]:
        if not _importable(module):
            raise MissingExtraError(feature, extra, module)


def _importable(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package of a dotted name is missing
        return False
