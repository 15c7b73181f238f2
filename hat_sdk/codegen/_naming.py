"""Class names for generated models derived from file names."""

from __future__ import annotations

import re

__all__ = ["class_name_from_stem"]


def class_name_from_stem(stem: str) -> str:
    """``"rumpel-locations.schema"`` -> ``"RumpelLocations"``; ``Record`` when nothing is usable."""
    stem = stem.removesuffix(".schema")
    words = [word for word in re.split(r"[^0-9A-Za-z]+", stem) if word]
    name = "".join(word[:1].upper() + word[1:] for word in words)
    if not name:
        return "Record"
    return name if name[0].isalpha() else f"Record{name}"
