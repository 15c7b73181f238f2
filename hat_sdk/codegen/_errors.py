"""The error raised when record models cannot be generated from the given input."""

from __future__ import annotations

__all__ = ["CodegenInputError"]


class CodegenInputError(ValueError):
    """The schema or the sample records cannot be turned into models; the message says why."""
